import Foundation
import Testing
@testable import Distill

/// Interventional Shapley values against their closed form on linear models, their defining properties
/// on networks, and the sampled estimator against the exact one.
struct ShapleyTests {
    /// A network of `d` inputs and random tanh layers (regression, one output), or linear when `linear`.
    static func network(d: Int, seed: UInt64, linear: Bool = false, deadFeature: Int? = nil) -> Network {
        var generator = SeededGenerator(seed: seed)
        func values(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in Double.random(in: -scale...scale, using: &generator) } }
        let features = (0..<d).map { Feature(name: "x\($0)", kind: .continuous(min: -3, max: 3)) }
        var first = values(8 * d, 1.2)
        if let dead = deadFeature { for unit in 0..<8 { first[unit * d + dead] = 0 } }
        let layers: [Layer] = linear
            ? [.dense(DenseLayer(units: 1, inputs: d, weights: values(d, 2), bias: values(1, 1), activation: .identity))]
            : [.dense(DenseLayer(units: 8, inputs: d, weights: first, bias: values(8, 0.5), activation: .tanh)),
               .dense(DenseLayer(units: 1, inputs: 8, weights: values(8, 1), bias: values(1, 0.5), activation: .identity))]
        return Network(name: "shapley", task: .regression, schema: FeatureSchema(features: features), outputs: ["y"],
                       preprocessing: [], layers: layers)
    }

    static func rows(_ count: Int, d: Int, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let schema = FeatureSchema(features: (0..<d).map { Feature(name: "x\($0)", kind: .continuous(min: -3, max: 3)) })
        return Dataset(schema: schema, rows: count, values: (0..<(count * d)).map { _ in Double.random(in: -2...2, using: &generator) })
    }

    @Test(arguments: [3, 7])
    func linearModelsGiveWeightTimesDistanceFromTheBackgroundMean(d: Int) throws {
        // f(x) = w·x + b: v(S) = b + sum_{i in S} w_i x_i + sum_{i not in S} w_i mean(b_i), so φ_i = w_i (x_i - mean b_i).
        let network = Self.network(d: d, seed: 3, linear: true)
        guard case let .dense(layer) = network.layers[0] else { Issue.record("not dense"); return }
        let background = Self.rows(20, d: d, seed: 4)
        let x = Self.rows(1, d: d, seed: 5).values
        let explanation = ShapleyValues(network: network, background: background, output: 0).explain(x)
        #expect(explanation.exact)
        for feature in 0..<d {
            let mean = (0..<20).reduce(0.0) { $0 + background.values[$1 * d + feature] } / 20
            #expect(abs(explanation.values[feature] - layer.weights[feature] * (x[feature] - mean)) <= 1e-12)
        }
    }

    @Test func exactValuesAreEfficientAndIgnoreADeadFeature() {
        let d = 6
        let network = Self.network(d: d, seed: 11, deadFeature: 2)
        let background = Self.rows(25, d: d, seed: 12)
        let shapley = ShapleyValues(network: network, background: background, output: 0)
        let evaluator = NetworkEvaluator(network: network)
        let outputs = evaluator.evaluate(raw: background.values, rows: 25)
        let expected = (0..<25).reduce(0.0) { $0 + outputs[$1, 0] } / 25
        for seed in UInt64(20)..<UInt64(25) {
            let x = Self.rows(1, d: d, seed: seed).values
            let explanation = shapley.explain(x)
            let prediction = evaluator.evaluate(raw: x, rows: 1)[0, 0]
            // Efficiency: the values add up to f(x) - E f over the background.
            #expect(abs(explanation.values.reduce(0, +) - (prediction - expected)) <= 1e-9)
            #expect(abs(explanation.prediction - prediction) <= 1e-12 && abs(explanation.expected - expected) <= 1e-12)
            // A feature the network never reads gets nothing (dummy player).
            #expect(abs(explanation.values[2]) <= 1e-12)
        }
    }

    @Test func theSampledEstimatorAgreesWithTheExactValuesWithinItsErrors() {
        let d = 5
        let network = Self.network(d: d, seed: 31)
        let background = Self.rows(40, d: d, seed: 32)
        let shapley = ShapleyValues(network: network, background: background, output: 0)
        let x = Self.rows(1, d: d, seed: 33).values
        let exact = shapley.explain(x)
        let sampled = shapley.explain(x, permutations: 4000, seed: 7)
        #expect(!sampled.exact)
        for feature in 0..<d {
            #expect(sampled.standardErrors[feature] > 0)
            #expect(abs(sampled.values[feature] - exact.values[feature]) <= 4 * sampled.standardErrors[feature] + 1e-12,
                    "feature \(feature): \(sampled.values[feature]) vs \(exact.values[feature]) ± \(sampled.standardErrors[feature])")
        }
        // The same seed gives the same estimate.
        #expect(shapley.explain(x, permutations: 4000, seed: 7) == sampled)
    }

    @Test func sensitivityRanksByMeanAbsoluteShapleyValue() throws {
        // Linear model: mean |φ_i| over the explained rows is |w_i| times the mean |x_i - mean b_i|.
        let d = 4
        let network = Self.network(d: d, seed: 41, linear: true)
        let rows = Self.rows(60, d: d, seed: 42)
        var options = SensitivityAnalysis.Options()
        options.methods = [.shapley]
        options.shapleyRows = 20
        options.shapleyBackground = 30
        let analysis = try SensitivityAnalysis.run(network: network, modelPath: "linear", data: rows, options: options)
        let ranking = try #require(analysis.rankings.first { $0.method == "shapley" })
        #expect(analysis.notes.contains(.shapley(explained: 20, rows: 60, seed: 1, coalitions: 1 << d, orderings: 256, background: 30, otherRows: true)))
        let values = ranking.scores.map(\.value)
        #expect(values == values.sorted(by: >))
        #expect(ranking.scores.allSatisfy { $0.interval!.low <= $0.value && $0.value <= $0.interval!.high })
    }
}

