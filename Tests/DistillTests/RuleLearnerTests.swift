@testable import Distill
import Foundation
import Testing

/// The rule-list learners and their measures, against closed forms and problems with known rules.
struct RuleLearnerTests {
    @Test func pessimisticErrorMatchesC45() {
        // No errors: AddErrs = N (1 - CF^(1/N)) exactly; Quinlan's U25%(0,6) = 0.206 and U25%(0,1) = 0.75.
        #expect(abs(PessimisticError.extraErrors(cases: 6, errors: 0) - 6 * (1 - pow(0.25, 1.0 / 6))) < 1e-12)
        #expect(abs(PessimisticError.extraErrors(cases: 6, errors: 0) / 6 - 0.206) < 0.001)
        #expect(abs(PessimisticError.extraErrors(cases: 1, errors: 0) - 0.75) < 1e-12)
        // One error in 16 cases: C4.5 (its normal approximation, z = 0.6925) gives U25%(1,16) = 0.157.
        #expect(abs((1 + PessimisticError.extraErrors(cases: 16, errors: 1)) / 16 - 0.157) < 0.001)
        #expect(abs(PessimisticError.coefficient(confidence: 0.25) - 0.6925 * 0.6925) < 1e-12)
        // The rate grows with the errors and shrinks with the evidence.
        #expect(PessimisticError.rate(cases: 20, errors: 2) < PessimisticError.rate(cases: 20, errors: 3))
        #expect(PessimisticError.rate(cases: 100, errors: 10) < PessimisticError.rate(cases: 10, errors: 1))
    }

    @Test func descriptionLengthClosedForms() {
        // k = 1 of n = 2: 0.5 (log2 1 + 1 log2 2 + 1 log2 2) = 1 bit.
        #expect(abs(DescriptionLength.ruleBits(conditions: 1, possible: 2) - 1) < 1e-12)
        // k = 2 of n = 8: 0.5 (1 + 2 log2 4 + 6 log2 (4/3)).
        #expect(abs(DescriptionLength.ruleBits(conditions: 2, possible: 8) - 0.5 * (1 + 4 + 6 * log2(4.0 / 3))) < 1e-12)
        #expect(abs(DescriptionLength.log2Choose(10, 3) - log2(120)) < 1e-9)
        #expect(DescriptionLength.log2Choose(10, 0) == 0 && DescriptionLength.log2Choose(10, 10) == 0)
    }

    @Test func foilGainClosedForm() {
        // From 10+/10- to 8+/2-: 8 (log2 0.8 - log2 0.5).
        #expect(abs(RuleGrower.foilGain(p0: 10, n0: 10, p1: 8, n1: 2) - 8 * (log2(0.8) + 1)) < 1e-12)
        #expect(RuleGrower.foilGain(p0: 10, n0: 10, p1: 0, n1: 5) == 0)
    }

    static let schema = FeatureSchema(features: [
        Feature(name: "x", kind: .continuous(min: 0, max: 1)),
        Feature(name: "y", kind: .continuous(min: 0, max: 1)),
        Feature(name: "colour", kind: .categorical(values: ["red", "green", "blue", "black"])),
    ])

    static func rows(_ count: Int, seed: UInt64, label: (Double, Double, Int) -> Int) -> (Dataset, [Int]) {
        var generator = SeededGenerator(seed: seed)
        let data = try! DomainSampler(schema: schema, file: "test").sample(rows: count, generator: &generator)
        let labels = (0..<count).map { label(data[$0, 0], data[$0, 1], Int(data[$0, 2])) }
        return (data, labels)
    }

    @Test func ripperRecoversAKnownRuleWithACategorySubset() {
        let rule: (Double, Double, Int) -> Int = { x, _, colour in x > 0.6 && colour <= 1 ? 1 : 0 }
        let (train, labels) = Self.rows(1500, seed: 1, label: rule)
        let list = RipperLearner(settings: RuleListSettings(), seed: 3).fit(train, labels: labels, outputs: ["miss", "hit"])
        let (fresh, truth) = Self.rows(3000, seed: 2, label: rule)
        #expect(Agreement.share(list.predictClasses(raw: fresh.values, rows: fresh.rows), truth) > 0.99)
        #expect(list.defaultClass == 0)
        #expect(list.conditionCount <= 3)
        let texts = list.rules.flatMap { RuleTest.conditions($0.tests, schema: Self.schema).map { RuleListing.text($0, schema: Self.schema) } }
        #expect(texts.contains("colour in {red, green}"), "\(texts)")
    }

