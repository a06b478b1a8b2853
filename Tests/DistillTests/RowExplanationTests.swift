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

/// Occlusion maps of image-shaped inputs against a linear model, where hiding a patch changes the output
/// by the patch's weights times its values' distance from the fill (every channel of the patch's pixels).
struct OcclusionTests {
    @Test(arguments: [(1, true, 0), (2, false, 1), (3, true, 2)])
    func eachPixelCarriesItsPatchsDrop(channels: Int, channelsLast: Bool, first: Int) throws {
        // A 5x4 image (the last column of patches narrower) after `first` other inputs, one linear output.
        let width = 5, height = 4, d = first + 20 * channels
        let image = ImageShape(height: height, width: width, channels: channels, channelsLast: channelsLast, firstInput: first)
        var generator = SeededGenerator(seed: 8)
        let weights = (0..<d).map { _ in Double.random(in: -1...1, using: &generator) }
        let features = (0..<d).map { Feature(name: "p\($0)", kind: .continuous(min: 0, max: 16)) }
        let network = Network(name: "linear", task: .regression, schema: FeatureSchema(features: features), outputs: ["y"], preprocessing: [],
                              layers: [.dense(DenseLayer(units: 1, inputs: d, weights: weights, bias: [0.3], activation: .identity))])
        let row = (0..<d).map { _ in Double.random(in: 0...16, using: &generator) }
        let fill = (0..<d).map { _ in Double.random(in: 0...16, using: &generator) }
        let map = OcclusionMap.drops(evaluator: NetworkEvaluator(network: network), row: row, fill: fill, image: image, patch: 2, output: 0)
        for y in 0..<height {
            for x in 0..<width {
                // The features of the patch, found from the layout written out by hand.
                var patch: [Int] = []
                for py in 0..<height where py / 2 == y / 2 {
                    for px in 0..<width where px / 2 == x / 2 {
                        for c in 0..<channels { patch.append(first + (channelsLast ? (py * width + px) * channels + c : c * 20 + py * width + px)) }
                    }
                }
                let drop = patch.reduce(0.0) { $0 + weights[$1] * (row[$1] - fill[$1]) }
                #expect(abs(map[y * width + x] - drop) <= 1e-12, "pixel \(x), \(y)")
            }
        }
    }
}
