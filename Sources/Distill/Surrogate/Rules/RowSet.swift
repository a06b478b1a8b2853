/// A set of fitting rows as one bit per row: the coverage of a rule, the rows of a class.
struct RowSet: Equatable {
    private(set) var words: [UInt64]
    let rows: Int

    /// The empty set over `rows` rows.
    init(rows: Int) {
        self.rows = rows
        words = [UInt64](repeating: 0, count: (rows + 63) / 64)
    }

    /// The set holding `members`.
    init(rows: Int, members: some Sequence<Int>) {
        self.init(rows: rows)
        for row in members { insert(row) }
    }

    @inline(__always)
    func contains(_ row: Int) -> Bool { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }

    @inline(__always)
    mutating func insert(_ row: Int) { words[row >> 6] |= 1 << UInt64(row & 63) }

    /// Members in increasing order.
    var members: [Int] {
        var result: [Int] = []
        for (index, word) in words.enumerated() {
            var bits = word
            while bits != 0 {
                result.append(index << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
        return result
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    static func | (a: RowSet, b: RowSet) -> RowSet { a.combined(b) { $0 | $1 } }
    static func & (a: RowSet, b: RowSet) -> RowSet { a.combined(b) { $0 & $1 } }
    /// The members of `a` not in `b`.
    static func - (a: RowSet, b: RowSet) -> RowSet { a.combined(b) { $0 & ~$1 } }

    /// Members of `self & other`, counted without building the set.
    func intersectionCount(_ other: RowSet) -> Int {
        var total = 0
        for index in words.indices { total += (words[index] & other.words[index]).nonzeroBitCount }
        return total
    }

    private func combined(_ other: RowSet, _ operation: (UInt64, UInt64) -> UInt64) -> RowSet {
        precondition(rows == other.rows, "row sets over different rows")
        var result = self
        for index in words.indices { result.words[index] = operation(words[index], other.words[index]) }
        return result
    }
}

extension RuleFitData {
    /// The fitting rows that pass `test`, 64 rows to a word.
    func computeCoverage(_ test: RuleTest) -> RowSet {
        var set = RowSet(rows: rows)
        let base = test.feature * rows
        columns.withUnsafeBufferPointer { columns in
            switch test {
            case let .atMost(_, threshold): set.fill { columns[base + $0] <= threshold }
            case let .above(_, threshold): set.fill { columns[base + $0] > threshold }
            case .inCategories: set.fill { test.passes(columns[base + $0]) }
            }
        }
        return set
    }
}

extension RowSet {
    /// Every one of `rows` rows.
    static func all(rows: Int) -> RowSet {
        var set = RowSet(rows: rows)
        for index in set.words.indices {
            let bits = min(64, rows - index * 64)
            set.words[index] = bits == 64 ? ~0 : (1 << UInt64(bits)) - 1
        }
        return set
    }

    /// Makes the members the rows where `passes(row)`, one word at a time, without branches.
    @inline(__always)
    mutating func fill(_ passes: (Int) -> Bool) {
        let rows = self.rows
        words.withUnsafeMutableBufferPointer { words in
            for index in words.indices {
                let base = index << 6
                var word: UInt64 = 0
                for bit in 0..<min(64, rows - base) { word |= (passes(base + bit) ? 1 : 0) << UInt64(bit) }
                words[index] = word
            }
        }
    }

    /// Keeps only the members of `other`.
    mutating func formIntersection(_ other: RowSet) {
        precondition(rows == other.rows, "row sets over different rows")
        for index in words.indices { words[index] &= other.words[index] }
    }
}

/// Coverage of rules on one `RuleFitData`, computed once per rule (rule sets under optimisation, and
/// lists tried with one rule fewer, share most rules) from the coverage of each test, computed once.
final class RuleCoverageCache {
    private var known: [[RuleTest]: RowSet] = [:]
    /// Every single test's coverage: a rule's is the intersection of its tests'.
    private var tested: [RuleTest: RowSet] = [:]

    func coverage(_ tests: [RuleTest], in fit: RuleFitData) -> RowSet {
        if let set = known[tests] { return set }
        var set = RowSet.all(rows: fit.rows)
        for test in tests {
            if let passing = tested[test] {
                set.formIntersection(passing)
            } else {
                let passing = fit.computeCoverage(test)
                tested[test] = passing
                set.formIntersection(passing)
            }
        }
        known[tests] = set
        return set
    }
}

extension RuleFitData {
    /// The fitting rows that pass every test (cached).
    func coverage(_ tests: [RuleTest]) -> RowSet { coverageCache.coverage(tests, in: self) }

    /// Rows covered by any rule of `ruleSet`.
    func coverage(anyOf ruleSet: [[RuleTest]]) -> RowSet {
        ruleSet.reduce(RowSet(rows: rows)) { $0 | coverage($1) }
    }
}
