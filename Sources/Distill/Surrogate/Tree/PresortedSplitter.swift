/// The exact split search: each continuous or binary feature is sorted once at the root, every split
/// partitions the sorted index lists stably (so a node costs O(rows in node x features)), and a node's
/// rows are scanned in each feature's order, moving one row at a time from right to left. Thresholds sit
/// at midpoints between adjacent distinct values of the node, as scikit-learn places them.
struct PresortedSplitter: TreeSplitter {
    typealias Cache = Void

    let criterion: SplitCriterion
    let rows: Int
    let schema: FeatureSchema
    let settings: TreeSettings
    /// Column-major copy of the raw features: `columns[f * rows + r]`.
    let columns: [Double]
    /// `order[slot * rows + i]`: row indices, sorted by the slot's feature within every node segment.
    /// The last slot keeps the natural order (used for categorical features and node statistics).
    var order: [Int32]
    let slotOfFeature: [Int]
    let naturalSlot: Int
    var goesLeft: [Bool]
    let searchedFeatures: [Int]

    init(data: Dataset, target: TreeTarget, settings: TreeSettings) {
        criterion = SplitCriterion(target)
        rows = data.rows
        schema = data.schema
        self.settings = settings
        let featureCount = data.schema.count
        var columns = [Double](repeating: 0, count: rows * featureCount)
        for row in 0..<rows {
            for feature in 0..<featureCount { columns[feature * rows + row] = data.values[row * featureCount + feature] }
        }
        self.columns = columns
        var slots: [Int] = []
        var next = 0
        for feature in data.schema.features {
            slots.append(feature.isCategorical ? -1 : next)
            if !feature.isCategorical { next += 1 }
        }
        slotOfFeature = slots
        naturalSlot = next
        goesLeft = [Bool](repeating: false, count: rows)
        searchedFeatures = (0..<featureCount).filter { settings.allowedFeatures?.contains($0) ?? true }
        order = [Int32](repeating: 0, count: (next + 1) * rows)
        presort()
    }

    private mutating func presort() {
        let rows = self.rows, columns = self.columns, slotOfFeature = self.slotOfFeature
        for row in 0..<rows { order[naturalSlot * rows + row] = Int32(row) }
        let sorted = (0..<schema.count).filter { slotOfFeature[$0] >= 0 }
        order.withUnsafeMutableBufferPointer { order in
            let target = UncheckedBox(order)
            Parallelism.forEach(pieces: sorted.count) { piece, _ in
                let feature = sorted[piece]
                let slot = slotOfFeature[feature] * rows
                columns.withUnsafeBufferPointer { columns in
                    DoubleRadixSort.order(of: UnsafeBufferPointer(rebasing: columns[(feature * rows)..<((feature + 1) * rows)]),
                                          into: UnsafeMutableBufferPointer(rebasing: target.value[slot..<(slot + rows)]))
                }
            }
        }
    }

    func withRows<Result>(start: Int, end: Int, _ body: (UnsafeBufferPointer<Int32>) -> Result) -> Result {
        order.withUnsafeBufferPointer { order in
            body(UnsafeBufferPointer(rebasing: order[(naturalSlot * rows + start)..<(naturalSlot * rows + end)]))
        }
    }

    func rootCache() -> Void? { () }

    var cacheBytes: Int { 0 }

    func childCaches(parent: Void?, left: Range<Int>, right: Range<Int>, wantLeft: Bool, wantRight: Bool) -> (left: Void?, right: Void?) {
        ((), ())
    }

    /// Each searched feature's best split (features in parallel for large nodes), the best of them.
    func bestSplit(start: Int, end: Int, cache: Void?) -> SplitCandidate? {
        let features = searchedFeatures
        var found = [SplitCandidate?](repeating: nil, count: features.count)
        let threads = (end - start) * features.count >= 200_000 ? Parallelism.threads : 1
        found.withUnsafeMutableBufferPointer { found in
            let results = UncheckedBox(found)
            Parallelism.forEach(pieces: features.count, threads: threads) { piece, _ in
                let feature = features[piece]
                results.value[piece] = slotOfFeature[feature] >= 0
                    ? scanSorted(feature: feature, start: start, end: end)
                    : searchCategories(feature: feature, start: start, end: end)
            }
        }
        var best: SplitCandidate?
        for candidate in found { if let candidate, candidate.beats(best) { best = candidate } }
        return best
    }

