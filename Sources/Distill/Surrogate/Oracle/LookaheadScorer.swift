/// Fast second-level scoring for the oracle tree's lookahead: the node's points are sorted once per
/// feature, and for any subset (one side of a candidate first split) the Gini-best single split is found
/// by one pass per feature (the proxy of `SplitCriterion`), returning how many points then agree with
/// their side's majority.
struct LookaheadScorer {
    let data: Dataset
    let labels: [Int]
    let classCount: Int
    let minSamplesLeaf: Int
    var allowedFeatures: Set<Int>?
    /// Per continuous or binary feature, the point indices sorted by value (empty for categorical).
    let orders: [[Int]]

    init(data: Dataset, labels: [Int], classCount: Int, minSamplesLeaf: Int) {
        self.data = data
        self.labels = labels
        self.classCount = classCount
        self.minSamplesLeaf = minSamplesLeaf
        orders = data.schema.features.enumerated().map { feature, description in
            guard !description.isCategorical else { return [] }
            return (0..<data.rows).sorted { a, b in
                let va = data[a, feature], vb = data[b, feature]
                return va < vb || (va == vb && a < b)
            }
        }
    }

    /// Points agreeing with their side's majority after the Gini-best split of the points where
    /// `member` is true (their own majority when no split is allowed).
    func bestSecondLevel(member: [Bool]) -> Int {
        var totals = [Int](repeating: 0, count: classCount)
        var size = 0
        for row in 0..<data.rows where member[row] {
            totals[labels[row]] += 1
            size += 1
        }
        var best = totals.max() ?? 0
        guard size >= 2 * minSamplesLeaf else { return best }
        var bestProxy = -Double.infinity
        func consider(_ left: [Int], _ leftSize: Int) {
            let rightSize = size - leftSize
            guard leftSize >= minSamplesLeaf, rightSize >= minSamplesLeaf else { return }
            var leftSquares = 0.0, rightSquares = 0.0, leftMax = 0, rightMax = 0
            for k in 0..<classCount {
                let l = Double(left[k]), r = Double(totals[k] - left[k])
                leftSquares += l * l
                rightSquares += r * r
                leftMax = max(leftMax, left[k])
                rightMax = max(rightMax, totals[k] - left[k])
            }
            let proxy = SplitCriterion.proxy(leftSquares: leftSquares, leftCount: leftSize, rightSquares: rightSquares, rightCount: rightSize)
            if bestProxy == -.infinity || proxy > bestProxy + 1e-12 * abs(bestProxy) {
                bestProxy = proxy
                best = leftMax + rightMax
            }
        }
        for (feature, description) in data.schema.features.enumerated() where allowedFeatures?.contains(feature) ?? true {
            if let categories = description.categories {
                var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: categories.count)
                var sizes = [Int](repeating: 0, count: categories.count)
                for row in 0..<data.rows where member[row] {
                    let category = Int(data[row, feature])
                    counts[category][labels[row]] += 1
                    sizes[category] += 1
                }
                for category in categories.indices where sizes[category] > 0 { consider(counts[category], sizes[category]) }
                continue
            }
            var left = [Int](repeating: 0, count: classCount)
            var leftSize = 0
            var previous = -Double.infinity
            for row in orders[feature] where member[row] {
                let value = data[row, feature]
                if leftSize > 0, value > previous { consider(left, leftSize) }
                left[labels[row]] += 1
                leftSize += 1
                previous = value
            }
        }
        return best
    }
}
