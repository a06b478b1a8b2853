/// Agreement measures between two sets of answers: the share of equal classes, and R².
public enum Agreement {
    /// Share of positions where `a` and `b` hold the same class (0 for empty input).
    public static func share(_ a: [Int], _ b: [Int]) -> Double {
        precondition(a.count == b.count, "answer counts differ")
        guard !a.isEmpty else { return 0 }
        return Double(matches(a, b)) / Double(a.count)
    }

    /// Number of positions where `a` and `b` agree.
    public static func matches(_ a: [Int], _ b: [Int]) -> Int {
        zip(a, b).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
    }

    /// The Wilson score interval (95%) for `successes` of `trials`.
    public static func wilson(_ successes: Int, _ trials: Int) -> Interval {
        guard trials > 0 else { return Interval(0, 1) }
        let z = 1.959963984540054, n = Double(trials), p = Double(successes) / n
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / (1 + z * z / n)
        let bounds = (max(0, centre - half), min(1, centre + half))
        // p = 0 or 1 puts a bound exactly at 0 or 1; keep rounding from hiding that.
        return Interval(bounds.0 < 1e-12 ? 0 : bounds.0, bounds.1 > 1 - 1e-12 ? 1 : bounds.1)
    }

    /// Coefficient of determination of `predicted` against `reference` (row-major, `outputs` columns),
    /// averaged over outputs as scikit-learn's `r2_score` does. An output whose reference is constant
    /// scores 1 when predicted exactly and 0 otherwise.
    public static func rSquared(predicted: [Double], reference: [Double], outputs: Int) -> Double {
        precondition(predicted.count == reference.count && outputs > 0, "answer counts differ")
        let rows = reference.count / outputs
        guard rows > 0 else { return 0 }
        var total = 0.0
        for output in 0..<outputs {
            var mean = 0.0
            for row in 0..<rows { mean += reference[row * outputs + output] }
            mean /= Double(rows)
            var residual = 0.0, spread = 0.0
            for row in 0..<rows {
                let y = reference[row * outputs + output]
                let e = y - predicted[row * outputs + output]
                residual += e * e
                spread += (y - mean) * (y - mean)
            }
            total += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / spread
        }
        return total / Double(outputs)
    }

    /// Index of the largest value, the first one on ties.
    public static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices where values[index] > values[best] { best = index }
        return best
    }
}

/// A closed interval of a measured share or value: a 95% confidence interval.
public struct Interval: Equatable, Sendable {
    /// The lower end.
    public var low: Double
    /// The upper end.
    public var high: Double

    /// Creates an interval from its ends, stored as given.
    public init(_ low: Double, _ high: Double) {
        self.low = low
        self.high = high
    }
}
