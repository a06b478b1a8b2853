/// Fitting rows with the network's class labels, shared by the rule learners, with the measures they
/// use: coverage of a rule, agreement of a whole list.
struct RuleFitData {
    let data: Dataset
    let labels: [Int]
    let classCount: Int
    /// Column-major copy of the raw values: `columns[feature * rows + row]`.
    let columns: [Double]
    /// Per feature, the rows sorted by value (ties by row, NaN last), for threshold scans.
    let sortedRows: [[Int]]

    /// Per continuous feature, the thresholds rules may use: midpoints between adjacent distinct values of
    /// the fitting rows; binned, those `FeatureBins.edges` keeps (all of them for at most `bins` values).
    let cuts: [[Double]]
    /// Whether thresholds are limited to `cuts` (else any midpoint between covered rows).
    let binned: Bool
    /// With `binned`: per row, how many of a continuous feature's cuts lie below the row's value, and a
    /// categorical feature's category (`bin[feature * rows + row]`), for histogram scans.
    let bin: [UInt16]
    /// Features rules may test (all when nil).
    var allowedFeatures: Set<Int>?
    /// The rows of each class.
    let classSets: [RowSet]
    let coverageCache = RuleCoverageCache()

    init(data: Dataset, labels: [Int], classCount: Int, bins: Int? = nil) {
        self.data = data
        self.labels = labels
        self.classCount = classCount
        let rows = data.rows, width = data.schema.count
        var columns = [Double](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for feature in 0..<width { columns[feature * rows + row] = data.values[row * width + feature] }
        }
        self.columns = columns
        classSets = (0..<classCount).map { label in RowSet(rows: rows, members: labels.indices.filter { labels[$0] == label }) }
        let sortedRows = columns.withUnsafeBufferPointer { columns in
            (0..<width).map { feature in
                var order = [Int32](repeating: 0, count: rows)
                order.withUnsafeMutableBufferPointer { order in
                    DoubleRadixSort.order(of: UnsafeBufferPointer(rebasing: columns[(feature * rows)..<((feature + 1) * rows)]), into: order)
                }
                return order.map { Int($0) }
            }
        }
        self.sortedRows = sortedRows
        // A category's index must fit a bin.
        binned = bins != nil && data.schema.features.allSatisfy { ($0.categories?.count ?? 0) <= Int(UInt16.max) + 1 }
        let binned = self.binned
        cuts = (0..<width).map { feature in
            let values = sortedRows[feature].map { columns[feature * rows + $0] }
            // Binned as the trees' histogram search bins (every boundary of a feature with at most `bins`
            // values, a binary one's included; else greedy quantile bins).
            if binned, let bins { return FeatureBins.edges(sorted: values.filter { !$0.isNaN }, maxBins: bins) }
            var cuts: [Double] = []
            for position in 1..<max(values.count, 1) where values[position] > values[position - 1] {
                cuts.append(SplitTest.midpoint(values[position - 1], values[position]))
            }
            return cuts
        }
        var bin = [UInt16]()
        if binned {
            bin = [UInt16](repeating: 0, count: rows * width)
            for feature in 0..<width {
                guard data.schema.features[feature].categories == nil else {
                    let count = data.schema.features[feature].categories?.count ?? 0
                    for row in 0..<rows {
                        let category = columns[feature * rows + row]
                        precondition(category >= 0 && category < Double(count), "a category index out of range")
                        bin[feature * rows + row] = UInt16(category)
                    }
                    continue
                }
                let cuts = self.cuts[feature]
                var below = 0
                for row in sortedRows[feature] {
                    let value = columns[feature * rows + row]
                    while below < cuts.count && cuts[below] < value { below += 1 }
                    bin[feature * rows + row] = UInt16(below)
                }
            }
        }
        self.bin = bin
    }

    /// The raw value of `feature` in `row`.
    @inline(__always)
    func value(_ row: Int, _ feature: Int) -> Double { columns[feature * data.rows + row] }

    /// Whether `row` passes every test.
    @inline(__always)
    func covers(_ tests: [RuleTest], _ row: Int) -> Bool {
        for test in tests where !test.passes(value(row, test.feature)) { return false }
        return true
    }

    var rows: Int { data.rows }
    var width: Int { data.schema.count }

