@testable import Distill
import Foundation
import Testing

/// Backpropagated gradients against central finite differences on every layer type and activation.
struct GradientTests {
    @Test(arguments: ["all_layers", "classifier", "binary", "packed32"])
    func gradientsMatchFiniteDifferences(fixture: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("layers/\(fixture).json"))
        let data = try DatasetLoader.load(path: Fixtures.fixture("layers/\(fixture)_inputs.csv"), network: network, label: nil)
        let encoded = network.schema.encode(data.values, rows: data.rows)
        let width = network.schema.encodedWidth
        let gradient = NetworkGradient(network: network)
        let evaluator = NetworkEvaluator(network: network)
        let outputs = network.task == .classification ? network.outputs.count : network.outputWidth
        var worst = 0.0
        for row in 0..<min(data.rows, 20) {
            let x = Array(encoded[(row * width)..<((row + 1) * width)])
            for target in 0..<outputs {
                let analytic = gradient.gradient(encoded: x, target: target)
                // The forward pass here must equal the interpreter's.
                let reference = evaluator.finalize(evaluator.forward(encoded: x, rows: 1), rows: 1)
                #expect(zip(analytic.outputs, reference).allSatisfy { abs($0 - $1) < 1e-12 })
                for j in 0..<width {
                    // Central differences with h = 1e-5 relative: truncation ~h², rounding ~1e-16/h.
                    let h = 1e-5 * max(1, abs(x[j]))
                    var plus = x, minus = x
                    plus[j] += h
                    minus[j] -= h
                    let up = evaluator.finalize(evaluator.forward(encoded: plus, rows: 1), rows: 1)[target]
                    let down = evaluator.finalize(evaluator.forward(encoded: minus, rows: 1), rows: 1)[target]
                    let numeric = (up - down) / (2 * h)
                    let error = abs(numeric - analytic.gradients[j]) / max(abs(analytic.gradients[j]), abs(numeric), 1e-3)
                    worst = max(worst, error)
                }
            }
        }
        #expect(worst < 1e-6, "\(fixture): worst relative error \(worst)")
    }
}
