/// Split search: a sorted scan for continuous and binary features, a subset search for categorical ones.
extension TreeGrowth {
    /// The best admissible split of the node segment, or nil when no split keeps `minSamplesLeaf` rows
    /// on both sides.
    func bestSplit(start: Int, end: Int) -> SplitCandidate? {
        var best: SplitCandidate?
        for feature in 0..<featureCount where settings.allowedFeatures?.contains(feature) ?? true {
            let candidate = slotOfFeature[feature] >= 0
                ? scanSorted(feature: feature, start: start, end: end)
                : searchCategories(feature: feature, start: start, end: end)
            guard let candidate else { continue }
            if best == nil || candidate.proxy > best!.proxy + 1e-12 * abs(best!.proxy) { best = candidate }
        }
        return best
    }

    /// Scans the rows in feature order, moving one row at a time from right to left and keeping the
    /// proxy's sums up to date (O(1) per row for classes, O(outputs) for targets).
    private func scanSorted(feature: Int, start: Int, end: Int) -> SplitCandidate? {
        let count = end - start
        let minLeaf = settings.minSamplesLeaf
        let slotBase = slotOfFeature[feature] * rows
        let columnBase = feature * rows
        var bestProxy = -Double.infinity
        var bestThreshold = 0.0
        order.withUnsafeBufferPointer { order in
            columns.withUnsafeBufferPointer { column in
                if isClassification {
                    var left = [Int](repeating: 0, count: classCount)
                    var right = [Int](repeating: 0, count: classCount)
                    for position in start..<end { right[labels[Int(order[slotBase + position])]] += 1 }
                    var squaresLeft = 0
                    var squaresRight = right.reduce(0) { $0 + $1 * $1 }
                    labels.withUnsafeBufferPointer { labels in
                        for offset in 0..<(count - 1) {
                            let row = Int(order[slotBase + start + offset])
                            let label = labels[row]
                            squaresLeft += 2 * left[label] + 1
                            left[label] += 1
                            squaresRight -= 2 * right[label] - 1
                            right[label] -= 1
                            let leftCount = offset + 1
                            if leftCount < minLeaf { continue }
                            if count - leftCount < minLeaf { break }
                            let value = column[columnBase + row]
                            let next = column[columnBase + Int(order[slotBase + start + offset + 1])]
                            guard next > value else { continue }
                            let proxy = Double(squaresLeft) / Double(leftCount)
                                + Double(squaresRight) / Double(count - leftCount)
                            if proxy > bestProxy {
                                bestProxy = proxy
                                bestThreshold = Self.midpoint(value, next)
                            }
                        }
                    }
                } else {
                    let outputs = outputCount
                    var left = [Double](repeating: 0, count: outputs)
                    var right = [Double](repeating: 0, count: outputs)
                    for position in start..<end {
                        let row = Int(order[slotBase + position])
                        for output in 0..<outputs { right[output] += targets[row * outputs + output] }
                    }
                    for offset in 0..<(count - 1) {
                        let row = Int(order[slotBase + start + offset])
                        for output in 0..<outputs {
                            let y = targets[row * outputs + output]
                            left[output] += y
                            right[output] -= y
                        }
                        let leftCount = offset + 1
                        if leftCount < minLeaf { continue }
                        if count - leftCount < minLeaf { break }
                        let value = column[columnBase + row]
                        let next = column[columnBase + Int(order[slotBase + start + offset + 1])]
                        guard next > value else { continue }
                        var proxy = 0.0
                        for output in 0..<outputs {
                            proxy += left[output] * left[output] / Double(leftCount)
                                + right[output] * right[output] / Double(count - leftCount)
                        }
                        if proxy > bestProxy {
                            bestProxy = proxy
                            bestThreshold = Self.midpoint(value, next)
                        }
                    }
                }
            }
        }
        guard bestProxy > -Double.infinity else { return nil }
        return SplitCandidate(feature: feature, test: .threshold(bestThreshold), proxy: bestProxy)
    }

