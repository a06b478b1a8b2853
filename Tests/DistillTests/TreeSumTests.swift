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
}