    /// Calls `body` with every row's raw values.
    @inline(__always)
    func forEachRow(_ body: (Int, UnsafeBufferPointer<Double>) -> Void) {
        let width = self.width
        data.values.withUnsafeBufferPointer { buffer in
            for row in 0..<data.rows { body(row, UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])) }
        }
    }

    /// Rows of `subset` (all when nil) covered by `tests`, and how many of them are labelled `prediction`.
    func coverage(_ tests: [RuleTest], prediction: Int, subset: [Bool]? = nil) -> (covered: Int, correct: Int) {
        var covered = 0, correct = 0
        forEachRow { row, values in
            if let subset, !subset[row] { return }
            if tests.allSatisfy({ $0.passes(values[$0.feature]) }) {
                covered += 1
                if labels[row] == prediction { correct += 1 }
            }
        }
        return (covered, correct)
    }

    /// Rows on which `list` (with its default recomputed as the majority of the rows it leaves) agrees
    /// with the network, and that default.
    func agreement(_ list: RuleList) -> (agreeing: Int, defaultClass: Int) {
        // Each rule in turn decides the covered rows no earlier rule decided.
        var undecided = RowSet.all(rows: rows)
        var agreeing = 0
        for index in list.evaluationOrder {
            let decided = coverage(list.rules[index].tests) & undecided
            agreeing += decided.intersectionCount(classSets[list.rules[index].prediction])
            undecided = undecided - decided
        }
        let leftover = classSets.map(undecided.intersectionCount)
        let defaultClass = leftover.reduce(0, +) > 0 ? Self.majority(leftover) : list.defaultClass
        return (agreeing + leftover[defaultClass], defaultClass)
    }

    /// The most frequent class (the lowest index on ties).
    static func majority(_ counts: [Int]) -> Int {
        var best = 0
        for index in counts.indices where counts[index] > counts[best] { best = index }
        return best
    }

    /// Class counts of all rows.
    var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// `list` with its default set to the majority of the rows it leaves, and its counts recomputed.
    func finished(_ list: RuleList) -> RuleList {
        var result = list
        result.defaultClass = agreement(list).defaultClass
        result.recount(raw: data.values, rows: data.rows, labels: labels)
        return result
    }

    /// Removes rules while the list is larger than the caps (`maxRules` counts the default rule), each
    /// time the rule whose removal costs the least agreement (the later one on ties).
    func capped(_ list: RuleList, maxRules: Int?, maxConditions: Int?) -> RuleList {
        var result = list
        func tooBig() -> Bool {
            (maxRules.map { result.rules.count + 1 > $0 } ?? false)
                || (maxConditions.map { result.conditionCount > $0 } ?? false)
        }
        while tooBig() && !result.rules.isEmpty {
            // Removing a rule leaves the rules tried before it as they were: each removal is scored from
            // the rows undecided (and agreeing) before it, as `agreement` of the list without it would be.
            let order = result.evaluationOrder
            let covered = order.map { coverage(result.rules[$0].tests) }
            var before = [(undecided: RowSet.all(rows: rows), agreeing: 0)]
            for (position, index) in order.enumerated() {
                let (undecided, agreeing) = before[position]
                let decided = covered[position] & undecided
                before.append((undecided - decided, agreeing + decided.intersectionCount(classSets[result.rules[index].prediction])))
            }
            var positionOf = [Int](repeating: 0, count: order.count)
            for (position, index) in order.enumerated() { positionOf[index] = position }
            var best: (index: Int, agreeing: Int)?
            for index in result.rules.indices.reversed() {
                var (undecided, agreeing) = before[positionOf[index]]
                for position in (positionOf[index] + 1)..<order.count {
                    let decided = covered[position] & undecided
                    agreeing += decided.intersectionCount(classSets[result.rules[order[position]].prediction])
                    undecided = undecided - decided
                }
                agreeing += classSets.map(undecided.intersectionCount).max() ?? 0
                if best == nil || agreeing > best!.agreeing { best = (index, agreeing) }
            }
            result.rules.remove(at: best!.index)
        }
        return result
    }

    /// Drops, from the last rule to the first, every rule whose removal does not lower agreement.
    func pruned(_ list: RuleList) -> RuleList {
        var result = list
        var current = agreement(result).agreeing
        for index in result.rules.indices.reversed() {
            var candidate = result
            candidate.rules.remove(at: index)
            let agreeing = agreement(candidate).agreeing
            if agreeing >= current {
                result = candidate
                current = agreeing
            }
        }
        return result
    }
}
