import Foundation
import Testing
@testable import Distill

/// Neuron profiles on a network whose hidden units are known in closed form.
struct NeuronProfileTests {
    /// Inputs x0, x1 in [0, 1]; hidden ReLU units h0 = relu(x0 - 0.5) and h1 = relu(2 x1 - 0.4 x0); one output.
    static let network: Network = {
        let features = [Feature(name: "x0", kind: .continuous(min: 0, max: 1)), Feature(name: "x1", kind: .continuous(min: 0, max: 1))]
        return Network(name: "known", task: .regression, schema: FeatureSchema(features: features), outputs: ["y"], preprocessing: [],
                       layers: [.dense(DenseLayer(units: 2, inputs: 2, weights: [1, 0, -0.4, 2], bias: [-0.5, 0], activation: .relu)),
                                .dense(DenseLayer(units: 1, inputs: 2, weights: [1, 1], bias: [0], activation: .identity))])
    }()

    static func rows() -> Dataset {
        var generator = SeededGenerator(seed: 9)
        return Dataset(schema: network.schema, rows: 300, values: (0..<600).map { _ in Double.random(in: 0...1, using: &generator) })
    }

    @Test func aUnitOfOneInputIsDescribedByThatInput() throws {
        let data = Self.rows()
        let profiles = NeuronProfile.profile(network: Self.network, layer: 0, ordinal: 1, data: data)
        #expect(profiles.map(\.name) == ["N1.1", "N1.2"])
        let h0 = profiles[0]
        let x0 = (0..<data.rows).map { data[$0, 0] }
        let activations = x0.map { max(0, $0 - 0.5) }
        // Statistics, against the closed form on the rows.
        let mean = activations.reduce(0, +) / 300
        #expect(abs(h0.mean - mean) <= 1e-12)
        #expect(abs(h0.maximum - activations.max()!) <= 1e-12 && h0.minimum == 0 && h0.threshold == 0)
        #expect(abs(h0.activeShare - Double(activations.filter { $0 > 0 }.count) / 300) <= 1e-12)
        // Active exactly when x0 > 0.5: one threshold between the rows on either side, agreeing on all.
        #expect(h0.rule.count == 1 && h0.ruleAgreement == 1)
        guard case let .above(feature, threshold) = h0.rule[0] else { Issue.record("expected x0 > t"); return }
        let below = x0.filter { $0 <= 0.5 }.max()!, above = x0.filter { $0 > 0.5 }.min()!
        #expect(feature == 0 && threshold > below && threshold < above)
        // Only x0 moves it; the rows that activate it most are those with the largest x0.
        #expect(h0.strongestInputs[0].feature == 0 && h0.strongestInputs[1].score == 0)
        #expect(h0.mostActive.map(\.row) == Array(x0.indices.sorted { x0[$0] > x0[$1] }.prefix(5)))
        // Maximised at the top of x0's declared range [0, 1]: 1 - 0.5.
        #expect(abs(h0.maximised.activation - 0.5) <= 1e-12 && h0.maximised.inputs[0] == 1)
        // h1 = relu(2 x1 - 0.4 x0) is driven by x1 more than by x0 and maximised at x1 = 1, x0 = 0.
        let h1 = profiles[1]
        #expect(h1.strongestInputs[0].feature == 1)
        #expect(abs(h1.maximised.activation - 2) <= 1e-12 && h1.maximised.inputs == [0, 1])
    }