    @Test func ripperHandlesSeveralClasses() {
        let rule: (Double, Double, Int) -> Int = { x, y, _ in x < 0.3 ? 0 : (y < 0.5 ? 1 : 2) }
        let (train, labels) = Self.rows(1500, seed: 4, label: rule)
        let list = RipperLearner(settings: RuleListSettings(), seed: 1).fit(train, labels: labels, outputs: ["a", "b", "c"])
        let (fresh, truth) = Self.rows(3000, seed: 5, label: rule)
        #expect(Agreement.share(list.predictClasses(raw: fresh.values, rows: fresh.rows), truth) > 0.98)
        // Classes are learned from the rarest; the most common is the default.
        let counts = (0..<3).map { c in labels.filter { $0 == c }.count }
        #expect(list.defaultClass == counts.indices.max { counts[$0] < counts[$1] })
    }

    @Test func generalizationDropsAUselessTest() {
        let (data, labels) = Self.rows(400, seed: 6) { x, _, _ in x > 0.5 ? 1 : 0 }
        let fit = RuleFitData(data: data, labels: labels, classCount: 2)
        let rule = ListRule(tests: [.above(feature: 0, threshold: 0.5), .above(feature: 1, threshold: 0.05)], prediction: 1)
        #expect(TreeRuleSimplifier.generalized(rule, fit: fit).tests == [.above(feature: 0, threshold: 0.5)])
        // A test that matters stays.
        let needed = ListRule(tests: [.above(feature: 0, threshold: 0.5)], prediction: 1)
        #expect(TreeRuleSimplifier.generalized(needed, fit: fit).tests == needed.tests)
    }

    @Test func decisionListAndRuleSetSemantics() {
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 10))])
        let rules = [ListRule(tests: [.atMost(feature: 0, threshold: 5)], prediction: 0, counts: [6, 4, 0]),
                     ListRule(tests: [.atMost(feature: 0, threshold: 3)], prediction: 1, counts: [0, 9, 1])]
        let list = RuleList(schema: schema, outputs: ["a", "b", "c"], rules: rules, defaultClass: 2, defaultCounts: [0, 0, 5], ordered: true)
        #expect(list.predictClasses(raw: [2, 4, 7], rows: 3) == [0, 0, 2])
        var set = list
        set.ordered = false
        // Both rules cover x = 2; the second is more confident (0.9 against 0.6) and wins.
        #expect(set.evaluationOrder == [1, 0])
        #expect(set.predictClasses(raw: [2, 4, 7, .nan], rows: 4) == [1, 0, 2, 2])
        #expect(set.probabilities(outcome: 2) == [0, 0, 1])
    }

    @Test(arguments: Fixtures.classificationSamples)
    func treeToRulesKeepsTheTreesFidelityWithFewerConditions(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample(sample, "train.csv"), testPath: Fixtures.sample(sample, "test.csv")))
        let tree = try Extraction.run(network: network, modelPath: sample, options: options)
        options.kind = .rules
        let rules = try Extraction.run(network: network, modelPath: sample, options: options)
        #expect(rules.evaluation.fidelity >= tree.evaluation.fidelity - 0.005)
        #expect(rules.surrogate.size.conditions < tree.surrogate.size.conditions)
        // Caps.
        options.rules.maxRules = 2
        let capped = try Extraction.run(network: network, modelPath: sample, options: options)
        #expect(capped.surrogate.size.rules <= 2)
        options.rules.maxRules = nil
        options.rules.maxConditions = 1
        #expect(try Extraction.run(network: network, modelPath: sample, options: options).surrogate.size.conditions <= 1)
    }

    @Test(arguments: Fixtures.classificationSamples)
    func ripperIsDeterministicAndRoundingKeepsDecisions(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        let test = try DatasetLoader.load(path: Fixtures.sample(sample, "test.csv"), network: network, label: nil)
        guard case let .classes(labels, _) = OracleSample.label(train, by: network) else { return }
        let learner = RipperLearner(settings: RuleListSettings(), seed: 1)
        let list = learner.fit(train, labels: labels, outputs: network.outputs)
        #expect(learner.fit(train, labels: labels, outputs: network.outputs) == list)
        let rounded = ThresholdRounding.apply(to: list, keeping: [train, test])
        for rows in [train, test] {
            #expect(rounded.outcomes(raw: rows.values, rows: rows.rows) == list.outcomes(raw: rows.values, rows: rows.rows))
        }
    }
}

