import Foundation

/// Interventional Shapley values of one network output over the raw features (a categorical feature is
/// one player): the value of a coalition S at row x is the mean output over a background sample of rows
/// with the features of S set to x's values, v(S) = mean_b f(x_S, b_rest), and feature i's Shapley value
/// is the mean of v(S ∪ {i}) - v(S) over orderings (SHAP's interventional `KernelExplainer` target;
/// Janzing et al., AISTATS 2020). The values add up to f(x) - mean_b f(b) (efficiency).
///
/// - Exact: all 2^d coalitions, each evaluated over the whole background in one batch, for d up to
///   `exactLimit`; efficiency then holds to rounding.
/// - Sampled: `permutations` seeded orderings (each with its mirror, antithetic), a background row drawn per
///   ordering; each value is the mean of its marginal contributions, with the standard error of that mean
///   (the contributions of an ordering and its mirror averaged first, so the pairs are independent).
public struct ShapleyValues: Sendable {
    /// Most features explained exactly (2^14 coalitions).
    public static let exactLimit = 14

    /// The network explained.
    public let network: Network
    /// Background rows (raw, row-major) that absent features take their values from.
    public let background: Dataset
    /// The output explained (a class's probability, or a regression output).
    public let output: Int

    /// Creates an explainer of output `output` of `network` against `background`.
    public init(network: Network, background: Dataset, output: Int) {
        self.network = network
        self.background = background
        self.output = output
    }

    /// One row's values, with standard errors for the sampled estimator (zeros when exact).
    public struct Explanation: Equatable, Sendable {
        /// The Shapley value of each raw feature.
        public var values: [Double]
        /// The standard error of each value (zeros when exact).
        public var standardErrors: [Double]
        /// f(x) and mean_b f(b): the values add up to their difference.
        public var prediction: Double
        /// The mean output over the background, mean_b f(b).
        public var expected: Double
        /// Whether the values were computed from all coalitions rather than sampled.
        public var exact: Bool
    }

    /// The values at raw row `x`: exact when the features number at most `exactLimit` (and `permutations`
    /// is nil), else from `permutations` (default 256) sampled orderings with their mirrors.
    ///
    /// - Parameters:
    ///   - x: the raw row explained.
    ///   - permutations: sampled orderings (nil: exact when possible, else 256).
    ///   - seed: the seed of the sampled orderings.
    /// - Returns: one value per feature (summing to f(x) - E f for exact values), with standard errors when
    ///   sampled.
    /// - Complexity: exact, 2^d coalitions times the background's rows; sampled, 2 x permutations x d.
    public func explain(_ x: [Double], permutations: Int? = nil, seed: UInt64 = 1) -> Explanation {
        let d = network.schema.count
        if permutations == nil, d <= Self.exactLimit { return exact(x) }
        return sampled(x, permutations: permutations ?? 256, seed: seed)
    }

    /// v(S) for every coalition S (bit i set: feature i takes x's value).
    func coalitionValues(_ x: [Double]) -> [Double] {
        let d = network.schema.count, m = background.rows
        let evaluator = NetworkEvaluator(network: network)
        var values = [Double](repeating: 0, count: 1 << d)
        // Coalitions in batches of rows: each coalition is m rows of the background with S from x.
        let perBatch = max(1, 65_536 / max(m, 1))
        var batch = [Double]()
        for start in stride(from: 0, to: 1 << d, by: perBatch) {
            let end = min(1 << d, start + perBatch)
            batch.removeAll(keepingCapacity: true)
            for coalition in start..<end {
                for row in 0..<m {
                    for feature in 0..<d {
                        batch.append(coalition & (1 << feature) != 0 ? x[feature] : background.values[row * d + feature])
                    }
                }
            }
            let out = evaluator.evaluate(raw: batch, rows: (end - start) * m)
            for coalition in start..<end {
                var total = 0.0
                for row in 0..<m { total += out[(coalition - start) * m + row, output] }
                values[coalition] = total / Double(m)
            }
        }
        return values
    }

    func exact(_ x: [Double]) -> Explanation {
        let d = network.schema.count
        let v = coalitionValues(x)
        // weight(s) = s! (d - s - 1)! / d! for a coalition of s others.
        var weights = [Double](repeating: 0, count: max(d, 1))
        for s in 0..<d {
            var weight = 1.0 / Double(d)
            // 1 / (d * C(d - 1, s))
            var binomial = 1.0
            for k in 0..<s { binomial = binomial * Double(d - 1 - k) / Double(k + 1) }
            weight /= binomial
            weights[s] = weight
        }
        var values = [Double](repeating: 0, count: d)
        for coalition in 0..<(1 << d) {
            let size = coalition.nonzeroBitCount
            for feature in 0..<d where coalition & (1 << feature) == 0 {
                values[feature] += weights[size] * (v[coalition | (1 << feature)] - v[coalition])
            }
        }
        return Explanation(values: values, standardErrors: [Double](repeating: 0, count: d),
                           prediction: v[(1 << d) - 1], expected: v[0], exact: true)
    }

    func sampled(_ x: [Double], permutations: Int, seed: UInt64) -> Explanation {
        let d = network.schema.count, m = background.rows
        let evaluator = NetworkEvaluator(network: network)
        var generator = SeededGenerator(seed: seed)
        var sums = [Double](repeating: 0, count: d), squares = sums
        // Per ordering pair: d + 1 points along the ordering and d + 1 along its mirror.
        var points = [Double](), orders: [[Int]] = []
        for _ in 0..<permutations {
            let order = generator.permutation(d)
            let row = Int(generator.next() % UInt64(max(m, 1)))
            let base = Array(background.values[(row * d)..<((row + 1) * d)])
            for ordering in [order, Array(order.reversed())] {
                var point = base
                points += point
                for feature in ordering {
                    point[feature] = x[feature]
                    points += point
                }
            }
            orders.append(order)
        }
        let out = evaluator.evaluate(raw: points, rows: permutations * 2 * (d + 1))
        for (pair, order) in orders.enumerated() {
            var contribution = [Double](repeating: 0, count: d)
            for (mirror, ordering) in [order, Array(order.reversed())].enumerated() {
                let first = (pair * 2 + mirror) * (d + 1)
                for (step, feature) in ordering.enumerated() {
                    contribution[feature] += 0.5 * (out[first + step + 1, output] - out[first + step, output])
                }
            }
            for feature in 0..<d {
                sums[feature] += contribution[feature]
                squares[feature] += contribution[feature] * contribution[feature]
            }
        }
        let n = Double(permutations)
        let values = sums.map { $0 / n }
        let errors = (0..<d).map { feature -> Double in
            guard permutations > 1 else { return .infinity }
            let variance = max(0, (squares[feature] - n * values[feature] * values[feature]) / (n - 1))
            return (variance / n).squareRoot()
        }
        let prediction = evaluator.evaluate(raw: x, rows: 1)[0, output]
        let backgroundOut = evaluator.evaluate(raw: background.values, rows: m)
        let expected = (0..<m).reduce(0.0) { $0 + backgroundOut[$1, output] } / Double(max(m, 1))
        return Explanation(values: values, standardErrors: errors, prediction: prediction, expected: expected, exact: false)
    }
}
