import Foundation

/// Grows and prunes one rule for a positive class against negatives, as in IREP and RIPPER: conditions
/// are added one at a time by FOIL information gain until no negative grow row is covered, then the final
/// conditions are cut where (p - n) / (p + n) on the prune rows is highest.
///
/// Candidate conditions: `x <= t` and `x > t` at every midpoint between adjacent distinct values of the
/// covered rows (binary features: `= 0`, `= 1`), and for categorical features every prefix of the
/// categories ordered by their share of positives (`colour in {red, green}`).
struct RuleGrower {
    let fit: RuleFitData

    /// FOIL gain of going from (p0, n0) to (p1, n1) covered positives and negatives.
    @inline(__always)
    static func foilGain(p0: Double, n0: Double, p1: Double, n1: Double) -> Double {
        guard p1 > 0 else { return 0 }
        return p1 * (log2(p1 / (p1 + n1)) - log2(p0 / (p0 + n0)))
    }

    /// Extends `tests` on the grow rows (`positive[row]` says which are positive) until it covers no
    /// negative or no condition gains.
    func grow(from tests: [RuleTest], rows: [Int], positive: [Bool]) -> [RuleTest] {
        var tests = tests
        var covered = rows.filter { row in covers(tests, row) }
        // Binned: the covered rows' counts per bin, kept as conditions are added.
        var histograms = fit.binned ? ConditionHistograms(fit: fit, rows: covered, positive: positive) : nil
        while true {
            let p0 = Double(covered.reduce(0) { $0 + (positive[$1] ? 1 : 0) })
            let n0 = Double(covered.count) - p0
            guard p0 > 0, n0 > 0 else { break }
            guard let best = bestCondition(covered: covered, positive: positive, p0: p0, n0: n0, histograms: histograms) else { break }
            tests.append(best)
            let kept = covered.filter { best.passes(fit.value($0, best.feature)) }
            if histograms != nil {
                if covered.count - kept.count < kept.count {
                    histograms!.remove(covered.filter { !best.passes(fit.value($0, best.feature)) }, fit: fit, positive: positive)
                } else {
                    histograms = ConditionHistograms(fit: fit, rows: kept, positive: positive)
                }
            }
            covered = kept
        }
        return tests
    }

    /// The prefix of `tests` (at least one test) with the highest (p - n) / (p + n) on `rows`; the shortest
    /// on ties.
    func prune(_ tests: [RuleTest], rows: [Int], positive: [Bool]) -> [RuleTest] {
        guard tests.count > 1 else { return tests }
        var bestLength = tests.count
        var bestValue = -Double.infinity
        // Coverage counts for every prefix length in one pass: the first failing test decides.
        var passedUpTo = [Int](repeating: 0, count: tests.count + 1)
        var positivesUpTo = [Int](repeating: 0, count: tests.count + 1)
        for row in rows {
            var length = 0
            while length < tests.count && tests[length].passes(fit.value(row, tests[length].feature)) { length += 1 }
            passedUpTo[length] += 1
            if positive[row] { positivesUpTo[length] += 1 }
        }
        // Rows covered by the prefix of length j are those whose first failure is at j or later.
        var covered = 0, positives = 0
        var values = [Double](repeating: -.infinity, count: tests.count + 1)
        for length in stride(from: tests.count, through: 1, by: -1) {
            covered += passedUpTo[length]
            positives += positivesUpTo[length]
            let negatives = covered - positives
            values[length] = covered > 0 ? Double(positives - negatives) / Double(covered) : -.infinity
        }
        for length in 1...tests.count where values[length] > bestValue {
            bestValue = values[length]
            bestLength = length
        }
        return withoutWeakTests(Array(tests.prefix(bestLength)), rows: rows, positive: positive)
    }

    /// Beyond RIPPER's final-sequence pruning: drops any single test whose removal does not lower
    /// (p - n) / (p + n) on the prune rows, one at a time, so an early test chosen by chance on the grow
    /// rows does not survive just because later tests depend on it.
    func withoutWeakTests(_ tests: [RuleTest], rows: [Int], positive: [Bool]) -> [RuleTest] {
        var tests = tests
        func value(_ tests: [RuleTest]) -> Double {
            var covered = 0, positives = 0
            for row in rows where covers(tests, row) {
                covered += 1
                if positive[row] { positives += 1 }
            }
            return covered > 0 ? Double(2 * positives - covered) / Double(covered) : -.infinity
        }
        var current = value(tests)
        while tests.count > 1 {
            var best: (index: Int, value: Double)?
            for index in tests.indices {
                var candidate = tests
                candidate.remove(at: index)
                let candidateValue = value(candidate)
                if candidateValue >= current, best == nil || candidateValue > best!.value { best = (index, candidateValue) }
            }
            guard let best else { break }
            tests.remove(at: best.index)
            current = best.value
        }
        return tests
    }