/// The decision list found by search over tree conjunctions.
struct RuleListSearchTests {
    @Test(arguments: Fixtures.classificationSamples)
    func agreesAtLeastAsOftenAsTheListsItStartsFromAndCountsTruly(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        let labels = NetworkEvaluator(network: network).evaluate(raw: train.values, rows: train.rows).predictedClasses
        let outputs = network.outputs, size = 6
        let target = TreeTarget.classes(labels, classCount: outputs.count)
        let tree = TreeBuilder(settings: TreeSettings(maxLeaves: 4 * size)).fit(train, target: target, outputs: outputs)
        let capped = RuleListSettings(ordered: true, maxRules: size)
        let simplified = TreeRuleSimplifier.simplify(tree, data: train, labels: labels, settings: capped)
        let ripper = RipperLearner(settings: capped, seed: 1).fit(train, labels: labels, outputs: outputs)
        let fit = RuleFitData(data: train, labels: labels, classCount: outputs.count)
        let found = RuleListSearch(maxRules: size, maxConditions: 12)
            .fit(fit, candidates: RuleListSearch.candidates(from: [tree], and: [simplified, ripper]), outputs: outputs,
                 starts: [simplified, ripper])
        #expect(found.rules.count + 1 <= size && found.conditionCount <= 12)
        // Agreement recounted row by row, independently of the bit sets the search used.
        func agreeing(_ list: RuleList) -> Int {
            zip(list.predictClasses(raw: train.values, rows: train.rows), labels).filter { $0 == $1 }.count
        }
        for start in [simplified, ripper] where start.conditionCount <= 12 {
            #expect(agreeing(found) >= agreeing(fit.finished(start)), "\(sample)")
        }
        #expect(agreeing(found) >= agreeing(fit.finished(RuleList(schema: train.schema, outputs: outputs, rules: [], defaultClass: 0, ordered: true))))
    }

    /// Random conjunctions of one or two conditions over the test schema.
    static func conjunctions(_ count: Int, seed: UInt64) -> [[RuleTest]] {
        var generator = SeededGenerator(seed: seed)
        func condition() -> RuleTest {
            switch generator.nextInt(below: 3) {
            case 0: return .atMost(feature: generator.nextInt(below: 2), threshold: generator.nextUnit())
            case 1: return .above(feature: generator.nextInt(below: 2), threshold: generator.nextUnit())
            default: return .inCategories(feature: 2, categories: (0..<4).map { _ in generator.nextInt(below: 2) == 0 })
            }
        }
        return (0..<count).map { _ in (0...generator.nextInt(below: 2)).map { _ in condition() } }
    }

    static func threeClasses(_ x: Double, _ y: Double, _ colour: Int) -> Int { x > 0.5 ? (y > 0.3 ? 1 : 2) : colour % 3 }

    @Test func listScoresFromAnyPrefixMatchRowByRowAgreement() {
        let (train, labels) = RuleLearnerTests.rows(700, seed: 4, label: Self.threeClasses)
        let fit = RuleFitData(data: train, labels: labels, classCount: 3)
        let candidates = Self.conjunctions(14, seed: 5)
        let scorer = ListScorer(sets: candidates.map { fit.coverage($0).words }, classes: fit.classSets.map(\.words), rows: fit.rows)
        var generator = SeededGenerator(seed: 6)
        for _ in 0..<20 {
            let entries = (0..<generator.nextInt(below: 7)).map { _ in
                RuleListSearch.Entry(candidate: generator.nextInt(below: candidates.count), prediction: generator.nextInt(below: 3))
            }
            // Row by row: the first rule that covers a row decides it; the rest take their majority class.
            var decided: [Int?] = Array(repeating: nil, count: train.rows)
            for row in 0..<train.rows {
                let values = Array(train.values[(row * 3)..<(row * 3 + 3)])
                decided[row] = entries.first { entry in candidates[entry.candidate].allSatisfy { $0.passes(values[$0.feature]) } }?.prediction
            }
            var leftover = [0, 0, 0]
            for row in 0..<train.rows where decided[row] == nil { leftover[labels[row]] += 1 }
            let truth = (0..<train.rows).filter { decided[$0] == labels[$0] }.count + leftover.max()!
            #expect(scorer.agreement(entries) == truth)
            for position in 0...entries.count {
                let prefix = scorer.agreement(of: entries[..<position], from: RowSet.all(rows: fit.rows).words)
                #expect(prefix.agreeing + scorer.agreement(entries[position...], from: prefix.undecided) == truth)
            }
        }
    }

