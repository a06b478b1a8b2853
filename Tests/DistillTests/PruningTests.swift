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

    /// The ranking's shortcut (only the layers after a removal run again, from a rank-one change) gives
    /// what building each compensated network and evaluating it whole gives, for every hidden neuron.
    @Test(arguments: ["iris", "breast_cancer", "penguins", "diabetes"])
    func removalEffectsMatchEvaluatingEachPrunedNetwork(sample: String) throws {
        let original = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: original, label: nil)
        let network = try FoldNormalization.apply(to: original)
        var generator = SeededGenerator(seed: 3)
        let points = PruningCheck(original: original, fitting: data, settings: PruningSettings(checkSamples: 400), generator: &generator)
        let grams = points.grams(network)
        let neurons = NeuronStatistics.measure(network: network, data: network.project(data)).neurons
        let fast = points.effects(of: neurons, in: network, grams: grams)
        for (neuron, effect) in zip(neurons, fast) {
            let whole = Self.effect(of: points.remove([neuron.unit], layer: neuron.layer, from: network, grams: grams), on: points)
            #expect(abs(effect - whole) <= 1e-9 * max(whole, 1e-6), "\(sample) \(neuron.layer):\(neuron.unit): \(effect) vs \(whole)")
        }
    }

    /// The Gram matrix by BLAS products over pieces of rows equals the loop over the rows (ReLU-like values
    /// with zeros, weights, rows in several pieces), and its pieces depend on the rows alone.
    @Test(arguments: [1, 700, 5000])
    func gramByPiecesMatchesTheLoop(rows: Int) throws {
        var generator = SeededGenerator(seed: 8)
        let units = 37
        let values = (0..<(rows * units)).map { _ in max(0, generator.nextUnit() * 2 - 0.7) }
        let weights = (0..<rows).map { _ in 0.5 + generator.nextUnit() }
        for weighting in [nil, weights] {
            let loop = LinearCompensation.gram(values, rows: rows, units: units, weights: weighting)
            let pieces = try #require(LinearCompensation.blasGram(values, rows: rows, units: units, weights: weighting))
            let scale = loop.map(abs).max() ?? 1
            #expect(zip(loop, pieces).allSatisfy { abs($0 - $1) <= 1e-12 * scale })
            #expect(try #require(Parallelism.withThreads(1) { LinearCompensation.blasGram(values, rows: rows, units: units, weights: weighting) }) == pieces)
        }
        #expect(LinearCompensation.gramPieces(rows: rows) == [1: 1, 700: 1, 5000: 4][rows])
        #expect(LinearCompensation.gramPieces(rows: 1_000_000) == 8)
    }

    /// Removing inputs keeps the declared image true: an input before it moves its first input, one after
    /// it leaves it as it is, a pixel removed undeclares it; each pruned network writes and reads back
    /// (the digits sample's pruning stopped on a pixel range past the end of the inputs).
    @Test func removingInputsKeepsTheImageTrue() throws {
        let names = ["age"] + (0..<4).map { "p\($0)" } + ["tail"]
        let schema = FeatureSchema(features: names.map { Feature(name: $0, kind: .continuous(min: nil, max: nil)) })
        let dense = DenseLayer(units: 2, inputs: 6, weights: (0..<12).map { Double($0) / 10 - 0.5 }, bias: [0.1, -0.1], activation: .softmax)
        var network = Network(name: "image", task: .classification, schema: schema, outputs: ["a", "b"], preprocessing: [],
                              layers: [.dense(dense)], image: ImageShape(height: 2, width: 2, firstInput: 1))
        network.removeInput(feature: 0, value: 3)
        #expect(network.image == ImageShape(height: 2, width: 2, firstInput: 0))
        #expect(network.schema.features[network.image!.inputs].map(\.name) == ["p0", "p1", "p2", "p3"])
        #expect(try Fixtures.decode(ModelDocument.render(network)) == network)
        network.removeInput(feature: 4, value: 0)
        #expect(network.image == ImageShape(height: 2, width: 2, firstInput: 0))
        network.removeInput(feature: 2, value: 0)
        #expect(network.image == nil && network.schema.features.map(\.name) == ["p0", "p1", "p3"])
        #expect(try Fixtures.decode(ModelDocument.render(network)) == network)
    }

    /// The mean squared change of `candidate`'s outputs from the original's on the scoring points, by
    /// evaluating the whole candidate network.
    static func effect(of candidate: Network, on points: PruningCheck) -> Double {
        let output = Self.outputs(candidate, points.scoring)
        return zip(output, points.scoringReference).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(max(output.count, 1))
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
        let result = try NetworkPruner.prune(network, fitting: data, settings: PruningSettings(maxFidelityLoss: 0), file: "t")
        let (pruned, log) = (result.network, result.log)
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
        let result = try NetworkPruner.prune(network, fitting: train, settings: PruningSettings(), file: "penguins")
        let (pruned, log) = (result.network, result.log)
        #expect(log.checkFidelity >= 0.995)
        #expect(pruned.hiddenNeuronCounts.reduce(0, +) < network.hiddenNeuronCounts.reduce(0, +))
        let reread = try ModelDecoder.decode(Array(ModelDocument.render(pruned).utf8), file: "pruned.json")
        #expect(reread == pruned)
    }

    /// The bar: on the breast-cancer sample, at the default budget and without fine-tuning, at
    /// least half of the hidden neurons go and the held-out decisions stay within the budget.
    @Test func breastCancerLosesHalfItsNeuronsWithinTheBudget() throws {
        let path = Fixtures.sample("breast_cancer", "model.json")
        let network = try ModelDecoder.load(path: path)
        let options = TrainingData.Options(dataPath: Fixtures.sample("breast_cancer", "train.csv"),
                                           testPath: Fixtures.sample("breast_cancer", "test.csv"), label: "diagnosis")
        let pruning = try Pruning.run(network: network, modelPath: path, data: options, settings: PruningSettings())
        let before = network.hiddenNeuronCounts.reduce(0, +), after = pruning.pruned.hiddenNeuronCounts.reduce(0, +)
        #expect(2 * after <= before, "\(before) -> \(after)")
        #expect(pruning.heldoutAgreement >= 1 - 0.005, "\(pruning.heldoutAgreement)")
        #expect(pruning.log.checkFidelity >= 0.995)
    }

    /// Draws as far out as new rows: the spread matches numpy's and scikit-learn's reading of the same
    /// definition (Fixtures/spread/new_row_spread.py), including the clamp at 1.
    @Test(arguments: [("breast_cancer", 1.7209), ("diabetes", 1.5996), ("iris", 1.0)])
    func newRowSpreadMatchesTheReference(sample: String, expected: Double) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        #expect(abs(InputDistribution(data: train).newRowSpread(rows: train) - expected) < 1e-4)
    }

    /// Distillation trains in standardised units and folds them back: with no epochs the student comes
    /// back as it went in; with training, a network cut to three neurons agrees with the teacher at least
    /// as well as before on the distillation rows.
    @Test func distillationFoldsBackExactlyAndDoesNotLoseDecisions() throws {
        let network = try FoldNormalization.apply(to: try ModelDecoder.load(path: Fixtures.sample("iris", "model.json")))
        let train = try DatasetLoader.load(path: Fixtures.sample("iris", "train.csv"), network: network, label: nil)
        var distiller = NetworkDistiller(teacher: network, rows: train, seed: 3)
        distiller.epochs = 0
        let same = distiller.train(network)
        let drift = zip(Self.outputs(same, train), Self.outputs(network, train)).map { abs($0 - $1) }.max() ?? 1
        #expect(drift < 1e-9)
        let small = LinearCompensation.remove(Array(3..<network.denseLayers[0].units), layer: 0, from: network, rows: train)
        distiller.epochs = 40
        let trained = distiller.train(small)
        func agreement(_ candidate: Network) -> Double {
            Agreement.share(NetworkEvaluator(network: candidate).evaluate(raw: train.values, rows: train.rows).predictedClasses,
                            NetworkEvaluator(network: network).evaluate(raw: train.values, rows: train.rows).predictedClasses)
        }
        #expect(trained.denseLayers[0].units == 3)
        #expect(agreement(trained) >= agreement(small))
    }

    /// Ranking's fits from one factorisation of the layer (the inverse's regression identity) against a
    /// factorisation per removed unit, on the breast-cancer network's two hidden layers: the same
    /// coefficients to rounding.
    @Test func oneFactorisationGivesEachUnitsFit() throws {
        let network = try FoldNormalization.apply(to: try ModelDecoder.load(path: Fixtures.sample("breast_cancer", "model.json")))
        let train = try DatasetLoader.load(path: Fixtures.sample("breast_cancer", "train.csv"), network: network, label: nil)
        let grams = LinearCompensation.grams(network, rows: train, weights: nil)
        for (layer, gram) in grams.enumerated() {
            let m = network.denseLayers[layer].units
            let single = try #require(LinearCompensation.LeaveOneOutFits(units: m, gram: gram))
            for unit in 0..<m {
                let expected = LinearCompensation.fits(removing: [unit], units: m, gram: gram)[0]
                let fit = single.fit(unit)
                let scale = expected.map(abs).max() ?? 1
                let worst = zip(fit, expected).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= 1e-9 * max(scale, 1), "layer \(layer) unit \(unit): \(worst) of \(scale)")
            }
        }
    }
}