    /// Scans the rows in feature order, keeping both sides' sums and sums of squares up to date (O(1) per
    /// row for classes, O(outputs) for targets).
    private func scanSorted(feature: Int, start: Int, end: Int) -> SplitCandidate? {
        let count = end - start
        let minLeaf = settings.minSamplesLeaf
        let width = criterion.width
        let slotBase = slotOfFeature[feature] * rows
        let columnBase = feature * rows
        var bestProxy = -Double.infinity
        var bestThreshold = 0.0
        var left = [Double](repeating: 0, count: width), right = left
        order.withUnsafeBufferPointer { order in
            columns.withUnsafeBufferPointer { column in
                left.withUnsafeMutableBufferPointer { left in
                    right.withUnsafeMutableBufferPointer { right in
                        let l = left.baseAddress!, r = right.baseAddress!
                        for position in start..<end { criterion.add(row: Int(order[slotBase + position]), to: r) }
                        var squaresLeft = 0.0
                        var squaresRight = SplitCriterion.squares(r, width: width)
                        for offset in 0..<(count - 1) {
                            let row = Int(order[slotBase + start + offset])
                            if criterion.isClassification {
                                let label = Int(criterion.labels[row])
                                squaresLeft += 2 * l[label] + 1
                                l[label] += 1
                                squaresRight -= 2 * r[label] - 1
                                r[label] -= 1
                            } else {
                                for output in 0..<width {
                                    let y = criterion.targets[row * width + output]
                                    l[output] += y
                                    r[output] -= y
                                }
                            }
                            let leftCount = offset + 1
                            if leftCount < minLeaf { continue }
                            if count - leftCount < minLeaf { break }
                            let value = column[columnBase + row]
                            let next = column[columnBase + Int(order[slotBase + start + offset + 1])]
                            guard next > value else { continue }
                            if !criterion.isClassification {
                                squaresLeft = SplitCriterion.squares(l, width: width)
                                squaresRight = SplitCriterion.squares(r, width: width)
                            }
                            let proxy = SplitCriterion.proxy(leftSquares: squaresLeft, leftCount: leftCount,
                                                             rightSquares: squaresRight, rightCount: count - leftCount)
                            if proxy > bestProxy {
                                bestProxy = proxy
                                bestThreshold = SplitTest.midpoint(value, next)
                            }
                        }
                    }
                }
            }
        }
        guard bestProxy > -Double.infinity else { return nil }
        return SplitCandidate(feature: feature, test: .threshold(bestThreshold), proxy: bestProxy)
    }

    /// The best subset split of a categorical feature from its categories' sums at the node.
    private func searchCategories(feature: Int, start: Int, end: Int) -> SplitCandidate? {
        guard let categoryCount = schema.features[feature].categories?.count else { return nil }
        let width = criterion.width
        var sums = [Double](repeating: 0, count: categoryCount * width)
        var counts = [Int](repeating: 0, count: categoryCount)
        let natural = naturalSlot * rows
        let columnBase = feature * rows
        sums.withUnsafeMutableBufferPointer { sums in
            for position in start..<end {
                let row = Int(order[natural + position])
                let category = Int(columns[columnBase + row])
                counts[category] += 1
                criterion.add(row: row, to: sums.baseAddress! + category * width)
            }
        }
        guard let (left, proxy) = criterion.bestCategorySplit(sums: sums, counts: counts, minLeaf: settings.minSamplesLeaf) else {
            return nil
        }
        return SplitCandidate(feature: feature, test: .categories(left: left), proxy: proxy)
    }

    /// Marks the rows going left, then partitions every order segment stably (slots in parallel).
    mutating func partition(start: Int, end: Int, by split: SplitCandidate) -> (test: SplitTest, leftCount: Int) {
        let rows = self.rows
        let base = split.feature * rows
        let natural = naturalSlot * rows
        var leftCount = 0
        for position in start..<end {
            let row = Int(order[natural + position])
            let left = split.test.goesLeft(columns[base + row])
            goesLeft[row] = left
            if left { leftCount += 1 }
        }
        let slots = naturalSlot + 1
        let threads = (end - start) * slots >= 200_000 ? Parallelism.threads : 1
        let goesLeft = self.goesLeft
        order.withUnsafeMutableBufferPointer { order in
            let shared = UncheckedBox(order)
            Parallelism.forEach(pieces: slots, threads: threads, scratch: { [Int32](repeating: 0, count: end - start) }) { slot, spill in
                Self.stablePartition(shared.value, from: slot * rows + start, to: slot * rows + end, goesLeft: goesLeft, spill: &spill)
            }
        }
        return (split.test, leftCount)
    }

    /// Rows marked in `goesLeft` first, both parts in their order.
    private static func stablePartition(_ order: UnsafeMutableBufferPointer<Int32>, from start: Int, to end: Int,
                                        goesLeft: [Bool], spill: inout [Int32]) {
        var write = start
        var spilled = 0
        for position in start..<end {
            let row = order[position]
            if goesLeft[Int(row)] {
                order[write] = row
                write += 1
            } else {
                spill[spilled] = row
                spilled += 1
            }
        }
        for index in 0..<spilled { order[write + index] = spill[index] }
    }
}
