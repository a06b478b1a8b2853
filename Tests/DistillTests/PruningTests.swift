@testable import Distill
import Foundation
import Testing

/// The pruning passes: folding is exact, dead and constant neurons go without changing any output,
/// compensation and the budget hold, and a pruned network round-trips through the model format.
struct PruningTests {
    static func outputs(_ network: Network, _ data: Dataset) -> [Double] {
        NetworkEvaluator(network: network).evaluate(raw: network.project(data).values, rows: data.rows).values
    }

    @Test(arguments: ["iris", "breast_cancer", "penguins", "diabetes"])
    func foldingStandardisationIsExact(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample(sample, "test.csv"), network: network, label: nil)
        let folded = try FoldNormalization.apply(to: network)
        #expect(folded.preprocessing.isEmpty && folded.layers.allSatisfy { if case .dense = $0 { return true }; return false })
        let maxDifference = zip(Self.outputs(network, data), Self.outputs(folded, data)).map { abs($0 - $1) }.max() ?? 0
        #expect(maxDifference < 1e-9, "\(sample): \(maxDifference)")
    }

    @Test func foldingBatchNormBothWaysIsExact() throws {
        var generator = SeededGenerator(seed: 4)
        func random(_ count: Int) -> [Double] { (0..<count).map { _ in generator.nextUnit() * 2 - 1 } }
        func norm(_ width: Int) -> Layer {
            .batchNorm(BatchNormLayer(gamma: random(width), beta: random(width), mean: random(width),
                                      variance: random(width).map { $0 + 1.5 }, epsilon: 1e-3))
        }
        let schema = FeatureSchema(features: (0..<3).map { Feature(name: "x\($0)", kind: .continuous(min: -1, max: 1)) })
        // dense (identity) -> BN -> relu: folds backward; BN -> dense: folds forward.
        let layers: [Layer] = [.dense(DenseLayer(units: 5, inputs: 3, weights: random(15), bias: random(5), activation: .identity)),
                               norm(5), .activation(.relu), .dropout, norm(5),
                               .dense(DenseLayer(units: 2, inputs: 5, weights: random(10), bias: random(2), activation: .softmax))]
        let network = Network(name: "bn", task: .classification, schema: schema, outputs: ["a", "b"],
                              preprocessing: [.standardize(mean: random(3), std: random(3).map { abs($0) + 0.5 })], layers: layers)
        let data = try DomainSampler(schema: schema, file: "t").sample(rows: 200, generator: &generator)
        let folded = try FoldNormalization.apply(to: network)
        #expect(folded.layers.count == 2)
        let maxDifference = zip(Self.outputs(network, data), Self.outputs(folded, data)).map { abs($0 - $1) }.max() ?? 0
        #expect(maxDifference < 1e-9)
    }

    @Test func deadAndConstantNeuronsGoWithoutChangingOutputs() throws {
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 1)),
                                              Feature(name: "y", kind: .continuous(min: 0, max: 1))])
        // Unit 0 dead, unit 1 constant 2, units 2 and 3 live.
        let hidden = DenseLayer(units: 4, inputs: 2, weights: [1, 1, 0, 0, 1, -1, -1, 2], bias: [-5, 2, 0.1, 0.3], activation: .relu)
        let output = DenseLayer(units: 2, inputs: 4, weights: [1, 2, 3, -1, -2, 1, 0.5, 1], bias: [0, 0.1], activation: .softmax)
        let network = Network(name: "n", task: .classification, schema: schema, outputs: ["a", "b"], preprocessing: [],
                              layers: [.dense(hidden), .dense(output)])
        var generator = SeededGenerator(seed: 1)
        let data = try DomainSampler(schema: schema, file: "t").sample(rows: 300, generator: &generator)
        let (pruned, log) = try NetworkPruner.prune(network, fitting: data, settings: PruningSettings(maxFidelityLoss: 0), file: "t")
        #expect(log.dead == 1 && log.constant == 1)
        // With a zero budget nothing else may change a decision; the two removals change no output at all.
        var exact = network
        exact.removeNeuron(layer: 0, unit: 1, value: 2)
        exact.removeNeuron(layer: 0, unit: 0, value: 0)
        let maxDifference = zip(Self.outputs(network, data), Self.outputs(exact, data)).map { abs($0 - $1) }.max() ?? 0
        #expect(maxDifference < 1e-12)
        #expect(pruned.hiddenNeuronCounts[0] <= 2)
        let decisions = NetworkEvaluator(network: pruned).evaluate(raw: pruned.project(data).values, rows: data.rows).predictedClasses
        #expect(decisions == NetworkEvaluator(network: network).evaluate(raw: data.values, rows: data.rows).predictedClasses)
    }

    @Test func prunedNetworksKeepTheBudgetOnTheirCheckPointsAndRoundTrip() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("penguins", "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample("penguins", "train.csv"), network: network, label: nil)
        let (pruned, log) = try NetworkPruner.prune(network, fitting: train, settings: PruningSettings(), file: "penguins")
        #expect(log.checkFidelity >= 0.995)
        #expect(pruned.hiddenNeuronCounts.reduce(0, +) < network.hiddenNeuronCounts.reduce(0, +))
        let reread = try ModelDecoder.decode(Array(ModelDocument.render(pruned).utf8), file: "pruned.json")
        #expect(reread == pruned)
    }
}
