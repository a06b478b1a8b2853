@testable import Distill
import Foundation
import Testing

/// The oracle-guided tree: draws stay inside their region, the model's masses are right, the tree is
/// seeded, and it beats CART where the data run thin or no single split helps.
struct OracleTreeTests {
    static func sample(_ name: String) throws -> (Network, Dataset, Dataset) {
        let network = try ModelDecoder.load(path: Fixtures.sample(name, "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample(name, "train.csv"), network: network, label: nil)
        let test = try DatasetLoader.load(path: Fixtures.sample(name, "test.csv"), network: network, label: nil)
        return (network, train, test)
    }

    @Test(arguments: ["penguins", "breast_cancer"], 1...20)
    func drawsNeverLeaveTheirRegion(sample: String, seed: Int) throws {
        let (_, train, _) = try Self.sample(sample)
        let distribution = InputDistribution(data: train)
        var generator = SeededGenerator(seed: UInt64(seed))
        // A random region as a tree would make one: splits at data values, keeping a side that still
        // holds data rows.
        var region = Region(schema: train.schema)
        let width = train.schema.count
        func rowsInside(_ region: Region) -> [Double] {
            var inside: [Double] = []
            train.values.withUnsafeBufferPointer { buffer in
                for row in 0..<train.rows {
                    let values = UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
                    if region.contains(values) { inside += Array(values) }
                }
            }
            return inside
        }
        for _ in 0..<(1 + generator.nextInt(below: 4)) {
            let feature = generator.nextInt(below: width)
            let value = train[generator.nextInt(below: train.rows), feature]
            let test: SplitTest
            if let categories = train.schema.features[feature].categories {
                test = .categories(left: categories.indices.map { $0 == Int(value) })
            } else {
                test = .threshold(value)
            }
            let sides = region.split(feature: feature, test: test)
            let preferred = generator.nextInt(below: 2) == 0 ? sides.left : sides.right
            region = rowsInside(preferred).isEmpty ? (rowsInside(sides.left).isEmpty ? sides.right : sides.left) : preferred
        }
        let inside = rowsInside(region)
        try #require(!inside.isEmpty)
        for draws in [distribution.sample(300, in: region, generator: &generator),
                      distribution.samplePerturbed(300, in: region, rows: inside, generator: &generator)] {
            var outside = 0
            draws.withUnsafeBufferPointer { buffer in
                for row in 0..<(draws.count / width) where !region.contains(UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])) {
                    outside += 1
                }
            }
            #expect(outside == 0, "seed \(seed): \(outside) of 300 draws outside \(region)")
        }
    }

    @Test func massOfTheModel() throws {
        let schema = FeatureSchema(features: [Feature(name: "u", kind: .continuous(min: 0, max: 1)),
                                              Feature(name: "c", kind: .categorical(values: ["a", "b"]))])
        var generator = SeededGenerator(seed: 3)
        let data = try DomainSampler(schema: schema, file: "test").sample(rows: 4000, generator: &generator)
        let distribution = InputDistribution(data: data)
        let whole = Region(schema: schema)
        #expect(abs(distribution.mass(of: whole) - 1) < 1e-12)
        // Half the unit interval holds about half the kernel mass; one of two equally frequent
        // categories about half the rest (uniform data: within sampling error, 3 standard errors).
        let lowerHalf = whole.split(feature: 0, test: .threshold(0.5)).left
        #expect(abs(distribution.mass(of: lowerHalf) - 0.5) < 3 * (0.25 / 4000).squareRoot())
        let quarter = lowerHalf.split(feature: 1, test: .categories(left: [true, false])).left
        #expect(abs(distribution.mass(of: quarter) - 0.25) < 0.03)
    }

    @Test func checkerboardNeedsTheOracleAndLookahead() throws {
        let (network, train, test) = try Self.sample("checkerboard")
        let labels = NetworkEvaluator(network: network).evaluate(raw: test.values, rows: test.rows).predictedClasses
        // CART at 16 leaves: no single split helps, so it stays near chance (scikit-learn: 49.9%).
        let cart = TreeBuilder(settings: TreeSettings(maxLeaves: 16))
            .fit(train, target: OracleSample.label(train, by: network), outputs: network.outputs)
        #expect(Agreement.share(cart.predictClasses(raw: test.values, rows: test.rows), labels) < 0.6)
        let builder = OracleTreeBuilder(network: network, distribution: InputDistribution(data: train),
                                        settings: OracleTreeSettings(maxLeaves: 16), seed: 1)
        let tree = builder.fit(train).tree
        #expect(tree.leafCount <= 16)
        let fidelity = Agreement.share(tree.predictClasses(raw: test.values, rows: test.rows), labels)
        #expect(fidelity >= 0.95, "held-out fidelity \(fidelity)")
        // Same seed, same tree.
        #expect(builder.fit(train).tree == tree)
    }

