/// Fits a CART decision tree (Gini impurity for classes, variance for real targets) on raw features, the
/// way scikit-learn's `DecisionTreeClassifier`/`Regressor` do with all features considered at every node:
/// thresholds at midpoints between adjacent distinct values, categorical features split into two subsets
/// of categories, depth-first growth, or best-first growth when `maxLeaves` is set.
///
/// Each continuous feature is sorted once at the root; every split partitions the sorted index lists
/// stably, so a node costs O(rows in node x features).
/// Ties are broken deterministically: the lower feature index, then the lower threshold, wins.
public struct TreeBuilder: Sendable {
    public var settings: TreeSettings

    public init(settings: TreeSettings) {
        self.settings = settings
    }

    /// Fits a tree to `target` on the rows of `data`.
    public func fit(_ data: Dataset, target: TreeTarget, outputs: [String]) -> DecisionTree {
        precondition(target.rows == data.rows && data.rows > 0, "target rows must match the data")
        let growth = TreeGrowth(data: data, target: target, settings: settings)
        growth.grow()
        let task: Task
        if case .classes = target { task = .classification } else { task = .regression }
        return DecisionTree(task: task, schema: data.schema, outputs: outputs, nodes: growth.nodes)
    }
}

/// The mutable state of one fit: column-major features, presorted row orders and the growing node list.
final class TreeGrowth {
    let rows: Int
    let featureCount: Int
    let schema: FeatureSchema
    let settings: TreeSettings
    /// Column-major copy of the raw features: `columns[f * rows + r]`.
    let columns: [Double]
    /// Class labels (classification) and class count; or targets row-major and output count.
    let labels: [Int]
    let classCount: Int
    let targets: [Double]
    let outputCount: Int
    var isClassification: Bool { classCount > 0 }
    /// `order[slot * rows + i]`: row indices, sorted by the slot's feature within every node segment.
    /// The last slot keeps the natural order (used for categorical features and node statistics).
    var order: [Int32]
    let slotOfFeature: [Int]
    let naturalSlot: Int
    var goesLeft: [Bool]
    var scratch: [Int32]
    var nodes: [TreeNode] = []

    init(data: Dataset, target: TreeTarget, settings: TreeSettings) {
        rows = data.rows
        featureCount = data.schema.count
        schema = data.schema
        self.settings = settings
        var columns = [Double](repeating: 0, count: rows * featureCount)
        for row in 0..<rows {
            for feature in 0..<featureCount { columns[feature * rows + row] = data.values[row * featureCount + feature] }
        }
        self.columns = columns
        switch target {
        case let .classes(labels, count):
            self.labels = labels
            classCount = count
            targets = []
            outputCount = 0
        case let .values(values, outputs):
            labels = []
            classCount = 0
            targets = values
            outputCount = outputs
        }
        var slots: [Int] = []
        var next = 0
        for feature in data.schema.features {
            slots.append(feature.isCategorical ? -1 : next)
            if !feature.isCategorical { next += 1 }
        }
        slotOfFeature = slots
        naturalSlot = next
        order = [Int32](repeating: 0, count: (next + 1) * rows)
        goesLeft = [Bool](repeating: false, count: rows)
        scratch = [Int32](repeating: 0, count: rows)
        presort()
    }

    private func presort() {
        let rows = self.rows
        for row in 0..<rows { order[naturalSlot * rows + row] = Int32(row) }
        for feature in 0..<featureCount where slotOfFeature[feature] >= 0 {
            let base = feature * rows
            var sorted: [(value: Double, row: Int32)] = []
            sorted.reserveCapacity(rows)
            for row in 0..<rows { sorted.append((columns[base + row], Int32(row))) }
            sorted.sort { a, b in a.value < b.value || (a.value == b.value && a.row < b.row) }
            let slotBase = slotOfFeature[feature] * rows
            for (position, entry) in sorted.enumerated() { order[slotBase + position] = entry.row }
        }
    }

    /// A node waiting to be split: its segment of the order arrays and its best split.
    struct Pending {
        var node: Int
        var start: Int
        var end: Int
        var split: SplitCandidate?
        var improvement: Double
    }

    func grow() {
        let root = makeNode(start: 0, end: rows, depth: 0)
        if let maxLeaves = settings.maxLeaves {
            growBestFirst(root: root, maxLeaves: maxLeaves)
        } else {
            var stack = [root]
            while let pending = stack.popLast() {
                guard let split = pending.split else { continue }
                let (left, right) = apply(split, to: pending)
                stack.append(right)
                stack.append(left)
            }
        }
    }

