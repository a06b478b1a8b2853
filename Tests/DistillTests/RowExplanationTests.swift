import Foundation
import Testing
@testable import Distill

/// One row's explanation: its counterfactual against a decision known in closed form, and its
/// attributions' defining properties.
struct RowExplanationTests {
    /// Two inputs in [0, 1]; class 1 exactly where x0 > 0.5 (logits 0 and 10 (x0 - 0.5)); x1 unread.
    static let threshold: Network = {
        let features = [Feature(name: "x0", kind: .continuous(min: 0, max: 1)), Feature(name: "x1", kind: .continuous(min: 0, max: 1))]
        let layer = DenseLayer(units: 2, inputs: 2, weights: [0, 0, 10, 0], bias: [0, -5], activation: .softmax)
        return Network(name: "threshold", task: .classification, schema: FeatureSchema(features: features), outputs: ["low", "high"],
                       preprocessing: [], layers: [.dense(layer)])
    }()

    @Test func theCounterfactualStopsJustPastTheBoundary() throws {
        let network = Self.threshold
        var generator = SeededGenerator(seed: 3)
        let rows = Dataset(schema: network.schema, rows: 200, values: (0..<400).map { _ in Double.random(in: 0...1, using: &generator) })
        var options = RowExplanation.Options()
        options.backgroundRows = 50
        for x0 in [0.2, 0.45, 0.8] {
            let explanation = try RowExplanation.run(network: network, modelPath: "threshold", row: [x0, 0.3], data: rows, options: options)
            let counterfactual = try #require(explanation.counterfactual)
            // The decision flips at x0 = 0.5: the point found lies just past it (bisection to 2^-30 of the
            // step), x1 untouched, and the distance is |0.5 - x0| over x0's declared range, 1.
            #expect(abs(counterfactual.inputs[0] - 0.5) <= 1e-6, "from \(x0): \(counterfactual.inputs)")
            #expect(counterfactual.inputs[1] == 0.3)
            #expect((counterfactual.inputs[0] > 0.5) == (x0 < 0.5))
            #expect(abs(counterfactual.distance - abs(0.5 - x0)) <= 1e-6)
            // The unread input gets no attribution; Shapley values add up to f(x) - E f.
            #expect(abs(explanation.shapley.values[1]) <= 1e-12)
            #expect(abs(explanation.shapley.values.reduce(0, +) - (explanation.shapley.prediction - explanation.shapley.expected)) <= 1e-9)
            #expect(abs(explanation.integratedGradients[1]) <= 1e-12)
        }
    }
}
