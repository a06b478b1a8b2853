/// Fast second-level scoring for the oracle tree's lookahead: the node's points are sorted once per
/// feature, and for a candidate first split the Gini-best single split of each side is found by one pass
/// per feature over both sides at once (the proxy of `SplitCriterion`), returning how many points then
/// agree with their side's majority.
struct LookaheadScorer {
    let data: Dataset
    let labels: [Int]
    let classCount: Int
    let minSamplesLeaf: Int
    var allowedFeatures: Set<Int>?
    /// Per continuous or binary feature, the point indices sorted by value (ties by index; empty for
    /// categorical features), and the values and labels in that order.
    let orders: [[Int32]]
    private let sortedValues: [[Double]]
    private let sortedLabels: [[Int32]]

    init(data: Dataset, labels: [Int], classCount: Int, minSamplesLeaf: Int) {
        self.data = data
        self.labels = labels
        self.classCount = classCount
        self.minSamplesLeaf = minSamplesLeaf
        let rows = data.rows, width = data.schema.count
        var orders: [[Int32]] = [], sortedValues: [[Double]] = [], sortedLabels: [[Int32]] = []
        for (feature, description) in data.schema.features.enumerated() {
            guard !description.isCategorical else {
                orders.append([])
                sortedValues.append([])
                sortedLabels.append([])
                continue
            }
            let column = (0..<rows).map { data.values[$0 * width + feature] }
            var order = [Int32](repeating: 0, count: rows)
            column.withUnsafeBufferPointer { column in
                order.withUnsafeMutableBufferPointer { DoubleRadixSort.order(of: column, into: $0) }
            }
            orders.append(order)
            sortedValues.append(order.map { column[Int($0)] })
            sortedLabels.append(order.map { Int32(labels[Int($0)]) })
        }
        self.orders = orders
        self.sortedValues = sortedValues
        self.sortedLabels = sortedLabels
    }

    /// One side's search: its class totals, and the best split found so far. Along a threshold sweep the
    /// sums of squared class counts of both halves are kept up to date point by point (whole numbers, so
    /// exactly the sums over the classes), and the halves' majorities are counted only for a split that
    /// beats the best.
    private struct Side {
        var totals: [Int]
        var size: Int
        var best: Int
        var bestProxy = -Double.infinity
        var left: [Int]
        var leftSize = 0
        var previous = -Double.infinity
        let totalSquares: Double
        var leftSquares = 0.0
        var rightSquares = 0.0

        init(totals: [Int]) {
            self.totals = totals
            size = totals.reduce(0, +)
            best = totals.max() ?? 0
            left = [Int](repeating: 0, count: totals.count)
            totalSquares = totals.reduce(0.0) { $0 + Double($1) * Double($1) }
        }

        mutating func startFeature() {
            for k in left.indices { left[k] = 0 }
            leftSize = 0
            previous = -Double.infinity
            leftSquares = 0
            rightSquares = totalSquares
        }

        /// Whether the split whose halves hold these squared class counts beats the best (then its score
        /// is kept; the caller counts its majorities).
        @inline(__always)
        mutating func improves(leftSquares: Double, leftSize: Int, rightSquares: Double, minSamplesLeaf: Int) -> Bool {
            let rightSize = size - leftSize
            guard leftSize >= minSamplesLeaf, rightSize >= minSamplesLeaf else { return false }
            let proxy = SplitCriterion.proxy(leftSquares: leftSquares, leftCount: leftSize, rightSquares: rightSquares, rightCount: rightSize)
            guard bestProxy == -.infinity || proxy > bestProxy + 1e-12 * abs(bestProxy) else { return false }
            bestProxy = proxy
            return true
        }

        /// Scores the split that sends `counts` (of `countsSize` points) left.
        mutating func consider(_ counts: [Int], _ countsSize: Int, minSamplesLeaf: Int) {
            var leftSquares = 0.0, rightSquares = 0.0
            for k in 0..<totals.count {
                let l = Double(counts[k]), r = Double(totals[k] - counts[k])
                leftSquares += l * l
                rightSquares += r * r
            }
            if improves(leftSquares: leftSquares, leftSize: countsSize, rightSquares: rightSquares, minSamplesLeaf: minSamplesLeaf) {
                best = Self.majorities(counts, totals)
            }
        }

        /// Points agreeing with their half's majority when `left` of `totals` go left.
        static func majorities(_ left: [Int], _ totals: [Int]) -> Int {
            var leftMax = 0, rightMax = 0
            for k in 0..<totals.count {
                leftMax = max(leftMax, left[k])
                rightMax = max(rightMax, totals[k] - left[k])
            }
            return leftMax + rightMax
        }

        /// The next point of a threshold sweep: the split below it is scored when its value is larger.
        @inline(__always)
        mutating func advance(value: Double, label: Int, minSamplesLeaf: Int) {
            if leftSize > 0, value > previous,
               improves(leftSquares: leftSquares, leftSize: leftSize, rightSquares: rightSquares, minSamplesLeaf: minSamplesLeaf) {
                best = Self.majorities(left, totals)
            }
            let inLeft = Double(left[label]), inRight = Double(totals[label] - left[label])
            leftSquares += 2 * inLeft + 1
            rightSquares -= 2 * inRight - 1
            left[label] += 1
            leftSize += 1
            previous = value
        }
    }

    /// Points agreeing with their side's majority after the Gini-best split of the points where
    /// `member` is true, plus the same for the points where it is false (a side's own majority when no
    /// split is allowed).
    func bestSecondLevels(member: [Bool]) -> Int {
        var inside = [Int](repeating: 0, count: classCount), outside = inside
        for row in 0..<data.rows {
            if member[row] { inside[labels[row]] += 1 } else { outside[labels[row]] += 1 }
        }
        var sides = [Side(totals: inside), Side(totals: outside)]
        let searched = sides.map { $0.size >= 2 * minSamplesLeaf }
        guard searched[0] || searched[1] else { return sides[0].best + sides[1].best }
        for (feature, description) in data.schema.features.enumerated() where allowedFeatures?.contains(feature) ?? true {
            if let categories = description.categories {
                var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: 2 * categories.count)
                for row in 0..<data.rows {
                    counts[(member[row] ? 0 : categories.count) + Int(data[row, feature])][labels[row]] += 1
                }
                for side in 0..<2 where searched[side] {
                    for category in categories.indices {
                        let cell = counts[side * categories.count + category], size = cell.reduce(0, +)
                        if size > 0 { sides[side].consider(cell, size, minSamplesLeaf: minSamplesLeaf) }
                    }
                }
                continue
            }
            sides[0].startFeature()
            sides[1].startFeature()
            let order = orders[feature], values = sortedValues[feature], labels = sortedLabels[feature]
            for index in order.indices {
                let side = member[Int(order[index])] ? 0 : 1
                guard searched[side] else { continue }
                sides[side].advance(value: values[index], label: Int(labels[index]), minSamplesLeaf: minSamplesLeaf)
            }
        }
        return sides[0].best + sides[1].best
    }
}