    @Test(arguments: [false, true])
    func cappingDropsTheRuleThatCostsLeastAsTryingEveryRemovalDoes(ordered: Bool) {
        let (train, labels) = RuleLearnerTests.rows(900, seed: 7, label: Self.threeClasses)
        let fit = RuleFitData(data: train, labels: labels, classCount: 3)
        let rules = Self.conjunctions(9, seed: 8).enumerated().map { index, tests in
            ListRule(tests: tests, prediction: index % 3, counts: [Double(index % 4 + 1), Double((index * 5) % 3 + 1), 1])
        }
        let list = RuleList(schema: train.schema, outputs: ["a", "b", "c"], rules: rules, defaultClass: 0, ordered: ordered)
        // The reference: every removal scored by the whole list's agreement; the later rule on ties.
        var expected = list
        while expected.rules.count + 1 > 4 {
            let scores = expected.rules.indices.map { index -> Int in
                var candidate = expected
                candidate.rules.remove(at: index)
                return fit.agreement(candidate).agreeing
            }
            expected.rules.remove(at: scores.lastIndex(of: scores.max()!)!)
        }
        #expect(fit.capped(list, maxRules: 4, maxConditions: nil) == expected)
    }

    @Test func findsTheOneRuleThatDecidesEverything() {
        // Class 1 exactly when a > 2 and b <= 1: a candidate pool with that conjunction among decoys.
        let schema = FeatureSchema(features: [Feature(name: "a", kind: .continuous(min: 0, max: 5)),
                                              Feature(name: "b", kind: .continuous(min: 0, max: 3))])
        var values: [Double] = [], labels: [Int] = []
        for a in 0..<6 { for b in 0..<4 { values += [Double(a), Double(b)]; labels.append(a > 2 && b <= 1 ? 1 : 0) } }
        let data = Dataset(schema: schema, rows: labels.count, values: values)
        let candidates: [[RuleTest]] = [[.above(feature: 0, threshold: 2.5)], [.atMost(feature: 1, threshold: 1.5)],
                                        [.above(feature: 0, threshold: 2.5), .atMost(feature: 1, threshold: 1.5)],
                                        [.above(feature: 0, threshold: 3.5)]]
        let list = RuleListSearch(maxRules: 2, maxConditions: 10)
            .fit(RuleFitData(data: data, labels: labels, classCount: 2), candidates: candidates, outputs: ["no", "yes"])
        #expect(list.rules.map(\.tests) == [candidates[2]])
        #expect(list.rules.first?.prediction == 1 && list.defaultClass == 0)
    }

    @Test func generatedCandidatesAreFoundWhereTheListStillHasToDecide() {
        // Class 1 when a > 3 (16 points: the first rule), class 2 when a <= 3 and b > 2 (8 points), else 0.
        let schema = FeatureSchema(features: [Feature(name: "a", kind: .continuous(min: 0, max: 7)),
                                              Feature(name: "b", kind: .continuous(min: 0, max: 3))])
        var values: [Double] = [], labels: [Int] = []
        for a in 0..<8 { for b in 0..<4 { values += [Double(a), Double(b)]; labels.append(a > 3 ? 1 : b > 2 ? 2 : 0) } }
        let data = Dataset(schema: schema, rows: labels.count, values: values)
        let fit = RuleFitData(data: data, labels: labels, classCount: 3)
        // The pool knows only the first rule; the generator offers b > 2.5 once the points with a > 3 are
        // decided (and nothing before), and records what it was shown.
        var shown: [[Bool]] = []
        let list = RuleListSearch(maxRules: 3, maxConditions: 10)
            .fit(fit, candidates: [[.above(feature: 0, threshold: 3.5)]], outputs: ["zero", "one", "two"]) { undecided in
                shown.append(undecided)
                let remaining = undecided.indices.filter { undecided[$0] }
                return remaining.allSatisfy { data[$0, 0] <= 3 } ? [[.above(feature: 1, threshold: 2.5)]] : []
            }
        #expect(list.rules.map(\.tests) == [[.above(feature: 0, threshold: 3.5)], [.above(feature: 1, threshold: 2.5)]])
        #expect(list.rules.map(\.prediction) == [1, 2] && list.defaultClass == 0)
        #expect(zip(list.predictClasses(raw: values, rows: labels.count), labels).allSatisfy { $0 == $1 })
        // First asked with every point undecided, then with exactly those of a <= 3.
        #expect(shown.first == [Bool](repeating: true, count: labels.count))
        #expect(shown.dropFirst().first == (0..<labels.count).map { data[$0, 0] <= 3 })
    }
}
