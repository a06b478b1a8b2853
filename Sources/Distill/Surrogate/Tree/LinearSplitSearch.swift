/// The split of a node that leaves the least squared error when each side gets its own least-squares
/// linear model in every continuous and binary input (plus an intercept). Candidate thresholds sit at 15
/// quantiles of each input (between two different values); each side keeps at least
/// `max(minSamplesLeaf, inputs + 2)` rows. The sums of both sides come from one sorted pass per input, so
/// a node costs inputs x rows x (inputs + 1)² / 2 operations: used up to `maxFeatures` inputs.
struct LinearSplitSearch {
    static let maxFeatures = 16
    static let quantiles = 16
    let settings: TreeSettings

    /// Sums of 1, z, z z^T, y, z y, y y over rows, z = (1, x...) of the model inputs.
    struct Sums {
        let size: Int, outputs: Int
        var zz: [Double], zy: [Double], yy: [Double]

        init(size: Int, outputs: Int) {
            self.size = size
            self.outputs = outputs
            zz = [Double](repeating: 0, count: size * size)
            zy = [Double](repeating: 0, count: size * outputs)
            yy = [Double](repeating: 0, count: outputs)
        }

        mutating func add(_ z: [Double], _ y: ArraySlice<Double>, sign: Double = 1) {
            for a in 0..<size {
                for b in 0...a { zz[a * size + b] += sign * z[a] * z[b] }
            }
            for (output, value) in y.enumerated() {
                yy[output] += sign * value * value
                for a in 0..<size { zy[output * size + a] += sign * z[a] * value }
            }
        }

        /// The least-squares error of these rows under a linear model (nil when it cannot be solved).
        func error() -> Double? {
            var matrix = [Double](repeating: 0, count: size * size)
            for a in 0..<size {
                for b in 0...a {
                    matrix[a * size + b] = zz[a * size + b]
                    matrix[b * size + a] = zz[a * size + b]
                }
                // A relative ridge keeps constant or collinear inputs solvable.
                matrix[a * size + a] += 1e-9 * max(zz[a * size + a], 1e-300)
            }
            guard let factor = Cholesky.factor(matrix, size) else { return nil }
            var total = 0.0
            for output in 0..<outputs {
                let cross = Array(zy[(output * size)..<((output + 1) * size)])
                let coefficients = Cholesky.solve(factor, size, cross)
                total += yy[output] - zip(coefficients, cross).reduce(0) { $0 + $1.0 * $1.1 }
            }
            return max(total, 0)
        }
    }

    /// The model inputs: every continuous and binary feature.
    static func inputs(of schema: FeatureSchema) -> [Int] {
        (0..<schema.count).filter { schema.features[$0].categories == nil }
    }

    /// The best split and how much it lowers the squared error; nil when no candidate lowers it or there
    /// are too many inputs.
    func bestSplit(_ data: Dataset, targets: [Double], outputs: Int) -> (SplitCandidate, Double)? {
        let inputs = Self.inputs(of: data.schema)
        guard inputs.count <= Self.maxFeatures else { return nil }
        let size = inputs.count + 1, rows = data.rows
        let least = max(settings.minSamplesLeaf, size + 1)
        guard rows >= 2 * least else { return nil }
        func z(_ row: Int) -> [Double] { [1] + inputs.map { data[row, $0] } }
        func y(_ row: Int) -> ArraySlice<Double> { targets[(row * outputs)..<((row + 1) * outputs)] }
        var total = Sums(size: size, outputs: outputs)
        for row in 0..<rows { total.add(z(row), y(row)) }
        guard let parent = total.error() else { return nil }
        var best: (candidate: SplitCandidate, error: Double)?
        for feature in inputs where settings.allowedFeatures?.contains(feature) ?? true {
            let order = (0..<rows).sorted { data[$0, feature] < data[$1, feature] || (data[$0, feature] == data[$1, feature] && $0 < $1) }
            var left = Sums(size: size, outputs: outputs)
            var taken = 0
            for quantile in 1..<Self.quantiles {
                var cut = max(least, rows * quantile / Self.quantiles)
                // Move the cut up to the next change of value.
                while cut < rows - least && data[order[cut - 1], feature] == data[order[cut], feature] { cut += 1 }
                guard cut <= rows - least, cut > taken, data[order[cut - 1], feature] < data[order[cut], feature] else { continue }
                while taken < cut {
                    left.add(z(order[taken]), y(order[taken]))
                    taken += 1
                }
                var right = total
                for a in right.zz.indices { right.zz[a] -= left.zz[a] }
                for a in right.zy.indices { right.zy[a] -= left.zy[a] }
                for a in right.yy.indices { right.yy[a] -= left.yy[a] }
                guard let leftError = left.error(), let rightError = right.error() else { continue }
                let error = leftError + rightError
                if best == nil || error < best!.error - 1e-12 * parent {
                    let threshold = SplitTest.midpoint(data[order[cut - 1], feature], data[order[cut], feature])
                    best = (SplitCandidate(feature: feature, test: .threshold(threshold), proxy: -error), error)
                }
            }
        }
        guard let best, parent - best.error > 1e-9 * max(parent, 1e-300) else { return nil }
        return (best.candidate, parent - best.error)
    }
}
