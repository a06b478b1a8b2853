/// Fits a short linear model in every node of a regression tree (every node, so that pruning can weigh
/// a node as a linear leaf): forward stepwise least squares on the node's fitting points, each step
/// adding the raw feature (continuous or binary; categorical indices are not quantities) that lowers the
/// squared error most, up to `maxTerms` terms, while a term lowers it by more than 1e-9 of the node's
/// total. Coefficients are then rounded to the shortest decimals that move a typical prediction by at
/// most 1e-3 of the node's target spread per term, and the intercept is refitted to the rounded
/// coefficients (and rounded the same way), so the listing shows exactly what is computed.
public struct LinearLeafFitter: Sendable {
    /// Most terms per model (0 or more).
    public var maxTerms: Int
    /// Features the models may use (all continuous and binary features when nil).
    public var allowedFeatures: Set<Int>?

    /// Creates a fitter; a negative `maxTerms` is raised to 0. All continuous and binary features by default.
    public init(maxTerms: Int, allowedFeatures: Set<Int>? = nil) {
        self.maxTerms = max(0, maxTerms)
        self.allowedFeatures = allowedFeatures
    }

    /// `tree` with `models` set in every node, from the rows of `data` and their `targets` (row-major,
    /// one value per output).
    public func fit(_ tree: DecisionTree, data: Dataset, targets: [Double]) -> DecisionTree {
        let outputs = tree.outputs.count, width = data.schema.count
        let candidates = (0..<width).filter { feature in
            data.schema.features[feature].categories == nil && (allowedFeatures?.contains(feature) ?? true)
        }
        let d = candidates.count, stride = d + 1
        // Per node: sums of 1, x, x x^T (lower triangle), y, x y and y² over its rows.
        var count = [Double](repeating: 0, count: tree.nodes.count)
        var sumX = [Double](repeating: 0, count: tree.nodes.count * stride)
        var sumXX = [Double](repeating: 0, count: tree.nodes.count * stride * stride)
        var sumY = [Double](repeating: 0, count: tree.nodes.count * outputs)
        var sumXY = [Double](repeating: 0, count: tree.nodes.count * outputs * stride)
        var sumYY = [Double](repeating: 0, count: tree.nodes.count * outputs)
        var x = [Double](repeating: 0, count: d)
        data.values.withUnsafeBufferPointer { values in
            for row in 0..<data.rows {
                let point = UnsafeBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)])
                for (j, feature) in candidates.enumerated() { x[j] = point[feature] }
                var node = 0
                while true {
                    count[node] += 1
                    for a in 0..<d {
                        sumX[node * stride + a] += x[a]
                        for b in 0...a { sumXX[(node * stride + a) * stride + b] += x[a] * x[b] }
                    }
                    for output in 0..<outputs {
                        let y = targets[row * outputs + output], slot = node * outputs + output
                        sumY[slot] += y
                        sumYY[slot] += y * y
                        for a in 0..<d { sumXY[slot * stride + a] += x[a] * y }
                    }
                    guard let split = tree.nodes[node].split else { break }
                    node = split.test.goesLeft(point[split.feature]) ? tree.nodes[node].left : tree.nodes[node].right
                }
            }
        }
        var result = tree
        for node in tree.nodes.indices where count[node] > 0 {
            let n = count[node]
            let mean = (0..<d).map { sumX[node * stride + $0] / n }
            var gram = [Double](repeating: 0, count: d * d)
            for a in 0..<d {
                for b in 0...a {
                    gram[a * d + b] = sumXX[(node * stride + a) * stride + b] - n * mean[a] * mean[b]
                    gram[b * d + a] = gram[a * d + b]
                }
            }
            result.nodes[node].models = (0..<outputs).map { output in
                let slot = node * outputs + output
                let meanY = sumY[slot] / n
                let cross = (0..<d).map { sumXY[slot * stride + $0] - n * mean[$0] * meanY }
                let total = max(sumYY[slot] - n * meanY * meanY, 0)
                return model(gram: gram, cross: cross, total: total, mean: mean, meanY: meanY, n: n, candidates: candidates)
            }
        }
        return result
    }

    /// The models (one per output) of all of `data`'s rows, as a one-leaf tree gets them.
    public func models(_ data: Dataset, targets: [Double], outputs: [String]) -> [LeafModel] {
        let root = TreeNode(split: nil, left: -1, right: -1, samples: data.rows, value: outputs.map { _ in 0 }, spread: [], depth: 0)
        let tree = DecisionTree(task: .regression, schema: data.schema, outputs: outputs, nodes: [root])
        return fit(tree, data: data, targets: targets).nodes[0].models
    }

    /// The stepwise model of one node and output from its centred sums.
    func model(gram: [Double], cross: [Double], total: Double, mean: [Double], meanY: Double, n: Double,
               candidates: [Int]) -> LeafModel {
        let d = candidates.count
        var chosen: [Int] = []
        var error = total
        func remaining(_ set: [Int]) -> Double? {
            guard let coefficients = Self.solve(gram: gram, cross: cross, set: set, d: d) else { return nil }
            return total - zip(set, coefficients).reduce(0) { $0 + $1.1 * cross[$1.0] }
        }
        let usable = (0..<d).filter { gram[$0 * d + $0] > 0 }
        if Self.subsetCount(usable.count, min(maxTerms, usable.count)) <= Self.exhaustiveLimit {
            // Every subset of up to maxTerms features; a larger subset must lower the error by more than
            // 1e-9 of the total to be preferred.
            var sets: [[Int]] = [[]]
            for _ in 0..<min(maxTerms, usable.count) {
                sets = sets.flatMap { set in usable.filter { $0 > (set.last ?? -1) }.map { set + [$0] } }
                var bestOfSize: (set: [Int], error: Double)?
                for set in sets {
                    if let value = remaining(set), bestOfSize == nil || value < bestOfSize!.error { bestOfSize = (set, value) }
                }
                guard let bestOfSize, error - bestOfSize.error > 1e-9 * total else { break }
                (chosen, error) = bestOfSize
            }
        } else {
            while chosen.count < min(maxTerms, d) {
                var best: (index: Int, error: Double)?
                for candidate in usable where !chosen.contains(candidate) {
                    if let value = remaining(chosen + [candidate]), best == nil || value < best!.error { best = (candidate, value) }
                }
                guard let best, error - best.error > 1e-9 * total else { break }
                chosen.append(best.index)
                error = best.error
            }
        }
        let coefficients = chosen.isEmpty ? [] : Self.solve(gram: gram, cross: cross, set: chosen, d: d) ?? []
        // Rounding: each term may move a prediction by 1e-3 of the target's spread over one spread of x.
        let spreadY = (total / n).squareRoot()
        var terms: [LinearTerm] = []
        for (index, coefficient) in zip(chosen, coefficients) {
            let spreadX = (gram[index * d + index] / n).squareRoot()
            let tolerance = spreadX > 0 && spreadY > 0 ? 1e-3 * spreadY / spreadX : 0
            terms.append(LinearTerm(feature: candidates[index], coefficient: Self.rounded(coefficient, tolerance)))
        }
        var intercept = meanY
        for (index, term) in zip(chosen, terms) { intercept -= term.coefficient * mean[index] }
        return LeafModel(intercept: Self.rounded(intercept, 1e-3 * spreadY), terms: terms)
    }

    /// The shortest decimal within `tolerance` of `value` (the value itself when the tolerance is 0).
    static func rounded(_ value: Double, _ tolerance: Double) -> Double {
        guard tolerance > 0, value.isFinite else { return value }
        return ThresholdRounding.shortDecimal(near: value, low: value - 2 * tolerance, high: value + 2 * tolerance)
    }

    /// Subsets searched exhaustively per node and output at most (C(20, 3) = 1140 of them); beyond, the
    /// terms are chosen forward stepwise.
    static let exhaustiveLimit = 2000

    /// How many subsets of 1 to `k` of `n` features there are.
    static func subsetCount(_ n: Int, _ k: Int) -> Int {
        var total = 0, term = 1
        for size in stride(from: 1, through: k, by: 1) {
            term = term * (n - size + 1) / size
            total += term
            if total > exhaustiveLimit { return total }
        }
        return total
    }

    /// Least-squares coefficients on the features `set` (indices into the candidates), or nil when their
    /// Gram matrix is singular.
    static func solve(gram: [Double], cross: [Double], set: [Int], d: Int) -> [Double]? {
        let p = set.count
        var matrix = [Double](repeating: 0, count: p * p)
        for a in 0..<p { for b in 0..<p { matrix[a * p + b] = gram[set[a] * d + set[b]] } }
        // A pivot below 1e-10 of its diagonal means a candidate (nearly) collinear with those chosen: it
        // is refused rather than given huge opposite coefficients.
        guard let factor = Cholesky.factor(matrix, p) else { return nil }
        for a in 0..<p where factor[a * p + a] * factor[a * p + a] < 1e-10 * matrix[a * p + a] { return nil }
        return Cholesky.solve(factor, p, set.map { cross[$0] })
    }
}
