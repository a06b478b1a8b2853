@testable import Distill
import Testing

/// The passes run after fitting: merging redundant leaves and rounding thresholds change no decision.
struct TreePassesTests {
    static func fitted(_ sample: String, depth: Int) throws -> (Network, DecisionTree, Dataset, Dataset) {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        let test = try DatasetLoader.load(path: Fixtures.sample(sample, "test.csv"), network: network, label: nil)
        return (network, Extraction.fitTree(network: network, on: train, settings: TreeSettings(maxDepth: depth)), train, test)
    }

    @Test(arguments: Fixtures.allSamples)
    func roundingKeepsEveryFittingAndHeldOutDecision(sample: String) throws {
        let (_, tree, train, test) = try Self.fitted(sample, depth: 6)
        let rounded = ThresholdRounding.apply(to: tree, keeping: [train, test])
        for rows in [train, test] {
            #expect(rounded.leaves(raw: rows.values, rows: rows.rows) == tree.leaves(raw: rows.values, rows: rows.rows))
        }
        // Every rounded threshold is at most as long as the original when printed.
        for (before, after) in zip(tree.nodes, rounded.nodes) {
            if case let .threshold(a)? = before.split?.test, case let .threshold(b)? = after.split?.test {
                #expect(NumberText.shortest(b).count <= NumberText.shortest(a).count)
            }
        }
    }

    @Test func shortestDecimalInTheMiddleOfTheGap() {
        // Gap (0.11, 0.57), middle half [0.225, 0.455]: no whole number fits; 0.3 is the one-decimal value nearest 0.34.
        #expect(ThresholdRounding.shortDecimal(near: 0.34, low: 0.11, high: 0.57) == 0.3)
        // Gap (3700, 4800), middle half [3975, 4525]: 4000 is the only multiple of 1000 inside.
        #expect(ThresholdRounding.shortDecimal(near: 4250, low: 3700, high: 4800) == 4000)
        // A narrow gap keeps the needed digits: (1.2344, 1.2346) around 1.2345.
        #expect(ThresholdRounding.shortDecimal(near: 1.2345, low: 1.2344, high: 1.2346) == 1.2345)
        // Negative values; -0.8 and -0.7 are equally near -0.75, and ties go to the lower value.
        #expect(ThresholdRounding.shortDecimal(near: -0.75, low: -1, high: -0.5) == -0.8)
    }

    @Test(arguments: Fixtures.classificationSamples)
    func mergingKeepsEveryPrediction(sample: String) throws {
        let (_, tree, train, test) = try Self.fitted(sample, depth: 8)
        let merged = MergeRedundantLeaves.apply(to: tree)
        #expect(merged.leafCount <= tree.leafCount)
        for rows in [train, test] {
            #expect(merged.predictClasses(raw: rows.values, rows: rows.rows) == tree.predictClasses(raw: rows.values, rows: rows.rows))
        }
        // No split is left whose two children are leaves of the same class.
        for node in merged.nodes where !node.isLeaf {
            let left = merged.nodes[node.left], right = merged.nodes[node.right]
            if left.isLeaf && right.isLeaf {
                #expect(Agreement.argmax(left.value) != Agreement.argmax(right.value))
            }
        }
        #expect(merged.nodes.first?.samples == train.rows)
    }

    @Test func rulesPartitionTheRowsAndMatchTheTree() throws {
        let (_, tree, train, test) = try Self.fitted("penguins", depth: 5)
        let rules = TreeRules.rules(of: tree)
        #expect(rules.count == tree.leafCount)
        #expect(rules.reduce(0) { $0 + $1.samples } == train.rows)
        let width = test.schema.count
        let leaves = tree.leaves(raw: test.values, rows: test.rows)
        test.values.withUnsafeBufferPointer { buffer in
            for row in 0..<test.rows {
                let slice = UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
                let matching = rules.filter { $0.conditions.allSatisfy { $0.holds(for: slice) } }
                #expect(matching.count == 1)
                #expect(matching.first?.leaf == leaves[row])
            }
        }
    }

    @Test func binaryConditionsReadAsEquals() {
        let schema = FeatureSchema(features: [Feature(name: "smoker", kind: .binary), Feature(name: "age", kind: .continuous(min: 0, max: 99))])
        let values: [Double] = [0, 30, 1, 40, 0, 50, 1, 60]
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 1)).fit(Dataset(schema: schema, rows: 4, values: values),
                                                                        target: .classes([0, 1, 0, 1], classCount: 2), outputs: ["no", "yes"])
        let texts = Set(TreeRules.rules(of: tree).map { RuleListing.text($0.conditions[0], schema: schema) })
        #expect(texts == ["smoker = 0", "smoker = 1"])
    }
}
