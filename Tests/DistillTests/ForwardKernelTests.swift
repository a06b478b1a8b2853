@testable import Distill
import Foundation
import Testing

/// The fast forward pass (BLAS dense kernel, fused bias and activation, row blocks on several threads)
/// against the reference interpreter, and its independence of the thread count.
struct ForwardKernelTests {
    /// Both compute the same float64 sums in another order: the difference is a few ulps of the terms'
    /// magnitude per layer, far below 1e-12 relative on networks whose terms do not cancel to nothing.
    static let relativeTolerance = 1e-12

    static func expectClose(_ fast: [Double], _ reference: [Double], _ label: String) {
        #expect(fast.count == reference.count, "\(label): sizes")
        var worst = 0.0
        for (a, b) in zip(fast, reference) {
            let scale = max(abs(a), abs(b))
            if scale > 0 { worst = max(worst, abs(a - b) / scale) }
        }
        #expect(worst <= relativeTolerance, "\(label): worst relative difference \(worst)")
    }

    static func evaluate(_ network: Network, _ data: Dataset, kernel: DenseKernel, threads: Int = 2) -> NetworkOutput {
        var evaluator = NetworkEvaluator(network: network, kernel: kernel)
        evaluator.threads = threads
        return evaluator.evaluate(raw: data.values, rows: data.rows)
    }

    @Test(arguments: Fixtures.allSamples + Fixtures.hardSamples)
    func samplesAgreeWithTheReference(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        Self.expectClose(Self.evaluate(network, data, kernel: .blas).values,
                         Self.evaluate(network, data, kernel: .reference).values, sample)
    }