    @Test func groupsOfTwoUnitsCarryTheWholeAttribution() {
        // y = h0 + h1, so ∂y/∂h = (1, 1) and the layer's attribution is h0 + h1 = y; two groups of two units
        // reconstruct the activations, so the groups' attributions add up to it.
        let data = Self.rows()
        let groups = NeuronGroups.find(network: Self.network, layer: 0, ordinal: 1, data: data, count: 2)
        #expect(groups.groups.count == 2 && !groups.shifted)
        #expect(groups.attributionGap <= 1e-3)
        #expect(abs(groups.groups.map(\.attributionShare).reduce(0, +) - 1) <= 1e-12)
        #expect(groups.explained.count == 2 && groups.explained[1] >= 0.999)
        // One row at a time (`distill explain --groups`): its coefficients rebuild its activations, and the
        // groups' attributions add up to the layer's, h0 + h1 = y (∂y/∂h = 1).
        for row in [3, 77, 250] {
            let x = [data[row, 0], data[row, 1]]
            let h = [max(0, x[0] - 0.5), max(0, 2 * x[1] - 0.4 * x[0])]
            let attribution = groups.attribution(of: x, network: Self.network, target: 0)
            #expect(abs(attribution.layerAttribution - (h[0] + h[1])) <= 1e-12)
            #expect(abs(attribution.attributions.reduce(0, +) - attribution.layerAttribution) <= 1e-3 * max(1, attribution.layerAttribution), "row \(row)")
            for u in 0..<2 {
                let rebuilt = (0..<2).reduce(0.0) { $0 + attribution.coefficients[$1] * groups.factors.h[$1 * 2 + u] }
                #expect(abs(rebuilt - h[u]) <= 1e-3, "row \(row) unit \(u)")
            }
        }
    }

    @Test func theRuleFindsAConjunction() {
        // Flags set exactly where x0 > 0.6 and x1 <= 0.3.
        let data = Self.rows()
        let active = (0..<data.rows).map { data[$0, 0] > 0.6 && data[$0, 1] <= 0.3 }
        let (tests, agreement) = ActiveRule.find(data: data, active: active)
        #expect(agreement == 1)
        #expect(tests.count == 2)
        let holds = (0..<data.rows).map { row in tests.allSatisfy { $0.passes(data[row, $0.feature]) } }
        #expect(holds == active)
    }
}

/// The "Inside the network" page of a wide layer draws the maximising inputs of its most variable neurons only.
struct NeuronPageTests {
    @Test func aWideLayerDrawsAtMostSixtyFourNeurons() {
        // 70 ReLU units over a 2x2 image; unit u has weights scaled by u + 1, so the last 64 vary most.
        var generator = SeededGenerator(seed: 5)
        let features = (0..<4).map { Feature(name: "p\($0)", kind: .continuous(min: 0, max: 1)) }
        let directions = (0..<4).map { _ in Double.random(in: 0.5...1, using: &generator) }
        let weights = (0..<70).flatMap { unit in directions.map { $0 * Double(unit + 1) } }
        let network = Network(name: "wide", task: .regression, schema: FeatureSchema(features: features), outputs: ["y"], preprocessing: [],
                              layers: [.dense(DenseLayer(units: 70, inputs: 4, weights: weights, bias: [Double](repeating: 0, count: 70), activation: .relu)),
                                       .dense(DenseLayer(units: 1, inputs: 70, weights: [Double](repeating: 1, count: 70), bias: [0], activation: .identity))],
                              image: ImageShape(height: 2, width: 2))
        let data = Dataset(schema: network.schema, rows: 50, values: (0..<200).map { _ in Double.random(in: 0...1, using: &generator) })
        let profiles = NeuronProfile.profile(network: network, layer: 0, ordinal: 1, data: data)
        let html = NeuronHTML.section(profiles, groups: [], network: network, data: data, source: "test")
        #expect(html.components(separatedBy: "fill=\"none\"").count - 1 == NeuronHTML.pictured)
        #expect(!html.contains(">N1.6 ") && html.contains(">N1.7 ") && html.contains(">N1.70 "))
        #expect(html.components(separatedBy: "<tr><td>N1.").count - 1 == 70)
        // `distill neurons --pixels` draws them all.
        let all = NeuronHTML.pixelMaps(profiles, network: network, data: data) ?? ""
        #expect(all.components(separatedBy: "fill=\"none\"").count - 1 == 70)
    }
}
