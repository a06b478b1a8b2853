@testable import Distill
import Foundation
import Testing

struct TreeBuilderTests {
    static let schema = FeatureSchema(features: [
        Feature(name: "noise", kind: .continuous(min: 0, max: 1)),
        Feature(name: "signal", kind: .continuous(min: 0, max: 1)),
        Feature(name: "colour", kind: .categorical(values: ["A", "B", "C", "D"])),
    ])

    /// Rows where the class is `signal > 0.3` or, in the second target, `colour in {B, D}`.
    static func knownData(rows: Int = 400) -> (Dataset, [Int], [Int]) {
        var generator = SeededGenerator(seed: 11)
        var values: [Double] = []
        var bySignal: [Int] = [], byColour: [Int] = []
        for _ in 0..<rows {
            let noise = generator.nextUnit(), signal = generator.nextUnit(), colour = generator.nextInt(below: 4)
            values += [noise, signal, Double(colour)]
            bySignal.append(signal > 0.3 ? 1 : 0)
            byColour.append(colour == 1 || colour == 3 ? 1 : 0)
        }
        return (Dataset(schema: schema, rows: rows, values: values), bySignal, byColour)
    }

    @Test func findsTheKnownThresholdAtTheMidpoint() {
        let (data, labels, _) = Self.knownData()
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 3)).fit(data, target: .classes(labels, classCount: 2), outputs: ["lo", "hi"])
        let column = (0..<data.rows).map { data[$0, 1] }
        let below = column.filter { $0 <= 0.3 }.max()!, above = column.filter { $0 > 0.3 }.min()!
        #expect(tree.leafCount == 2)
        #expect(tree.nodes[0].split?.feature == 1)
        #expect(tree.nodes[0].split?.test == .threshold(below / 2 + above / 2))
        #expect(Agreement.share(tree.predictClasses(raw: data.values, rows: data.rows), labels) == 1)
    }

    @Test func findsTheKnownCategorySubset() {
        let (data, _, labels) = Self.knownData()
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 1)).fit(data, target: .classes(labels, classCount: 2), outputs: ["lo", "hi"])
        guard case let .categories(left)? = tree.nodes[0].split?.test else {
            Issue.record("expected a categorical root split"); return
        }
        #expect(tree.nodes[0].split?.feature == 2)
        #expect(left == [true, false, true, false] || left == [false, true, false, true])
        let rules = TreeRules.rules(of: tree)
        let texts = rules.map { RuleListing.text($0.conditions[0], schema: Self.schema) }
        #expect(Set(texts) == ["colour in {A, C}", "colour in {B, D}"])
    }

    @Test func multiClassCategoricalSplitIsExhaustive() {
        // Three classes over five categories; the best Gini partition is checked by brute force here.
        let schema = FeatureSchema(features: [Feature(name: "k", kind: .categorical(values: ["a", "b", "c", "d", "e"]))])
        var generator = SeededGenerator(seed: 5)
        var values: [Double] = [], labels: [Int] = []
        let classOf = [0, 1, 2, 1, 0]
        for _ in 0..<300 {
            let category = generator.nextInt(below: 5)
            values.append(Double(category))
            labels.append(generator.nextUnit() < 0.7 ? classOf[category] : generator.nextInt(below: 3))
        }
        let data = Dataset(schema: schema, rows: 300, values: values)
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 1)).fit(data, target: .classes(labels, classCount: 3), outputs: ["x", "y", "z"])
        func gini(_ rows: [Int]) -> Double {
            guard !rows.isEmpty else { return 0 }
            let counts = (0..<3).map { k in Double(rows.filter { labels[$0] == k }.count) }
            return Double(rows.count) - counts.reduce(0) { $0 + $1 * $1 } / Double(rows.count)
        }
        var best = Double.infinity
        for mask in 1..<31 {
            let left = (0..<300).filter { mask & (1 << Int(values[$0])) != 0 }
            let right = (0..<300).filter { mask & (1 << Int(values[$0])) == 0 }
            best = min(best, gini(left) + gini(right))
        }
        let leaves = tree.leaves(raw: values, rows: 300)
        let found = gini((0..<300).filter { leaves[$0] == tree.nodes[0].left }) + gini((0..<300).filter { leaves[$0] == tree.nodes[0].right })
        #expect(abs(found - best) < 1e-9)
    }

    @Test func rowOrderDoesNotChangeTheTree() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("breast_cancer", "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample("breast_cancer", "train.csv"), network: network, label: nil)
        var generator = SeededGenerator(seed: 9)
        let shuffled = data.subset(generator.permutation(data.rows))
        let settings = TreeSettings(maxDepth: 5)
        let a = Extraction.fitTree(network: network, on: data, settings: settings)
        let b = Extraction.fitTree(network: network, on: shuffled, settings: settings)
        #expect(a.nodes.map { $0.split?.feature } == b.nodes.map { $0.split?.feature })
        #expect(a.nodes.map { $0.split?.test } == b.nodes.map { $0.split?.test })
    }

    @Test func minSamplesLeafAndMaxLeavesAreRespected() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("penguins", "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample("penguins", "train.csv"), network: network, label: nil)
        let tree = Extraction.fitTree(network: network, on: data, settings: TreeSettings(maxLeaves: 6, minSamplesLeaf: 7))
        #expect(tree.leafCount <= 6)
        #expect(tree.nodes.filter(\.isLeaf).allSatisfy { $0.samples >= 7 })
    }

    @Test func regressionLeavesHoldMeanAndSpread() {
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 10))])
        let values: [Double] = [1, 2, 3, 7, 8, 9]
        let targets: [Double] = [1, 2, 3, 10, 12, 14]
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 1)).fit(Dataset(schema: schema, rows: 6, values: values),
                                                                        target: .values(targets, outputs: 1), outputs: ["y"])
        #expect(tree.nodes[0].split?.test == .threshold(5))
        let left = tree.nodes[tree.nodes[0].left], right = tree.nodes[tree.nodes[0].right]
        #expect(left.value == [2] && right.value == [12])
        #expect(abs(left.spread[0] - (2.0 / 3).squareRoot()) < 1e-12)
        #expect(abs(right.spread[0] - (8.0 / 3).squareRoot()) < 1e-12)
    }
}
