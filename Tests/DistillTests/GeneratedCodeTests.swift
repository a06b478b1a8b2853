@testable import Distill
import Foundation
import Testing

/// Generated Swift and C are compiled and run; their answers must be exactly the in-process tree's on
/// thousands of rows: every sample at depth 8 and random trees with adversarial names, with rows at,
/// just above and just below every threshold (and, through `features:`, NaN and invalid category indices).
@Suite(.serialized)
struct GeneratedCodeTests {
    /// The harness and its expected lines, built once for the Swift and the C test (the suite is serialized).
    static let shared = Result { try makeHarness() }

    static func harness() throws -> (GeneratedCodeHarness, [String: [String]]) { try shared.get() }

    static func makeHarness() throws -> (GeneratedCodeHarness, [String: [String]]) {
        var harness = try GeneratedCodeHarness()
        var expected: [String: [String]] = [:]
        func add(_ name: String, _ surrogate: GeneratedSurrogate, rows: [Double], viaInput: Bool) {
            harness.entries.append(.init(name: name, surrogate: surrogate, rows: rows, viaInput: viaInput))
            expected[name] = GeneratedCodeHarness.expectedLines(surrogate.surrogate, rows: rows)
            if viaInput { expected[name + "/input"] = expected[name] }
        }
        for sample in Fixtures.allSamples {
            let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
            let options = Extraction.Options(data: .init(dataPath: Fixtures.sample(sample, "train.csv"),
                                                         testPath: Fixtures.sample(sample, "test.csv")),
                                             tree: TreeSettings(maxDepth: 8))
            let extraction = try Extraction.run(network: network, modelPath: sample, options: options)
            let listing = RuleListing.render(extraction, command: "distill \(sample)")
            let tree = try #require(extraction.tree)
            let rows = extraction.data.train.values + extraction.data.test.values
                + RandomTrees.probes(for: tree, base: extraction.data.test, includeInvalid: false)
            for layout in TreeLayout.allCases {
                let surrogate = GeneratedSurrogate(tree: tree, modelName: network.name, listing: listing,
                                                   command: "distill \(sample)", typeName: "\(layout == .nested ? "N" : "T")\(sample.replacingOccurrences(of: "_", with: ""))",
                                                   layout: layout)
                add("\(sample)-\(layout)", surrogate, rows: rows, viaInput: true)
            }
            // A tree sum of 16 leaves.
            var sumOptions = options
            sumOptions.kind = .treeSum
            sumOptions.tree = TreeSettings(maxLeaves: 16)
            let sumExtraction = try Extraction.run(network: network, modelPath: sample, options: sumOptions)
            #expect({ if case .sum = sumExtraction.surrogate { return true } else { return false } }())
            for layout in TreeLayout.allCases {
                add("\(sample)-sum-\(layout)", GeneratedSurrogate(surrogate: sumExtraction.surrogate, modelName: network.name,
                                                                listing: RuleListing.render(sumExtraction, command: "distill \(sample)"),
                                                                command: "distill \(sample) --surrogate tree-sum",
                                                                typeName: "S\(layout == .nested ? "N" : "T")\(sample.replacingOccurrences(of: "_", with: ""))",
                                                                layout: layout),
                    rows: rows, viaInput: true)
            }
            if network.task == .regression {
                // With a linear start: its terms come before the trees.
                sumOptions.leaves = .linear(maxTerms: 3)
                let started = try Extraction.run(network: network, modelPath: sample, options: sumOptions)
                guard case let .sum(startedSum) = started.surrogate else { Issue.record("\(sample): no sum"); continue }
                #expect(startedSum.hasLinearStart, "\(sample)")
                add("\(sample)-sum-linear", GeneratedSurrogate(surrogate: started.surrogate, modelName: network.name,
                                                           listing: RuleListing.render(started, command: "distill \(sample)"),
                                                           command: "distill \(sample) --surrogate tree-sum --leaf-model linear",
                                                           typeName: "SL\(sample.replacingOccurrences(of: "_", with: ""))"),
                    rows: rows, viaInput: true)
            }
            guard network.task == .classification else { continue }
            // Rule lists: simplified from the tree and RIPPER, as decision lists and as sets.
            for (kind, ordered) in [(SurrogateKind.rules, true), (.ripper, true), (.ripper, false)] {
                var listOptions = options
                listOptions.kind = kind
                listOptions.rules.ordered = ordered
                let listExtraction = try Extraction.run(network: network, modelPath: sample, options: listOptions)
                let surrogate = GeneratedSurrogate(surrogate: listExtraction.surrogate, modelName: network.name,
                                                   listing: RuleListing.render(listExtraction, command: "distill \(sample)"),
                                                   command: "distill \(sample) --surrogate \(kind)",
                                                   typeName: "L\(kind)\(ordered ? "O" : "U")\(sample.replacingOccurrences(of: "_", with: ""))")
                guard case let .rules(list) = listExtraction.surrogate else { continue }
                add("\(sample)-\(kind)-\(ordered)", surrogate, rows: rows + RandomTrees.probes(for: list, base: extraction.data.test),
                    viaInput: true)
            }
        }
        // Trees the fitters do not make: a categorical split that sends no category left (a saved surrogate
        // may hold one) above a threshold split, and a single leaf; in table layout, on invalid values too.
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: nil, max: nil)),
                                              Feature(name: "kind", kind: .categorical(values: ["a", "b", "c"]))])
        let emptySet = DecisionTree(task: .classification, schema: schema, outputs: ["no", "yes"], nodes: [
            TreeNode(split: TreeNode.Split(feature: 1, test: .categories(left: [false, false, false])), left: 1, right: 2, samples: 4,
                     value: [2, 2], spread: [], depth: 0),
            TreeNode(split: nil, left: -1, right: -1, samples: 0, value: [0, 0], spread: [], depth: 1),
            TreeNode(split: TreeNode.Split(feature: 0, test: .threshold(0.5)), left: 3, right: 4, samples: 4, value: [2, 2], spread: [], depth: 1),
            TreeNode(split: nil, left: -1, right: -1, samples: 2, value: [2, 0], spread: [], depth: 2),
            TreeNode(split: nil, left: -1, right: -1, samples: 2, value: [0, 2], spread: [], depth: 2),
        ])
        let leaf = DecisionTree(task: .classification, schema: schema, outputs: ["no", "yes"], nodes: [
            TreeNode(split: nil, left: -1, right: -1, samples: 3, value: [1, 2], spread: [], depth: 0),
        ])
        let odd = [-1, 0.5, 0.5000001, 2, .nan].flatMap { x in [0, 1, 2, 1.5, -1, 7, .nan].flatMap { [x, $0] } }
        for (name, tree) in [("EmptySet", emptySet), ("Leaf", leaf)] {
            add("\(name)-table", GeneratedSurrogate(tree: tree, modelName: name, listing: "# \(name)", command: "distill \(name) --layout table",
                                                   typeName: "\(name)Table", layout: .table), rows: odd, viaInput: false)
        }
        for seed in UInt64(1)...16 {
            let task: PredictionTask = seed % 4 == 0 ? .regression : .classification
            let (tree, data) = RandomTrees.make(seed: seed, task: task)
            var generator = SeededGenerator(seed: seed &+ 1000)
            let extra = try DomainSampler(schema: tree.schema, file: "random").sample(rows: 2000, generator: &generator)
            let valid = data.values + extra.values + RandomTrees.probes(for: tree, base: data, includeInvalid: false)
            let invalid = valid + RandomTrees.probes(for: tree, base: data, includeInvalid: true)
            let modelName = ["my model/v2 (test)", "2024 net", "class", "naïve-bayes"][Int(seed % 4)] + " \(seed)"
            let nested = GeneratedSurrogate(tree: tree, modelName: modelName, listing: "# random tree \(seed)\n*/ /* ??= \\\n",
                                            command: "distill random --seed \(seed)", typeName: seed % 3 == 0 ? nil : "Random\(seed)")
            var table = nested
            table.layout = .table
            table.typeName = "RandomTable\(seed)"
            add("random\(seed)-nested", nested, rows: valid, viaInput: true)
            add("random\(seed)-table", table, rows: invalid, viaInput: false)
            // A tree sum fitted to the random tree's answers (classes as indicators), probed at its own thresholds.
            let classCount = tree.outputs.count
            let scoreCount = TreeSum.scoreCount(task: task, outputs: classCount)
            let sumTargets = task == .regression ? tree.predictValues(raw: data.values, rows: data.rows)
                : tree.predictClasses(raw: data.values, rows: data.rows).flatMap { label in
                    scoreCount == 1 ? [label == 1 ? 1.0 : 0] : (0..<classCount).map { $0 == label ? 1.0 : 0 }
                }
            let sum = try #require(TreeSumBuilder(maxLeaves: 4 + Int(seed % 5) * 3).fit(data, targets: sumTargets, scoreCount: scoreCount,
                                                                                        task: task, outputs: tree.outputs))
            let probes = sum.trees.flatMap { RandomTrees.probes(for: $0, base: data, includeInvalid: false) }
            add("random\(seed)-sum", GeneratedSurrogate(surrogate: .sum(sum), modelName: modelName, listing: "# tree sum \(seed)",
                                                        command: "distill random --surrogate tree-sum", typeName: "RandomSum\(seed)"),
                rows: valid + probes, viaInput: true)
            add("random\(seed)-sum-invalid", GeneratedSurrogate(surrogate: .sum(sum), modelName: modelName, listing: "# tree sum \(seed)",
                                                                command: "distill random --surrogate tree-sum", typeName: "RandomSumInvalid\(seed)"),
                rows: invalid, viaInput: false)
            add("random\(seed)-sum-table", GeneratedSurrogate(surrogate: .sum(sum), modelName: modelName, listing: "# tree sum \(seed)",
                                                              command: "distill random --surrogate tree-sum --layout table",
                                                              typeName: "RandomSumTable\(seed)", layout: .table),
                rows: invalid, viaInput: false)
            guard task == .regression else { continue }
            // The same tree with linear leaves fitted to a target that slopes in every raw feature.
            let width = data.schema.count
            let targets = tree.predictValues(raw: data.values, rows: data.rows).enumerated().map { index, value in
                value + (0..<width).reduce(0.0) { $0 + 0.01 * Double($1 + 1) * data.values[(index / tree.outputs.count) * width + $1] }
            }
            var linear = LinearLeafFitter(maxTerms: 1 + Int(seed % 3)).fit(tree, data: data, targets: targets)
            for node in linear.nodes.indices where !linear.nodes[node].isLeaf { linear.nodes[node].models = [] }
            var linearNested = GeneratedSurrogate(tree: linear, modelName: modelName, listing: "# linear leaves \(seed)",
                                                  command: "distill random --leaf-model linear", typeName: "Linear\(seed)")
            add("random\(seed)-linear-nested", linearNested, rows: valid, viaInput: true)
            linearNested.layout = .table
            linearNested.typeName = "LinearTable\(seed)"
            add("random\(seed)-linear-table", linearNested, rows: invalid, viaInput: false)
            // A tree sum with a linear start fitted to a target that slopes steeply in every raw feature.
            let steep = tree.predictValues(raw: data.values, rows: data.rows).enumerated().map { index, value in
                value + (0..<width).reduce(0.0) { $0 + Double($1 + 1) * data.values[(index / tree.outputs.count) * width + $1] }
            }
            let started = try #require(TreeSumBuilder(maxLeaves: 4 + Int(seed % 5) * 3, maxTerms: 1 + Int(seed % 3))
                .fit(data, targets: steep, scoreCount: tree.outputs.count, task: .regression, outputs: tree.outputs))
            // (On binary inputs alone a stump holds what a term would, and the splits come first.)
            if data.schema.features.contains(where: { if case .continuous = $0.kind { return true } else { return false } }) {
                #expect(started.hasLinearStart, "random tree \(seed)")
            }
            let startedCode = GeneratedSurrogate(surrogate: .sum(started), modelName: modelName, listing: "# linear start \(seed)",
                                                 command: "distill random --surrogate tree-sum --leaf-model linear", typeName: "RandomStart\(seed)")
            add("random\(seed)-sum-linear", startedCode,
                rows: valid + started.trees.flatMap { RandomTrees.probes(for: $0, base: data, includeInvalid: false) }, viaInput: true)
            var startedInvalid = startedCode
            startedInvalid.typeName = "RandomStartInvalid\(seed)"
            add("random\(seed)-sum-linear-invalid", startedInvalid, rows: invalid, viaInput: false)
        }
        return (harness, expected)
    }

    @Test func generatedSwiftAnswersExactlyAsDistill() throws {
        let (harness, expected) = try Self.harness()
        let results = try harness.runSwift()
        let checked = Self.compare(results, expected, names: expected.keys.sorted())
        #expect(checked > 20_000)
    }

    @Test func generatedCAnswersExactlyAsDistill() throws {
        let (harness, expected) = try Self.harness()
        let results = try harness.runC()
        let checked = Self.compare(results, expected, names: harness.entries.map(\.name))
        #expect(checked > 20_000)
    }

    /// Compares answer lines per entry, reporting the first differing row; returns the rows compared.
    static func compare(_ results: [String: [String]], _ expected: [String: [String]], names: [String],
                        sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var checked = 0
        for name in names {
            let lines = expected[name] ?? []
            let got = results[name] ?? []
            #expect(got.count == lines.count, "\(name): \(got.count) lines, expected \(lines.count)", sourceLocation: sourceLocation)
            if let row = zip(got, lines).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("\(name) row \(row.offset): got '\(row.element.0)', expected '\(row.element.1)'", sourceLocation: sourceLocation)
            }
            checked += min(got.count, lines.count)
        }
        return checked
    }
}
