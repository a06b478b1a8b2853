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
    /// The fitting rows that pass every test, found column by column, 64 rows to a word.
    func computeCoverage(_ tests: [RuleTest]) -> RowSet {
        var set = RowSet.all(rows: rows)
        let count = rows
        columns.withUnsafeBufferPointer { columns in
            for test in tests {
                let column = UnsafeBufferPointer(rebasing: columns[(test.feature * count)..<((test.feature + 1) * count)])
                set.keep { row in test.passes(column[row]) }
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

    /// Removes the members for which `passes` is false.
    @inline(__always)
    mutating func keep(where passes: (Int) -> Bool) {
        for index in words.indices where words[index] != 0 {
            var word: UInt64 = 0
            let base = index << 6
            for bit in 0..<min(64, rows - base) where passes(base + bit) { word |= 1 << UInt64(bit) }
            words[index] &= word
        }
    }
}

/// Coverage of rules on one `RuleFitData`, computed once per rule (rule sets under optimisation, and
/// lists tried with one rule fewer, share most rules).
final class RuleCoverageCache {
    private var known: [[RuleTest]: RowSet] = [:]

    func coverage(_ tests: [RuleTest], in fit: RuleFitData) -> RowSet {
        if let set = known[tests] { return set }
        let set = fit.computeCoverage(tests)
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
