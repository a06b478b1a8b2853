@testable import Distill
import Foundation
import Testing

/// The tree sum (FIGS): its greedy steps against hand-worked squared errors, exact recovery of an additive
/// target no single tree of the size can hold, how its scores become classes and probabilities, and its
/// saved form.
struct TreeSumTests {
    static let line = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: nil, max: nil))])

    /// x = 1, 2, 3, 4 and y = 0, 0, 1, 5. The first step is a new tree: of the cuts at 1.5, 2.5 and 3.5 the
    /// last leaves the least squared error (2/3, against 8 and 14). With a third leaf allowed, splitting the
    /// left leaf at 2.5 removes those 2/3, more than a new tree on the residuals (-1/3, -1/3, 2/3, 0) would
    /// (4/9, and it would need two leaves), and leaves nothing to gain.
    @Test func eachStepMakesTheSplitThatLowersTheErrorMost() throws {
        let data = Dataset(schema: Self.line, rows: 4, values: [1, 2, 3, 4])
        let targets: [Double] = [0, 0, 1, 5]
        let one = try #require(TreeSumBuilder(maxLeaves: 2).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
        #expect(one.trees.count == 1)
        #expect(one.trees[0].nodes[0].split?.test == .threshold(3.5))
        #expect(one.base == [1.5])
        let first = one.predictValues(raw: data.values, rows: 4)
        for (got, want) in zip(first, [1.0 / 3, 1.0 / 3, 1.0 / 3, 5]) { #expect(abs(got - want) < 1e-12) }

        for leaves in [3, 4, 8] {
            let sum = try #require(TreeSumBuilder(maxLeaves: leaves).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
            #expect(sum.trees.count == 1, "at \(leaves) leaves")
            #expect(sum.leafCount == 3, "at \(leaves) leaves: the error is 0 after three")
            for (got, want) in zip(sum.predictValues(raw: data.values, rows: 4), targets) { #expect(abs(got - want) < 1e-12) }
        }
    }

    /// y = 3·[a > 0.5] + 2·[b > 0.3] − 1.5·[colour in {B, D}]: three stumps, 6 leaves, hold it exactly; a
    /// single tree needs 8 leaves. The steps take the largest effect first.
    @Test func recoversAnAdditiveTargetExactly() throws {
        let schema = FeatureSchema(features: [
            Feature(name: "a", kind: .continuous(min: 0, max: 1)), Feature(name: "b", kind: .continuous(min: 0, max: 1)),
            Feature(name: "colour", kind: .categorical(values: ["A", "B", "C", "D"])),
        ])
        var generator = SeededGenerator(seed: 5)
        var values: [Double] = [], targets: [Double] = []
        for _ in 0..<200 {
            let a = generator.nextUnit(), b = generator.nextUnit(), colour = generator.nextInt(below: 4)
            values += [a, b, Double(colour)]
            targets.append((a > 0.5 ? 3 : 0) + (b > 0.3 ? 2 : 0) - (colour == 1 || colour == 3 ? 1.5 : 0))
        }
        let data = Dataset(schema: schema, rows: 200, values: values)
        let sum = try #require(TreeSumBuilder(maxLeaves: 6).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
        #expect(sum.trees.count == 3)
        #expect(sum.trees.map { $0.nodes[0].split?.feature } == [0, 1, 2])
        #expect(sum.trees.allSatisfy { $0.leafCount == 2 })
        if case let .categories(left)? = sum.trees[2].nodes[0].split?.test {
            #expect(left == [true, false, true, false] || left == [false, true, false, true])
        } else {
            Issue.record("the third tree should split the categories")
        }
        let column = { (feature: Int, cut: Double) in
            ((0..<200).map { values[$0 * 3 + feature] }.filter { $0 <= cut }.max()!, (0..<200).map { values[$0 * 3 + feature] }.filter { $0 > cut }.min()!)
        }
        let (belowA, aboveA) = column(0, 0.5), (belowB, aboveB) = column(1, 0.3)
        #expect(sum.trees[0].nodes[0].split?.test == .threshold(SplitTest.midpoint(belowA, aboveA)))
        #expect(sum.trees[1].nodes[0].split?.test == .threshold(SplitTest.midpoint(belowB, aboveB)))
        let predicted = sum.predictValues(raw: values, rows: 200)
        #expect(zip(predicted, targets).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    /// y = 2 + 3·a + 4·[b > 0.5] at 3 leaves with a linear start allowed. The first step is a stump on b
    /// (it removes 4²/4 = 4 per point; a term in b, whose correlation with the step is 3/4 squared, 3; a
    /// term in a, 3²/12 = 0.75). The third leaf then goes to the start: a term in a removes all of 3·a's
    /// 0.75 per point, a split of a's range at most 3/4 of it. The sum is then exact: the start is
    /// 2 + 3·a (less what the trees' leaves hold), the tree adds the step, and a term in b gains nothing.
    @Test func aLinearStartTakesALinearEffectForOneLeaf() throws {
        let schema = FeatureSchema(features: [Feature(name: "a", kind: .continuous(min: 0, max: 1)), Feature(name: "b", kind: .continuous(min: 0, max: 1))])
        var generator = SeededGenerator(seed: 11)
        var values: [Double] = [], targets: [Double] = []
        for _ in 0..<200 {
            let a = generator.nextUnit(), b = generator.nextUnit()
            values += [a, b]
            targets.append(2 + 3 * a + (b > 0.5 ? 4 : 0))
        }
        let data = Dataset(schema: schema, rows: 200, values: values)
        let sum = try #require(TreeSumBuilder(maxLeaves: 3, maxTerms: 3).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
        #expect(sum.hasLinearStart)
        #expect(sum.terms == [[LinearTerm(feature: 0, coefficient: 3)]])
        #expect(sum.trees.count == 1 && sum.trees[0].leafCount == 2 && sum.trees[0].nodes[0].split?.feature == 1)
        #expect(sum.leafCount == 3)
        let values0 = sum.trees[0].nodes.filter(\.isLeaf).map { $0.value[0] }
        #expect(abs(abs(values0[0] - values0[1]) - 4) < 1e-9)
        let predicted = sum.predictValues(raw: values, rows: 200)
        #expect(zip(predicted, targets).allSatisfy { abs($0 - $1) < 1e-9 })
        // Without a start the same budget holds the slope as a staircase and misses.
        let constant = try #require(TreeSumBuilder(maxLeaves: 3).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
        #expect(!constant.hasLinearStart && constant.leafCount == 3)
        #expect(!zip(constant.predictValues(raw: values, rows: 200), targets).allSatisfy { abs($0 - $1) < 1e-3 })
        // At 2 leaves the stump on b is the one step: the start's leaf does not fit.
        let two = try #require(TreeSumBuilder(maxLeaves: 2, maxTerms: 3).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
        #expect(!two.hasLinearStart && two.leafCount == 2)
    }

    /// A linear start's scores, worked by hand: 1 + 2·x - 0.5·x, then the tree's leaf (+10 at x <= 2, else -10);
    /// and the order of the additions, where rounding shows it.
    @Test func aLinearStartAddsItsTermsBeforeTheTrees() {
        let stump = DecisionTree(task: .regression, schema: Self.line, outputs: ["y"], nodes: [
            TreeNode(split: TreeNode.Split(feature: 0, test: .threshold(2)), left: 1, right: 2, samples: 2, value: [0], spread: [], depth: 0),
            TreeNode(split: nil, left: -1, right: -1, samples: 1, value: [10], spread: [], depth: 1),
            TreeNode(split: nil, left: -1, right: -1, samples: 1, value: [-10], spread: [], depth: 1),
        ])
        let sum = TreeSum(task: .regression, schema: Self.line, outputs: ["y"], base: [1],
                          terms: [[LinearTerm(feature: 0, coefficient: 2), LinearTerm(feature: 0, coefficient: -0.5)]], trees: [stump])
        let expected: [Double] = [1 + 2 - 0.5 + 10, 1 + 8 - 2 - 10]
        #expect(sum.predictValues(raw: [1, 4], rows: 2) == expected)
        // The order of the additions: base, terms, trees (0.1 + 0.2 + 0.3 differs from 0.1 + (0.2 + 0.3)).
        let leaf = DecisionTree(task: .regression, schema: Self.line, outputs: ["y"], nodes: [
            TreeNode(split: nil, left: -1, right: -1, samples: 1, value: [0.3], spread: [], depth: 0),
        ])
        let ordered = TreeSum(task: .regression, schema: Self.line, outputs: ["y"], base: [0.1],
                              terms: [[LinearTerm(feature: 0, coefficient: 0.2)]], trees: [leaf])
        let inOrder = (0.1 + 0.2) + 0.3, otherOrder = 0.1 + (0.2 + 0.3)
        #expect(inOrder != otherOrder)
        #expect(ordered.predictValues(raw: [1], rows: 1) == [inOrder])
        #expect(sum.leafCount == 3)
        #expect(sum.start == [LeafModel(intercept: 1, terms: sum.terms[0])])
        #expect(!TreeSum(task: .regression, schema: Self.line, outputs: ["y"], base: [1], terms: [[]], trees: [stump]).hasLinearStart)
    }

    /// Scores to classes and probabilities, worked by hand.
    @Test func scoresBecomeClassesAndProbabilities() {
        let three = TreeSum(task: .classification, schema: Self.line, outputs: ["a", "b", "c"], base: [0, 0, 0], trees: [])
        #expect(three.predictedClass(scores: [-0.2, 0.5, 0.9]) == 2)
        let shares = three.probabilities(scores: [-0.2, 0.5, 0.9])
        let expected: [Double] = [0, 0.5 / 1.4, 0.9 / 1.4]
        #expect(zip(shares, expected).allSatisfy { abs($0 - $1) < 1e-15 })
        #expect(three.predictedClass(scores: [0.4, 0.4, 0.1]) == 0)
        let clipped: [Double] = [1 / 1.3, 0, 0.3 / 1.3]
        #expect(three.probabilities(scores: [1.7, -0.1, 0.3]) == clipped)
        let third = 1.0 / 3
        let equal: [Double] = [third, third, third]
        #expect(three.probabilities(scores: [-1, -2, 0]) == equal)
        let two = TreeSum(task: .classification, schema: Self.line, outputs: ["no", "yes"], base: [0], trees: [])
        #expect(two.predictedClass(scores: [0.5]) == 0)
        #expect(two.predictedClass(scores: [0.50001]) == 1)
        #expect(two.probabilities(scores: [1.3]) == [0, 1])
        #expect(two.probabilities(scores: [0.25]) == [0.75, 0.25])
    }

    /// A fitted sum saved and read back is the same sum, and a sum's tree with a linear model is refused.
    @Test func savedSumsReadBackUnchanged() throws {
        let (data, bySignal, byColour) = TreeBuilderTests.knownData()
        let targets = zip(bySignal, byColour).map { Double($0 + 2 * $1) }
        let sum = try #require(TreeSumBuilder(maxLeaves: 9).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
        #expect(sum.trees.count >= 2)
        let saved = SavedSurrogate(modelName: "m", surrogate: .sum(sum), listing: "# sum\n", command: "distill", examples: [0.5, 0.5, 1])
        let text = saved.render()
        let back = try SurrogateDecoder.decode(Array(text.utf8), file: "saved.json")
        #expect(back.surrogate == .sum(sum))
        let broken = text.replacingOccurrences(of: "\"value\":", with: "\"models\": [{\"intercept\": 1, \"terms\": []}], \"value\":")
        #expect(throws: Diagnostic.self) { try SurrogateDecoder.decode(Array(broken.utf8), file: "saved.json") }
        // One score for one class: a classifier needs two.
        let oneClass = text.replacingOccurrences(of: "\"regression\"", with: "\"classification\"")
        #expect(oneClass != text)
        let single = try #require(throws: Diagnostic.self) { try SurrogateDecoder.decode(Array(oneClass.utf8), file: "saved.json") }
        #expect(single.message.contains("at least 2 classes"))
        let both = text.replacingOccurrences(of: "\"tree_sum\":", with: "\"tree\": {\"nodes\": []}, \"tree_sum\":")
        let error = try #require(throws: Diagnostic.self) { try SurrogateDecoder.decode(Array(both.utf8), file: "saved.json") }
        #expect(error.message.contains("not \"tree\" and \"tree_sum\""))
    }

    /// A sum with a linear start saved and read back is the same sum; a start on a classifier, a list of
    /// terms per output that does not match the outputs, and a term reading a categorical feature are refused
    /// at their place.
    @Test func savedLinearStartsReadBackUnchanged() throws {
        let (data, bySignal, byColour) = TreeBuilderTests.knownData()
        let targets = (0..<data.rows).map { Double(bySignal[$0] + 2 * byColour[$0]) + 0.7 * data[$0, 0] }
        let sum = try #require(TreeSumBuilder(maxLeaves: 9, maxTerms: 2).fit(data, targets: targets, scoreCount: 1, task: .regression, outputs: ["y"]))
        #expect(sum.hasLinearStart)
        let saved = SavedSurrogate(modelName: "m", surrogate: .sum(sum), listing: "# sum\n", command: "distill", examples: [0.5, 0.5, 1])
        let text = saved.render()
        #expect(text.contains("\"terms\":"))
        #expect(try SurrogateDecoder.decode(Array(text.utf8), file: "saved.json").surrogate == .sum(sum))
        func refusal(_ from: String, _ to: String) throws -> String {
            let broken = text.replacingOccurrences(of: from, with: to)
            #expect(broken != text)
            return try #require(throws: Diagnostic.self) { try SurrogateDecoder.decode(Array(broken.utf8), file: "saved.json") }.description
        }
        #expect(try refusal("\"terms\": [", "\"terms\": [[], ").contains("expected one list of terms per output (1), found 2"))
        // The start's first term reads the categorical colour.
        let start = try #require(text.range(of: "\"terms\": ["))
        let feature = try #require(text.range(of: "\"feature\": \(sum.terms[0][0].feature)", range: start.upperBound..<text.endIndex))
        let categorical = try refusal(String(text[..<feature.upperBound]), String(text[..<feature.lowerBound]) + "\"feature\": 2")
        #expect(categorical.contains("tree_sum.terms[0][0].feature") && categorical.contains("continuous or binary feature"))
        let classifier = TreeSum(task: .classification, schema: data.schema, outputs: ["no", "yes"], base: [0.5], trees: [])
        let classifierText = SavedSurrogate(modelName: "m", surrogate: .sum(classifier), listing: "# sum\n", command: "distill",
                                            examples: [0.5, 0.5, 1]).render()
        let started = classifierText.replacingOccurrences(of: "\"trees\":", with: "\"terms\": [[]], \"trees\":")
        #expect(started != classifierText)
        let refused = try #require(throws: Diagnostic.self) { try SurrogateDecoder.decode(Array(started.utf8), file: "saved.json") }
        #expect(refused.description.contains("only a regression sum has a linear start"))
    }
}
