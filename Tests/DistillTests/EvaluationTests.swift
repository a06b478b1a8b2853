@testable import Distill
import Testing

/// The reference interpreter against independent forward passes: scikit-learn's own predictions for the
/// samples, numpy's for the layer fixtures (scripts: samples/train.py, Fixtures/layers/make_fixture.py).
struct EvaluationTests {
    // Both references are computed in float64 with the same weights; 1e-9 leaves room only for the
    // summation-order differences of a few hundred terms (~1e-15 each).
    static let tolerance = 1e-9

    @Test(arguments: Fixtures.allSamples + Fixtures.hardSamples)
    func samplesMatchTheTrainingLibrary(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample(sample, "test.csv"), network: network, label: nil)
        let output = NetworkEvaluator(network: network).evaluate(raw: data.values, rows: data.rows)
        let reference = try Fixtures.numericTable(Fixtures.sample(sample, "reference.csv"))
        #expect(reference.rows.count == data.rows)
        let isClassifier = network.task == .classification
        for row in 0..<data.rows {
            if isClassifier {
                #expect(network.outputs[output.predictedClass(row: row)] == reference.text[row][0], "row \(row)")
            }
            let expected = isClassifier ? Array(reference.rows[row].dropFirst()) : reference.rows[row]
            #expect(expected.count == output.width)
            for column in 0..<output.width {
                let difference = abs(output[row, column] - expected[column])
                #expect(difference <= Self.tolerance, "\(sample) row \(row) column \(column): \(output[row, column]) vs \(expected[column])")
            }
        }
    }

    @Test(arguments: ["all_layers", "classifier", "binary", "packed64", "packed32"])
    func everyLayerTypeMatchesNumpy(fixture: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("layers/\(fixture).json"))
        let data = try DatasetLoader.load(path: Fixtures.fixture("layers/\(fixture)_inputs.csv"), network: network, label: nil)
        let output = NetworkEvaluator(network: network).evaluate(raw: data.values, rows: data.rows)
        let expected = try Fixtures.numericTable(Fixtures.fixture("layers/\(fixture)_expected.csv"))
        #expect(expected.header == network.outputs)
        #expect(expected.rows.count == data.rows)
        for row in 0..<data.rows {
            for column in 0..<output.width {
                #expect(abs(output[row, column] - expected.rows[row][column]) <= Self.tolerance,
                        "\(fixture) row \(row) column \(column)")
            }
        }
    }

    @Test func packedFloat64WeightsGiveTheSameNetwork() throws {
        let plain = try ModelDecoder.load(path: Fixtures.fixture("layers/all_layers.json"))
        let packed = try ModelDecoder.load(path: Fixtures.fixture("layers/packed64.json"))
        #expect(plain.layers == packed.layers)
        #expect(plain.preprocessing == packed.preprocessing)
        #expect(plain.schema == packed.schema)
    }

    /// Chunks of 7 rows assemble to the one-batch result: exactly with the reference kernel (whose sums do
    /// not depend on the block), to 1e-12 relative with BLAS (whose kernels for a 7-row block and a
    /// 256-row block may add in different orders on some CPUs).
    @Test func chunkedEvaluationEqualsOneBatch() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("penguins", "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample("penguins", "train.csv"), network: network, label: nil)
        for kernel in [DenseKernel.reference, .blas] {
            var small = NetworkEvaluator(network: network, kernel: kernel)
            small.chunkRows = 7
            let whole = NetworkEvaluator(network: network, kernel: kernel).evaluate(raw: data.values, rows: data.rows)
            let chunked = small.evaluate(raw: data.values, rows: data.rows)
            if kernel == .reference {
                #expect(chunked == whole)
            } else {
                ForwardKernelTests.expectClose(chunked.values, whole.values, "chunks of 7 rows")
            }
        }
    }

    @Test func activationsAtKnownPoints() {
        // Closed forms: gelu(1) = Φ(1) = 0.8413447460685429; softplus(0) = ln 2; silu(1) = 1/(1+e^-1).
        #expect(abs(Activation.gelu.scalar(1) - 0.8413447460685429) < 1e-15)
        #expect(abs(Activation.softplus.scalar(0) - 0.6931471805599453) < 1e-15)
        #expect(abs(Activation.silu.scalar(1) - 0.7310585786300049) < 1e-15)
        #expect(Activation.leakyReLU(alpha: 0.2).scalar(-2) == -0.4)
        #expect(abs(Activation.elu(alpha: 0.7).scalar(-1) - 0.7 * (exp(-1.0) - 1)) < 1e-15)
        #expect(Activation.sigmoid.scalar(-800) == 0)
        #expect(Activation.softplus.scalar(800) == 800)
        // SELU with the published constants, hard sigmoid's clamped line, and their derivatives against
        // central differences.
        let lambda = 1.0507009873554805, alpha = 1.6732632423543772
        #expect(Activation.selu.scalar(2) == lambda * 2)
        #expect(abs(Activation.selu.scalar(-1) - lambda * alpha * (exp(-1.0) - 1)) < 1e-15)
        let hard = Activation.hardSigmoid(alpha: 1.0 / 6)
        #expect(hard.scalar(-4) == 0 && hard.scalar(4) == 1 && abs(hard.scalar(1) - 2.0 / 3) < 1e-15)
        #expect(Activation.hardSigmoid(alpha: 0.2).scalar(1) == 0.7)
        for (activation, z) in [(Activation.selu, 0.7), (.selu, -0.7), (hard, 1), (hard, 5), (hard, -5)] {
            let step = 1e-6, numeric = (activation.scalar(z + step) - activation.scalar(z - step)) / (2 * step)
            #expect(abs(activation.derivative(z) - numeric) < 1e-8, "\(activation) at \(z)")
        }
        let model = try! Fixtures.decode(ModelDecoderTests.valid.replacingOccurrences(of: "\"relu\"", with: "\"hard_sigmoid\", \"alpha\": 0.25"))
        if case let .dense(first) = model.layers[0] { #expect(first.activation == .hardSigmoid(alpha: 0.25)) }
    }
}

import Foundation