    @inline(__always)
    func covers(_ tests: [RuleTest], _ row: Int) -> Bool { fit.covers(tests, row) }

    /// The condition of highest FOIL gain on the covered rows; `histograms` holds their counts per bin when
    /// `fit` is binned.
    private func bestCondition(covered: [Int], positive: [Bool], p0: Double, n0: Double, histograms: ConditionHistograms?) -> RuleTest? {
        var best: (test: RuleTest, gain: Double)?
        var isCovered = [Bool](repeating: false, count: fit.binned ? 0 : fit.rows)
        if !fit.binned { for row in covered { isCovered[row] = true } }
        let base = log2(p0 / (p0 + n0))
        func consider(_ test: RuleTest, _ p1: Double, _ n1: Double) {
            guard p1 > 0, p1 + n1 < p0 + n0 else { return }
            // FOIL gain p1 (log2(p1 / (p1 + n1)) - log2(p0 / (p0 + n0))); it cannot beat the best when
            // even a pure rule (n1 = 0) would not.
            if let best, -p1 * base <= best.gain { return }
            let gain = p1 * (log2(p1 / (p1 + n1)) - base)
            if gain > 1e-12, best == nil || gain > best!.gain + 1e-12 * best!.gain { best = (test, gain) }
        }
        for (feature, description) in fit.data.schema.features.enumerated() where fit.allowedFeatures?.contains(feature) ?? true {
            if let categories = description.categories {
                var pos = [Double](repeating: 0, count: categories.count), all = pos
                if let histograms {
                    for category in categories.indices {
                        let (negatives, positives) = histograms.count(feature, bin: category)
                        (pos[category], all[category]) = (positives, negatives + positives)
                    }
                } else {
                    for row in covered {
                        let category = Int(fit.value(row, feature))
                        all[category] += 1
                        if positive[row] { pos[category] += 1 }
                    }
                }
                let present = categories.indices.filter { all[$0] > 0 }
                let ordered = present.sorted { a, b in
                    let ra = pos[a] / all[a], rb = pos[b] / all[b]
                    return ra > rb || (ra == rb && a < b)
                }
                var mask = [Bool](repeating: false, count: categories.count)
                var p1 = 0.0, n1 = 0.0
                for category in ordered.dropLast() {
                    mask[category] = true
                    p1 += pos[category]
                    n1 += all[category] - pos[category]
                    consider(.inCategories(feature: feature, categories: mask), p1, n1)
                }
                continue
            }
            guard let histograms else {
                // Every midpoint between two covered rows with different values.
                var pLeft = 0.0, nLeft = 0.0
                var previous = -1
                for row in fit.sortedRows[feature] where isCovered[row] {
                    if previous >= 0 {
                        let value = fit.value(previous, feature), next = fit.value(row, feature)
                        if next > value {
                            let threshold = SplitTest.midpoint(value, next)
                            consider(.atMost(feature: feature, threshold: threshold), pLeft, nLeft)
                            consider(.above(feature: feature, threshold: threshold), p0 - pLeft, n0 - nLeft)
                        }
                    }
                    if positive[row] { pLeft += 1 } else { nLeft += 1 }
                    previous = row
                }
                continue
            }
            // The covered rows' counts over the feature's cuts; a cut is a candidate when covered rows lie
            // on both sides of it.
            let cuts = fit.cuts[feature]
            var pLeft = 0.0, nLeft = 0.0
            for cut in cuts.indices {
                let (negatives, positives) = histograms.count(feature, bin: cut)
                pLeft += positives
                nLeft += negatives
                guard pLeft + nLeft > 0 else { continue }
                if pLeft + nLeft == p0 + n0 { break }
                consider(.atMost(feature: feature, threshold: cuts[cut]), pLeft, nLeft)
                consider(.above(feature: feature, threshold: cuts[cut]), p0 - pLeft, n0 - nLeft)
            }
        }
        return best?.test
    }
}
