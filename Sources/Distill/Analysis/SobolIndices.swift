import Foundation

/// Variance-based sensitivity: first-order and total-order Sobol' indices from Saltelli's sampling design
/// (matrices A, B and A with column i from B): first order as the mean of Saltelli's (2010) and Jansen's
/// (1999) estimators, total order by Jansen's, on one Owen-scrambled Sobol' sequence. Evaluations: N (d + 2).
///
/// Intervals: the N points are also read as B = 16 consecutive blocks, each itself a scrambled net, whose
/// own estimates spread by s. A bootstrap or a Monte Carlo scaling (s / sqrt(B)) would ignore that
/// quasi-random points converge faster and give intervals several times too wide (SALib's are); here the
/// half-width is t(0.975, B - 1) s / B^r, the error of the whole sequence under a randomised quasi-Monte
/// Carlo rate of N^-r from block to whole. The rate depends on the integrand's smoothness: about 0.9 for
/// smooth functions (Ishigami, Sobol' G), about 0.6 for ones with kinks or steps (ReLU networks, inputs
/// drawn through empirical quantiles or categories), measured over 50 seeds in docs/sensitivity.md; a
/// single rate would leave the intervals on a ReLU network covering half the time.
public struct SobolIndices: Sendable {
    public struct Settings: Equatable, Sendable {
        /// Base points N (a power of two keeps the net properties).
        public var baseSamples: Int
        /// Blocks the sequence is read as for the intervals.
        public var blocks: Int
        public var seed: UInt64
        /// The rate r at which the estimators' error falls from block to whole sequence (see above).
        public var blockRate: Double

        public init(baseSamples: Int = 1024, blocks: Int = 16, seed: UInt64 = 1, blockRate: Double = SobolIndices.smoothRate) {
            self.baseSamples = baseSamples
            self.blocks = max(2, blocks)
            self.seed = seed
            self.blockRate = blockRate
        }
    }

    /// The block-to-whole rate for smooth integrands.
    public static let smoothRate = 0.9
    /// The block-to-whole rate for integrands with kinks or steps (ReLU networks, quantile or category maps).
    public static let roughRate = 0.6

    /// An estimate with its 95% interval.
    public struct Estimate: Equatable, Sendable {
        public var value: Double
        public var low: Double
        public var high: Double
    }

    public var first: [Estimate]
    public var total: [Estimate]
    /// The estimates from the first N/4, N/2 and N points.
    public var convergence: [(samples: Int, first: [Double], total: [Double])]
    /// Model evaluations made.
    public var evaluations: Int

    /// Estimates the indices of `model`, a function of `dimensions` inputs given as points of the unit cube
    /// (row-major, `rows x dimensions`), returning one output per row.
    public static func estimate(dimensions d: Int, settings: Settings,
                                progress: ((Double) -> Void)? = nil,
                                model: ([Double], Int) -> [Double]) -> SobolIndices {
        let n = max(settings.baseSamples, settings.blocks)
        var generator = SeededGenerator(seed: settings.seed)
        let points = SobolSequence(dimensions: 2 * d, scrambledWith: &generator).points(n)
        var a = [Double](repeating: 0, count: n * d), b = a
        for row in 0..<n {
            for j in 0..<d {
                a[row * d + j] = points[row * 2 * d + j]
                b[row * d + j] = points[row * 2 * d + d + j]
            }
        }
        let fa = model(a, n), fb = model(b, n)
        var fab: [[Double]] = []
        for i in 0..<d {
            var ab = a
            for row in 0..<n { ab[row * d + i] = b[row * d + i] }
            fab.append(model(ab, n))
            progress?(Double(i + 1) / Double(d))
        }
        /// Estimates from the rows in `range`.
        func estimates(_ range: Range<Int>) -> ([Double], [Double]) {
            var sum = 0.0, squares = 0.0
            for row in range {
                sum += fa[row] + fb[row]
                squares += fa[row] * fa[row] + fb[row] * fb[row]
            }
            let count = Double(2 * range.count)
            let variance = squares / count - (sum / count) * (sum / count)
            let pairs = Double(range.count)
            var first = [Double](repeating: 0, count: d), total = first
            for i in 0..<d {
                var numerator = 0.0, squaredDifference = 0.0, firstDifference = 0.0
                for row in range {
                    numerator += fb[row] * (fab[i][row] - fa[row])
                    squaredDifference += (fa[row] - fab[i][row]) * (fa[row] - fab[i][row])
                    firstDifference += (fb[row] - fab[i][row]) * (fb[row] - fab[i][row])
                }
                // First order: the mean of Saltelli's (2010) and Jansen's (1999) estimators, which use the
                // same evaluations and err in different directions (a lighter tail than either alone).
                let saltelli = numerator / pairs / variance
                let jansen = 1 - 0.5 * firstDifference / pairs / variance
                first[i] = (saltelli + jansen) / 2
                total[i] = 0.5 * squaredDifference / pairs / variance
            }
            return (first, total)
        }
        let (first, total) = estimates(0..<n)
        let blocks = settings.blocks, size = n / blocks
        let blockEstimates = (0..<blocks).map { estimates(($0 * size)..<(($0 + 1) * size)) }
        let t = studentT975(degreesOfFreedom: blocks - 1)
        let scale = pow(Double(blocks), settings.blockRate)
        func interval(_ value: Double, _ samples: [Double]) -> Estimate {
            let mean = samples.reduce(0, +) / Double(samples.count)
            let sd = (samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count - 1)).squareRoot()
            let half = t * sd / scale
            return Estimate(value: value, low: value - half, high: value + half)
        }
        let firstEstimates = (0..<d).map { i in interval(first[i], blockEstimates.map { $0.0[i] }) }
        let totalEstimates = (0..<d).map { i in interval(total[i], blockEstimates.map { $0.1[i] }) }
        let convergence = [n / 4, n / 2, n].filter { $0 >= 1 }.map { count -> (samples: Int, first: [Double], total: [Double]) in
            let (f, t) = estimates(0..<count)
            return (count, f, t)
        }
        return SobolIndices(first: firstEstimates, total: totalEstimates, convergence: convergence,
                            evaluations: n * (d + 2))
    }

    /// The 97.5% quantile of Student's t (Cornish–Fisher expansion; exact table below 8 degrees).
    static func studentT975(degreesOfFreedom nu: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365]
        if nu >= 1 && nu <= table.count { return table[nu - 1] }
        let z = 1.959963984540054, v = Double(nu)
        return z + (pow(z, 3) + z) / (4 * v) + (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * v * v)
            + (3 * pow(z, 7) + 19 * pow(z, 5) + 17 * pow(z, 3) - 15 * z) / (384 * v * v * v)
    }
}