    /// The threshold between two adjacent distinct values: their midpoint, or the lower value when the
    /// midpoint rounds up to the upper one (as scikit-learn does).
    static func midpoint(_ low: Double, _ high: Double) -> Double {
        let middle = low / 2 + high / 2
        return middle >= high || !middle.isFinite ? low : middle
    }

    /// Best two-way partition of the categories present at the node. Exact for two classes or one target
    /// (categories ordered by mean, Breiman's result) and for up to 10 categories (every subset);
    /// otherwise categories are ordered by their share of the node's majority class.
    private func searchCategories(feature: Int, start: Int, end: Int) -> SplitCandidate? {
        guard let categoryCount = schema.features[feature].categories?.count else { return nil }
        let width = isClassification ? classCount : outputCount
        var stats = [Double](repeating: 0, count: categoryCount * width)
        var counts = [Int](repeating: 0, count: categoryCount)
        let natural = naturalSlot * rows
        let columnBase = feature * rows
        for position in start..<end {
            let row = Int(order[natural + position])
            let category = Int(columns[columnBase + row])
            counts[category] += 1
            if isClassification {
                stats[category * width + labels[row]] += 1
            } else {
                for output in 0..<width { stats[category * width + output] += targets[row * width + output] }
            }
        }
        let present = (0..<categoryCount).filter { counts[$0] > 0 }
        guard present.count >= 2 else { return nil }
        let total = end - start

        func proxy(ofLeft left: [Int]) -> Double? {
            var leftStats = [Double](repeating: 0, count: width)
            var leftCount = 0
            for category in left {
                leftCount += counts[category]
                for k in 0..<width { leftStats[k] += stats[category * width + k] }
            }
            let rightCount = total - leftCount
            guard leftCount >= settings.minSamplesLeaf, rightCount >= settings.minSamplesLeaf else { return nil }
            var value = 0.0
            for k in 0..<width {
                var all = 0.0
                for category in present { all += stats[category * width + k] }
                let rightStat = all - leftStats[k]
                value += leftStats[k] * leftStats[k] / Double(leftCount) + rightStat * rightStat / Double(rightCount)
            }
            return value
        }

        var bestProxy = -Double.infinity
        var bestLeft: [Int] = []
        func consider(_ left: [Int]) {
            if let value = proxy(ofLeft: left), bestLeft.isEmpty || value > bestProxy + 1e-12 * abs(bestProxy) {
                bestProxy = value
                bestLeft = left
            }
        }
        if width == 1 || (isClassification && classCount == 2) || present.count > 10 {
            let key: (Int) -> Double
            if isClassification {
                var nodeCounts = [Double](repeating: 0, count: width)
                for category in present { for k in 0..<width { nodeCounts[k] += stats[category * width + k] } }
                let target = classCount == 2 ? 1 : nodeCounts.indices.max { nodeCounts[$0] < nodeCounts[$1] }!
                key = { stats[$0 * width + target] / Double(counts[$0]) }
            } else {
                key = { stats[$0 * width] / Double(counts[$0]) }
            }
            let ordered = present.sorted { key($0) < key($1) || (key($0) == key($1) && $0 < $1) }
            for size in 1..<ordered.count { consider(Array(ordered.prefix(size))) }
        } else {
            let rest = Array(present.dropFirst())
            for mask in 0..<((1 << rest.count) - 1) {
                var left = [present[0]]
                for (bit, category) in rest.enumerated() where mask & (1 << bit) != 0 { left.append(category) }
                consider(left.sorted())
            }
        }
        guard bestProxy > -Double.infinity else { return nil }
        let leftCount = bestLeft.reduce(0) { $0 + counts[$1] }
        var goesLeft = [Bool](repeating: false, count: categoryCount)
        for category in bestLeft { goesLeft[category] = true }
        if leftCount >= total - leftCount {
            for category in 0..<categoryCount where counts[category] == 0 { goesLeft[category] = true }
        }
        return SplitCandidate(feature: feature, test: .categories(left: goesLeft), proxy: bestProxy)
    }
}
