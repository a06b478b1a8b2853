import Foundation

/// A rule of one or two conditions on raw features describing where a flag is set (a neuron active).
/// The first condition is the test that agrees with the flags on most rows, or the one with the largest
/// FOIL gain (it keeps most flagged rows while raising their share: the start of a conjunction that
/// agreement alone would not pick); each is joined by AND to the second test that then agrees on most
/// rows, and the most agreeing of the single tests and the pairs is kept (a pair only when it agrees on
/// more). Thresholds lie at midpoints between observed values; ties keep the earlier feature and the lower
/// threshold.
enum ActiveRule {
    /// The tests and their agreement (share of rows where "the rule holds" equals the flag).
    static func find(data: Dataset, active: [Bool]) -> (tests: [RuleTest], agreement: Double) {
        let rows = data.rows
        guard rows > 0 else { return ([], 0) }
        let all = Array(0..<rows)
        let positives = active.filter { $0 }.count
        // With no test the rule never holds: it agrees on the unflagged rows.
        var best: (tests: [RuleTest], right: Int) = ([], rows - positives)
        guard let starts = candidates(data: data, active: active, within: all, outside: 0) else { return ([], Double(best.right) / Double(rows)) }
        for (first, right) in [starts.agreeing, starts.gaining] {
            if right > best.right { best = ([first], right) }
            let inside = all.filter { first.passes(data[$0, first.feature]) }
            // Outside the first test the rule does not hold: the flagged rows there disagree.
            let outside = all.filter { !first.passes(data[$0, first.feature]) && active[$0] }.count
            if let second = candidates(data: data, active: active, within: inside, outside: outside, excluding: first.feature)?.agreeing,
               second.1 > best.right {
                best = ([first, second.0], second.1)
            }
        }
        return (best.tests, Double(best.right) / Double(rows))
    }

    /// Over the tests on `within`'s rows: the one whose rule (holding where it passes) agrees with the flags
    /// on the most rows, and the one with the largest FOIL gain, each with its count of agreeing rows;
    /// `outside` flagged rows lie outside `within` (the rule does not hold there).
    private static func candidates(data: Dataset, active: [Bool], within rows: [Int], outside flaggedElsewhere: Int,
                                   excluding excluded: Int? = nil) -> (agreeing: (RuleTest, Int), gaining: (RuleTest, Int))? {
        let total = data.rows
        let positivesWithin = rows.filter { active[$0] }.count
        let baseRate = Double(positivesWithin) / Double(max(rows.count, 1))
        var agreeing: (RuleTest, Int)?, gaining: (test: RuleTest, right: Int, gain: Double)?
        func consider(_ test: RuleTest, holdsPositive: Int, holdsNegative: Int) {
            // Agreeing: flagged rows where it holds, plus unflagged rows where it does not.
            let right = holdsPositive + (total - flaggedElsewhere - positivesWithin - holdsNegative)
            if right > agreeing?.1 ?? Int.min { agreeing = (test, right) }
            guard holdsPositive > 0, baseRate > 0 else { return }
            let gain = Double(holdsPositive) * (log2(Double(holdsPositive) / Double(holdsPositive + holdsNegative)) - log2(baseRate))
            if gain > gaining?.gain ?? -.infinity { gaining = (test, right, gain) }
        }
        for (feature, spec) in data.schema.features.enumerated() where feature != excluded {
            if let categories = spec.categories {
                for category in categories.indices {
                    let members = rows.filter { Int(data[$0, feature]) == category }
                    let positive = members.filter { active[$0] }.count
                    consider(.inCategories(feature: feature, categories: categories.indices.map { $0 == category }),
                             holdsPositive: positive, holdsNegative: members.count - positive)
                }
                continue
            }
            let sorted = rows.sorted { data[$0, feature] < data[$1, feature] || (data[$0, feature] == data[$1, feature] && $0 < $1) }
            // Prefix counts: flagged and unflagged rows at or below each cut.
            var below = (positive: 0, negative: 0)
            for position in sorted.indices {
                if active[sorted[position]] { below.positive += 1 } else { below.negative += 1 }
                guard position + 1 < sorted.count else { break }
                let value = data[sorted[position], feature], next = data[sorted[position + 1], feature]
                guard next > value else { continue }
                let cut = SplitTest.midpoint(value, next)
                consider(.atMost(feature: feature, threshold: cut), holdsPositive: below.positive, holdsNegative: below.negative)
                consider(.above(feature: feature, threshold: cut), holdsPositive: positivesWithin - below.positive,
                         holdsNegative: rows.count - positivesWithin - below.negative)
            }
        }
        guard let agreeing else { return nil }
        return (agreeing, gaining.map { ($0.test, $0.right) } ?? agreeing)
    }
}