    @Test(arguments: ["all_layers", "classifier", "binary", "packed64", "packed32"])
    func fixturesAgreeWithTheReference(fixture: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("layers/\(fixture).json"))
        let data = try DatasetLoader.load(path: Fixtures.fixture("layers/\(fixture)_inputs.csv"), network: network, label: nil)
        Self.expectClose(Self.evaluate(network, data, kernel: .blas).values,
                         Self.evaluate(network, data, kernel: .reference).values, fixture)
        let encoded = network.schema.encode(data.values, rows: data.rows)
        Self.expectClose(NetworkEvaluator(network: network, kernel: .blas).forward(encoded: encoded, rows: data.rows),
                         NetworkEvaluator(network: network, kernel: .reference).forward(encoded: encoded, rows: data.rows),
                         "\(fixture) raw outputs")
    }

    /// A wide network with every kind of step, on more rows than one block: 1,500 rows x (15 encoded inputs ->
    /// 300 -> 200 -> 64 -> 5).
    @Test(arguments: [false, true])
    func aWideNetworkAgreesWithTheReference(smooth: Bool) {
        let (network, data) = smooth ? RandomNetworks.smooth(seed: 3, rows: 1500) : RandomNetworks.wide(seed: 3, rows: 1500)
        let fast = Self.evaluate(network, data, kernel: .blas)
        #expect(NetworkEvaluator(network: network).chunkRows < data.rows, "the rows span several blocks")
        Self.expectClose(fast.values, Self.evaluate(network, data, kernel: .reference).values, "wide network")
    }

    /// On Linux the BLAS kernel is OpenBLAS, loaded at first use with the environment's
    /// `OPENBLAS_CORETYPE` set aside while it loads and then put back unchanged.
    @Test func openBLASIsLoadedAndTheEnvironmentIsLeftAsItWas() throws {
        #if os(Linux)
        let before = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        let library = try #require(DenseKernel.blasLibrary, "no OpenBLAS: the BLAS kernel would compute as the reference")
        #expect(library.hasPrefix("OpenBLAS ("))
        #expect(getenv("OPENBLAS_CORETYPE").map { String(cString: $0) } == before)
        #endif
    }

    @Test func theThreadCountDoesNotChangeABit() {
        let (network, data) = RandomNetworks.wide(seed: 4, rows: 2000)
        let one = Self.evaluate(network, data, kernel: .blas, threads: 1)
        for threads in [2, 3, 8] {
            #expect(Self.evaluate(network, data, kernel: .blas, threads: threads) == one, "\(threads) threads")
        }
    }

    /// The backward product against the gradient of the forward one written out by hand.
    @Test func backwardProductIsTheTransposedProduct() {
        var generator = SeededGenerator(seed: 9)
        let units = 37, inputs = 23, rows = 11
        let layer = DenseLayer(units: units, inputs: inputs, weights: (0..<(units * inputs)).map { _ in generator.nextUnit() - 0.5 },
                               bias: [Double](repeating: 0, count: units), activation: .identity)
        let gradient = (0..<(rows * units)).map { _ in generator.nextUnit() - 0.5 }
        var expected = [Double](repeating: 0, count: rows * inputs)
        for row in 0..<rows {
            for input in 0..<inputs {
                for unit in 0..<units { expected[row * inputs + input] += gradient[row * units + unit] * layer.weight(unit: unit, input: input) }
            }
        }
        for kernel in DenseKernel.allCases {
            var result = [Double](repeating: .nan, count: rows * inputs)
            gradient.withUnsafeBufferPointer { g in
                result.withUnsafeMutableBufferPointer { kernel.backward(layer, gradient: g.baseAddress!, rows: rows, input: $0.baseAddress!) }
            }
            Self.expectClose(result, expected, "\(kernel) backward")
        }
    }

    /// Gradients and relevance in blocks: the BLAS kernel against the reference one, one row at a time
    /// against the batch, one thread against several. Tolerance: 1e-10 of the largest magnitude, since
    /// gradients and relevances are signed sums whose small entries are cancellations.
    @Test func gradientsAndRelevanceGoThroughTheSameKernel() {
        let (network, data) = RandomNetworks.wide(seed: 6, rows: 600)
        let encoded = network.schema.encode(data.values, rows: data.rows)
        let width = network.schema.encodedWidth
        func close(_ a: [Double], _ b: [Double], _ label: String) {
            let scale = b.map(abs).max() ?? 0
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(a.count == b.count && worst <= 1e-10 * scale, "\(label): \(worst) of \(scale)")
        }
        var reference = NetworkGradient(network: network)
        reference.kernel = .reference
        let fast = NetworkGradient(network: network).gradients(encoded: encoded, rows: data.rows, targets: .predicted)
        let slow = reference.gradients(encoded: encoded, rows: data.rows, targets: .predicted)
        close(fast.gradients, slow.gradients, "gradients")
        close(fast.outputs, slow.outputs, "outputs")
        let classes = (0..<data.rows).map { row in Agreement.argmax(Array(fast.outputs[(row * 5)..<((row + 1) * 5)])) }
        for row in [0, 17, 599] {
            let one = NetworkGradient(network: network).gradient(encoded: Array(encoded[(row * width)..<((row + 1) * width)]), target: classes[row])
            close(one.gradients, Array(fast.gradients[(row * width)..<((row + 1) * width)]), "row \(row)")
        }
        for rule in LayerwiseRelevance.Rule.allCases {
            let lrp = LayerwiseRelevance(network: network, rule: rule)
            let batch = lrp.relevances(encoded: encoded, rows: data.rows, target: 2)
            close(batch.input, lrp.relevances(encoded: encoded, rows: data.rows, target: 2, kernel: .reference).input, "\(rule)")
            #expect(lrp.relevances(encoded: encoded, rows: data.rows, target: 2, threads: 1).input
                    == lrp.relevances(encoded: encoded, rows: data.rows, target: 2, threads: 3).input)
            let one = lrp.relevance(encoded: Array(encoded[(42 * width)..<(43 * width)]), target: 2)
            close(one.input, Array(batch.input[(42 * width)..<(43 * width)]), "\(rule) row 42")
            #expect(abs(one.total - batch.totals[42]) <= 1e-12 * abs(one.total))
        }
        var single = NetworkGradient(network: network)
        single.threads = 1
        #expect(single.gradients(encoded: encoded, rows: data.rows, targets: .predicted).gradients == fast.gradients)
    }

    /// Rows with one feature's values swapped in from other rows (what Sobol' evaluates): the rank-k update
    /// of the first layer against evaluating each substituted matrix, a categorical feature included, and
    /// the plain path for a network that does not start with a dense layer.
    @Test func substitutedColumnsMatchTheirMatrices() {
        let (network, data) = RandomNetworks.wide(seed: 8, rows: 700)
        let (_, others) = RandomNetworks.wide(seed: 9, rows: 700)
        var batchFirst = network
        batchFirst.layers.insert(.activation(.tanh), at: 0)
        for candidate in [network, RandomNetworks.smooth(seed: 2, rows: 1).0, batchFirst] {
            let rows = candidate.schema.count == data.schema.count ? data : RandomNetworks.smooth(seed: 4, rows: 700).1
            let other = candidate.schema.count == data.schema.count ? others : RandomNetworks.smooth(seed: 5, rows: 700).1
            let evaluator = NetworkEvaluator(network: candidate)
            let features = Array(0..<candidate.schema.count)
            let substituted = evaluator.evaluateSubstituting(base: rows.values, other: other.values, rows: rows.rows, features: features)
            let width = candidate.schema.count
            for feature in features {
                var mixed = rows.values
                for row in 0..<rows.rows { mixed[row * width + feature] = other.values[row * width + feature] }
                Self.expectClose(substituted[feature].values, evaluator.evaluate(raw: mixed, rows: rows.rows).values,
                                 "\(candidate.name) feature \(feature)")
            }
        }
    }

    @Test func threadSettingPrecedence() {
        #expect(Parallelism.withThreads(3) { Parallelism.threads } == 3)
        #expect(Parallelism.withThreads(0) { Parallelism.threads } == 1)
        var seen = [Int](repeating: -1, count: 50)
        seen.withUnsafeMutableBufferPointer { seen in
            let box = UncheckedBox(seen)
            Parallelism.forEach(pieces: 50, threads: 4) { piece, _ in box.value[piece] = piece }
        }
        #expect(seen == Array(0..<50), "every piece runs once")
    }
}