    /// The lookahead stops where its work would pass the budget: with none, the tree is the tree without
    /// lookahead; with a budget, the work stays within it and counts points times features times candidates.
    @Test func theLookaheadKeepsWithinItsWork() throws {
        let (network, train, _) = try Self.sample("checkerboard")
        func fit(_ settings: OracleTreeSettings) -> OracleTreeBuilder.Fit {
            OracleTreeBuilder(network: network, distribution: InputDistribution(data: train), settings: settings, seed: 1).fit(train)
        }
        let without = fit(OracleTreeSettings(maxLeaves: 16, lookahead: false))
        #expect(without.lookaheadWork == 0)
        let none = fit(OracleTreeSettings(maxLeaves: 16, lookaheadOperations: 0))
        #expect(none.tree == without.tree && none.lookaheadWork == 0)
        let full = fit(OracleTreeSettings(maxLeaves: 16))
        #expect(full.tree != without.tree)
        // The root's lookahead on the rows (8 inputs): 8 thresholds per input, each candidate scanning 8
        // features of every row, then up to 32 refined thresholds.
        let root = 8.0 * Double(train.rows)
        #expect(full.lookaheadWork >= 64 * root && full.lookaheadWork <= Double(full.tree.nodes.count) * (64 + 32) * root)
        // A budget of the root's coarse and refined candidates and no more: the root alone looks ahead.
        let rootOnly = fit(OracleTreeSettings(maxLeaves: 16, lookaheadOperations: (64 + 32) * root))
        #expect(rootOnly.lookaheadWork >= 64 * root && rootOnly.lookaheadWork <= (64 + 32) * root)
        #expect(rootOnly.tree.nodes[0].split == full.tree.nodes[0].split)
        #expect(rootOnly.tree.nodes[0].split != without.tree.nodes[0].split)
    }

    /// With more data rows than `oraclePoints`, the tree grows on that many of them, evenly spaced.
    @Test func theTreeGrowsOnAtMostOraclePointsOfTheRows() throws {
        let model = Fixtures.sample("checkerboard", "model.json")
        let network = try ModelDecoder.load(path: model)
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample("checkerboard", "train.csv")), tree: TreeSettings(maxLeaves: 8),
                                         kind: .oracleTree)
        options.oraclePoints = 1000
        let extraction = try Extraction.run(network: network, modelPath: model, options: options)
        let rows = extraction.data.train.rows
        #expect(rows > 1000 && extraction.fittingPoints == 1000)
        let spaced = extraction.data.train.subset((0..<1000).map { $0 * rows / 1000 })
        let settings = OracleTreeSettings(maxLeaves: 8, maxDepth: nil, minSamplesLeaf: 1, minOracleSamples: options.minOracleSamples,
                                          lookahead: true, sampler: .rows, allowedFeatures: nil)
        let expected = OracleTreeBuilder(network: network, distribution: try #require(extraction.inputDistribution), settings: settings,
                                         seed: options.data.seed).fit(spaced).tree
        // Merging and rounding against the rows keep every row's answer.
        let fitted = try #require(extraction.tree)
        #expect(fitted.predictClasses(raw: spaced.values, rows: spaced.rows) == expected.predictClasses(raw: spaced.values, rows: spaced.rows))
    }

    /// With more data rows than `rulePoints`, the rule learners read that many of the rows, evenly spaced,
    /// each with the network's own class.
    @Test func ruleLearnersReadAtMostRulePointsOfTheRows() throws {
        let model = Fixtures.sample("checkerboard", "model.json")
        let network = try ModelDecoder.load(path: model)
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample("checkerboard", "train.csv")))
        options.rulePoints = 500
        let data = try TrainingData.prepare(network: network, modelPath: model, options: options.data)
        let fitter = try SurrogateFitter(network: network, data: data, options: options, modelPath: model)
        let rows = data.train.rows, width = network.schema.count
        #expect(rows > 500 && fitter.ruleFitting.points.rows == 500)
        let picked = (0..<500).map { $0 * rows / 500 }
        #expect(fitter.ruleFitting.points.values == picked.flatMap { data.train.values[($0 * width)..<(($0 + 1) * width)] })
        let classes = NetworkEvaluator(network: network).evaluate(raw: data.train.values, rows: rows).predictedClasses
        #expect(fitter.ruleFitting.classes == picked.map { classes[$0] })
    }

    @Test(arguments: ["iris", "breast_cancer", "penguins"], [4, 8, 16])
    func atLeastAsFaithfulAsCART(sample: String, leaves: Int) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample(sample, "train.csv"), testPath: Fixtures.sample(sample, "test.csv")),
                                         tree: TreeSettings(maxLeaves: leaves))
        // Plain CART: the data rows alone, grown straight to the size.
        options.oraclePoints = 0
        options.validationPoints = 0
        let cart = try Extraction.run(network: network, modelPath: sample, options: options)
        options.kind = .oracleTree
        let oracle = try Extraction.run(network: network, modelPath: sample, options: options)
        #expect(oracle.surrogate.size.leaves! <= leaves)
        // The bar: at least CART's held-out fidelity, within one held-out row.
        #expect((oracle.evaluation.agreeingRows ?? 0) >= (cart.evaluation.agreeingRows ?? 0) - 1)
        #expect(oracle.evaluation.domain?.points == options.domainPoints)
    }
}