/// Exact values against a brute-force reference (Fixtures/shapley/make_shapley.py: every subset
/// enumerated, the network evaluated by an independent numpy forward pass), and the sampled estimator's
/// intervals against the exact values.
struct ShapleyReferenceTests {
    @Test(arguments: ["iris", "penguins"])
    func exactValuesEqualTheBruteForceReference(_ sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let test = try DatasetLoader.load(path: Fixtures.sample(sample, "test.csv"), network: network, label: nil)
        let train = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        let background = train.subset(Array(0..<40))
        let reference = try String(contentsOfFile: Fixtures.fixture("shapley/shapley_\(sample).csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(reference.count == 3 * network.schema.count)
        let d = network.schema.count
        for row in 0..<3 {
            let x = Array(test.values[(row * d)..<((row + 1) * d)])
            let target = Agreement.argmax(NetworkEvaluator(network: network).evaluate(raw: x, rows: 1).values)
            let explanation = ShapleyValues(network: network, background: background, output: target).explain(x)
            #expect(explanation.exact)
            for line in reference where Int(line[0]) == row {
                #expect(line[1] == network.outputs[target])
                let feature = try #require(network.schema.features.firstIndex { $0.name == line[2] })
                #expect(abs(explanation.values[feature] - Double(line[3])!) <= 1e-9, "\(sample) row \(row) \(line[2])")
            }
        }
    }

    @Test func sampledIntervalsCoverTheExactValues() {
        // 50 seeds x 5 features: the 95% intervals (1.96 standard errors) hold the exact value in >= 90%.
        let d = 5
        let network = ShapleyTests.network(d: d, seed: 61)
        let background = ShapleyTests.rows(30, d: d, seed: 62)
        let shapley = ShapleyValues(network: network, background: background, output: 0)
        let x = ShapleyTests.rows(1, d: d, seed: 63).values
        let exact = shapley.explain(x).values
        var covered = 0
        for seed in UInt64(1)...50 {
            let sampled = shapley.explain(x, permutations: 200, seed: seed)
            for feature in 0..<d where abs(sampled.values[feature] - exact[feature]) <= 1.96 * sampled.standardErrors[feature] { covered += 1 }
        }
        #expect(Double(covered) / Double(50 * d) >= 0.9, "\(covered) of \(50 * d)")
    }
}
