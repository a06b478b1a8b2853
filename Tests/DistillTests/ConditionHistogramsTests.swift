@testable import Distill
import Testing

/// RIPPER's binned condition search counts the rows a growing rule covers per bin once, then takes the
/// rows each condition drops away: the counts must equal a count of the kept rows made from scratch.
struct ConditionHistogramsTests {
    /// 300 rows: two continuous features (one with many ties), a binary one and a categorical one of
    /// 5 categories, with random labels.
    static func data(seed: UInt64) -> (RuleFitData, positive: [Bool]) {
        let schema = FeatureSchema(features: [
            Feature(name: "a", kind: .continuous(min: nil, max: nil)), Feature(name: "b", kind: .continuous(min: nil, max: nil)),
            Feature(name: "c", kind: .binary), Feature(name: "d", kind: .categorical(values: ["p", "q", "r", "s", "t"])),
        ])
        var generator = SeededGenerator(seed: seed)
        let rows = 300
        var values: [Double] = []
        for _ in 0..<rows {
            values += [generator.nextUnit() * 10, Double(generator.nextInt(below: 7)), Double(generator.nextInt(below: 2)),
                       Double(generator.nextInt(below: 5))]
        }
        let labels = (0..<rows).map { _ in generator.nextInt(below: 3) }
        let fit = RuleFitData(data: Dataset(schema: schema, rows: rows, values: values), labels: labels, classCount: 3, bins: 16)
        return (fit, labels.map { $0 == 1 })
    }

    /// Negatives and positives per feature and bin, counted row by row from the raw values: a continuous
    /// value's bin is the number of cuts below it, a category's its index.
    static func reference(_ fit: RuleFitData, rows: [Int], positive: [Bool]) -> [[(Double, Double)]] {
        (0..<fit.width).map { feature in
            let categories = fit.data.schema.features[feature].categories
            let bins = categories?.count ?? fit.cuts[feature].count + 1
            var counts = [(Double, Double)](repeating: (0, 0), count: bins)
            for row in rows {
                let value = fit.value(row, feature)
                let bin = categories == nil ? fit.cuts[feature].filter { $0 < value }.count : Int(value)
                if positive[row] { counts[bin].1 += 1 } else { counts[bin].0 += 1 }
            }
            return counts
        }
    }

    static func counts(_ histograms: ConditionHistograms, _ fit: RuleFitData) -> [[(Double, Double)]] {
        (0..<fit.width).map { feature in
            (0..<(histograms.offsets[feature + 1] - histograms.offsets[feature])).map { histograms.count(feature, bin: $0) }
        }
    }

    static func same(_ a: [[(Double, Double)]], _ b: [[(Double, Double)]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in x.count == y.count && zip(x, y).allSatisfy { $0 == $1 } }
    }

    @Test(arguments: 1...4)
    func countsAfterDroppingRowsEqualAFreshCount(seed: Int) {
        let (fit, positive) = Self.data(seed: UInt64(seed))
        #expect(fit.binned)
        var generator = SeededGenerator(seed: UInt64(100 + seed))
        // All rows (counted in interleaved copies), then a rule's conditions dropping rows: more than it keeps,
        // and fewer (the dropped rows few enough to be counted one by one).
        var covered = Array(0..<fit.rows)
        var histograms = ConditionHistograms(fit: fit, rows: covered, positive: positive)
        #expect(Self.same(Self.counts(histograms, fit), Self.reference(fit, rows: covered, positive: positive)))
        for keepShare in [0.3, 0.9, 0.95] {
            let kept = covered.filter { _ in generator.nextUnit() < keepShare }
            let dropped = covered.filter { !kept.contains($0) }
            histograms.remove(dropped, fit: fit, positive: positive)
            covered = kept
            #expect(Self.same(Self.counts(histograms, fit), Self.reference(fit, rows: covered, positive: positive)))
            let fresh = ConditionHistograms(fit: fit, rows: covered, positive: positive)
            #expect(fresh.counts == histograms.counts)
        }
        // The features a rule may not test are not counted.
        var restricted = fit
        restricted.allowedFeatures = [1, 3]
        let some = ConditionHistograms(fit: restricted, rows: Array(0..<fit.rows), positive: positive)
        let counted = Self.counts(some, fit), all = Self.reference(fit, rows: Array(0..<fit.rows), positive: positive)
        for feature in [0, 2] { #expect(counted[feature].allSatisfy { $0 == (0, 0) }) }
        for feature in [1, 3] { #expect(Self.same([counted[feature]], [all[feature]])) }
    }

    /// A binned grow finds a rule that decides the positives exactly: a <= 3 and d in {q, s}.
    @Test func aBinnedGrowFindsAKnownRule() {
        let schema = FeatureSchema(features: [
            Feature(name: "a", kind: .continuous(min: nil, max: nil)), Feature(name: "b", kind: .continuous(min: nil, max: nil)),
            Feature(name: "d", kind: .categorical(values: ["p", "q", "r", "s", "t"])),
        ])
        var generator = SeededGenerator(seed: 9)
        var values: [Double] = [], labels: [Int] = []
        for _ in 0..<3000 {
            let a = Double(generator.nextInt(below: 10)), b = generator.nextUnit(), d = generator.nextInt(below: 5)
            values += [a, b, Double(d)]
            labels.append(a <= 3 && (d == 1 || d == 3) ? 1 : 0)
        }
        let fit = RuleFitData(data: Dataset(schema: schema, rows: 3000, values: values), labels: labels, classCount: 2, bins: 32)
        #expect(fit.binned)
        // Ten values: every boundary is a cut (before this session's fix, only boundaries that fell exactly
        // on a quantile, none here).
        #expect(fit.cuts[0] == (0..<9).map { Double($0) + 0.5 })
        #expect(fit.cuts[1].count == 31)
        let positive = labels.map { $0 == 1 }
        let tests = RuleGrower(fit: fit).grow(from: [], rows: Array(0..<3000), positive: positive)
        let covered = (0..<3000).filter { fit.covers(tests, $0) }
        #expect(covered == (0..<3000).filter { positive[$0] })
        #expect(Set(tests.map(\.feature)) == [0, 2])
    }
}