    private func growBestFirst(root: Pending, maxLeaves: Int) {
        var frontier = [root]
        var leaves = 1
        while leaves < maxLeaves {
            var best: Int?
            for (index, candidate) in frontier.enumerated() where candidate.split != nil {
                if let current = best {
                    let a = candidate.improvement, b = frontier[current].improvement
                    if a > b || (a == b && candidate.node < frontier[current].node) { best = index }
                } else {
                    best = index
                }
            }
            guard let chosen = best else { break }
            let pending = frontier.remove(at: chosen)
            let (left, right) = apply(pending.split!, to: pending)
            frontier.append(left)
            frontier.append(right)
            leaves += 1
        }
    }

    /// Records the node's statistics and finds its best split (nil when it must stay a leaf).
    private func makeNode(start: Int, end: Int, depth: Int) -> Pending {
        let (value, spread, parentProxy, pure) = statistics(start: start, end: end)
        let index = nodes.count
        nodes.append(TreeNode(split: nil, left: -1, right: -1, samples: end - start, value: value,
                              spread: spread, depth: depth))
        let count = end - start
        var split: SplitCandidate?
        if !pure, count >= 2 * settings.minSamplesLeaf, count >= 2, depth < (settings.maxDepth ?? Int.max) {
            split = bestSplit(start: start, end: end)
        }
        let improvement = split.map { ($0.proxy - parentProxy) / Double(rows * max(outputCount, 1)) } ?? 0
        return Pending(node: index, start: start, end: end, split: split, improvement: improvement)
    }

    /// Splits a pending node: partitions every order segment and creates both children.
    private func apply(_ split: SplitCandidate, to pending: Pending) -> (Pending, Pending) {
        let rows = self.rows
        let base = split.feature * rows
        let natural = naturalSlot * rows
        var leftCount = 0
        for position in pending.start..<pending.end {
            let row = Int(order[natural + position])
            let left = split.test.goesLeft(columns[base + row])
            goesLeft[row] = left
            if left { leftCount += 1 }
        }
        for slot in 0...naturalSlot { partition(slotBase: slot * rows, start: pending.start, end: pending.end) }
        let depth = nodes[pending.node].depth + 1
        nodes[pending.node].split = (split.feature, split.test)
        let mid = pending.start + leftCount
        let left = makeNode(start: pending.start, end: mid, depth: depth)
        nodes[pending.node].left = left.node
        let right = makeNode(start: mid, end: pending.end, depth: depth)
        nodes[pending.node].right = right.node
        return (left, right)
    }

    /// Stable partition of one order segment by `goesLeft`.
    private func partition(slotBase: Int, start: Int, end: Int) {
        order.withUnsafeMutableBufferPointer { order in
            scratch.withUnsafeMutableBufferPointer { scratch in
                goesLeft.withUnsafeBufferPointer { goesLeft in
                    var write = slotBase + start
                    var spill = 0
                    for position in (slotBase + start)..<(slotBase + end) {
                        let row = order[position]
                        if goesLeft[Int(row)] {
                            order[write] = row
                            write += 1
                        } else {
                            scratch[spill] = row
                            spill += 1
                        }
                    }
                    for index in 0..<spill { order[write + index] = scratch[index] }
                }
            }
        }
    }

    /// Node value, spread, the no-split proxy (sum c²/n or sum s²/n) and whether it is pure.
    private func statistics(start: Int, end: Int) -> ([Double], [Double], Double, Bool) {
        let count = end - start
        let natural = naturalSlot * rows
        if isClassification {
            var counts = [Int](repeating: 0, count: classCount)
            for position in start..<end { counts[labels[Int(order[natural + position])]] += 1 }
            let squares = counts.reduce(0) { $0 + $1 * $1 }
            let pure = counts.contains(count)
            return (counts.map(Double.init), [], Double(squares) / Double(count), pure)
        }
        var sums = [Double](repeating: 0, count: outputCount)
        for position in start..<end {
            let row = Int(order[natural + position])
            for output in 0..<outputCount { sums[output] += targets[row * outputCount + output] }
        }
        let means = sums.map { $0 / Double(count) }
        var deviations = [Double](repeating: 0, count: outputCount)
        for position in start..<end {
            let row = Int(order[natural + position])
            for output in 0..<outputCount {
                let delta = targets[row * outputCount + output] - means[output]
                deviations[output] += delta * delta
            }
        }
        let variances = deviations.map { $0 / Double(count) }
        let proxy = sums.reduce(0) { $0 + $1 * $1 } / Double(count)
        let pure = variances.reduce(0, +) / Double(outputCount) <= Double.ulpOfOne
        return (means, variances.map { $0.squareRoot() }, proxy, pure)
    }
}