/// Seeded random networks for kernel and scaling tests.
enum RandomNetworks {
    /// 12 continuous inputs and a 3-category input (15 encoded columns), standardised; dense 300 GELU,
    /// batchnorm, dense 200 tanh, dropout, dense 64 ReLU, leaky-ReLU activation layer, dense 5 softmax.
    static func wide(seed: UInt64, rows: Int) -> (Network, Dataset) {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in (generator.nextUnit() * 2 - 1) * scale } }
        var features = (0..<12).map { Feature(name: "x\($0)", kind: .continuous(min: -3, max: 3)) }
        features.append(Feature(name: "colour", kind: .categorical(values: ["red", "green", "blue"])))
        let schema = FeatureSchema(features: features)
        func dense(_ units: Int, _ inputs: Int, _ activation: Activation) -> Layer {
            .dense(DenseLayer(units: units, inputs: inputs, weights: uniform(units * inputs, (3 / Double(inputs)).squareRoot()),
                              bias: uniform(units, 0.2), activation: activation))
        }
        let norm = BatchNormLayer(gamma: uniform(300, 1).map { 1 + $0 / 2 }, beta: uniform(300, 0.3), mean: uniform(300, 0.2),
                                  variance: uniform(300, 1).map { 1 + $0 / 2 }, epsilon: 1e-5)
        let network = Network(name: "wide", task: .classification, schema: schema, outputs: ["a", "b", "c", "d", "e"],
                              preprocessing: [.standardize(mean: uniform(15, 0.5), std: uniform(15, 0.5).map { 1 + $0 })],
                              layers: [dense(300, 15, .gelu), .batchNorm(norm), dense(200, 300, .tanh), .dropout,
                                       dense(64, 200, .relu), .activation(.leakyReLU(alpha: 0.1)), dense(5, 64, .softmax)])
        var values: [Double] = []
        for _ in 0..<rows {
            values += uniform(12, 3)
            values.append(Double(generator.nextInt(below: 3)))
        }
        return (network, Dataset(schema: schema, rows: rows, values: values))
    }

    /// The other activations of the fast path: 9 inputs -> 301 sigmoid -> 157 ELU -> 83 SiLU, softplus
    /// activation layer -> 3 one-vs-rest sigmoids (widths that leave tails past the eight-value lanes).
    static func smooth(seed: UInt64, rows: Int) -> (Network, Dataset) {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in (generator.nextUnit() * 2 - 1) * scale } }
        let schema = FeatureSchema(features: (0..<9).map { Feature(name: "x\($0)", kind: .continuous(min: -4, max: 4)) })
        func dense(_ units: Int, _ inputs: Int, _ activation: Activation) -> Layer {
            .dense(DenseLayer(units: units, inputs: inputs, weights: uniform(units * inputs, (6 / Double(inputs)).squareRoot()),
                              bias: uniform(units, 0.5), activation: activation))
        }
        let network = Network(name: "smooth", task: .classification, schema: schema, outputs: ["a", "b", "c"], preprocessing: [],
                              layers: [dense(301, 9, .sigmoid), dense(157, 301, .elu(alpha: 0.7)), dense(83, 157, .silu),
                                       .activation(.softplus), dense(3, 83, .sigmoid)])
        return (network, Dataset(schema: schema, rows: rows, values: uniform(rows * 9, 4)))
    }

    /// 10 inputs -> 400 ReLU -> 200 tanh -> one sigmoid unit (84,200 multiply-adds per row).
    static func binary(seed: UInt64, rows: Int) -> (Network, Dataset) {
        reluTanh(seed: seed, rows: rows, name: "binary", task: .classification, outputs: ["no", "yes"], last: .sigmoid)
    }

    /// A regression network: 10 inputs -> 400 ReLU -> 200 tanh -> 2 identity outputs (84,400 multiply-adds
    /// per row).
    static func regression(seed: UInt64, rows: Int) -> (Network, Dataset) {
        reluTanh(seed: seed, rows: rows, name: "regression", task: .regression, outputs: ["y", "z"], last: .identity)
    }

    /// 10 inputs in [-2, 2] -> 400 ReLU -> 200 tanh -> one `last` unit per output (one for two classes).
    private static func reluTanh(seed: UInt64, rows: Int, name: String, task: PredictionTask, outputs: [String],
                                 last: Activation) -> (Network, Dataset) {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in (generator.nextUnit() * 2 - 1) * scale } }
        let schema = FeatureSchema(features: (0..<10).map { Feature(name: "x\($0)", kind: .continuous(min: -2, max: 2)) })
        func dense(_ units: Int, _ inputs: Int, _ activation: Activation) -> Layer {
            .dense(DenseLayer(units: units, inputs: inputs, weights: uniform(units * inputs, (6 / Double(inputs)).squareRoot()),
                              bias: uniform(units, 0.3), activation: activation))
        }
        let units = task == .classification && outputs.count == 2 ? 1 : outputs.count
        let network = Network(name: name, task: task, schema: schema, outputs: outputs, preprocessing: [],
                              layers: [dense(400, 10, .relu), dense(200, 400, .tanh), dense(units, 200, last)])
        return (network, Dataset(schema: schema, rows: rows, values: uniform(rows * 10, 2)))
    }

    /// 10 inputs -> 300 identity -> 300 leaky ReLU -> one `last` unit per output, weights in [-1, 1], and
    /// 1,000 rows in [-2, 2]: nothing saturates, so that large inputs reach the output.
    static func unbounded(seed: UInt64, task: PredictionTask, outputs: [String], last: Activation) -> (Network, Dataset) {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in (generator.nextUnit() * 2 - 1) * scale } }
        let schema = FeatureSchema(features: (0..<10).map { Feature(name: "x\($0)", kind: .continuous(min: -2, max: 2)) })
        func dense(_ units: Int, _ inputs: Int, _ activation: Activation) -> Layer {
            .dense(DenseLayer(units: units, inputs: inputs, weights: uniform(units * inputs, 1), bias: uniform(units, 0.3),
                              activation: activation))
        }
        let network = Network(name: "linear", task: task, schema: schema, outputs: outputs, preprocessing: [],
                              layers: [dense(300, 10, .identity), dense(300, 300, .leakyReLU(alpha: 0.1)),
                                       dense(outputs.count, 300, last)])
        return (network, Dataset(schema: schema, rows: 1000, values: uniform(10_000, 2)))
    }
}
