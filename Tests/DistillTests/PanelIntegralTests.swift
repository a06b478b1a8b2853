@testable import Distill
import Foundation
import Testing

/// Integrated gradients by panels (the output's slope integrated per panel and carried back once) against
/// the gradient taken at every Gauss–Legendre point of the same panels: the same integral, so the two
/// agree to rounding, and both satisfy completeness to rounding on piecewise-linear networks.
struct PanelIntegralTests {
    /// A seeded ReLU network on the `wide` schema (15 encoded columns, standardised): dense 40 ReLU,
    /// batchnorm, dropout, dense 24 identity, leaky-ReLU layer, then `top` (and the layers after it).
    static func piecewise(seed: UInt64, top: [Layer], task: PredictionTask = .classification, outputs: [String]) -> Network {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in (generator.nextUnit() * 2 - 1) * scale } }
        let (wide, _) = RandomNetworks.wide(seed: seed, rows: 0)
        let norm = BatchNormLayer(gamma: uniform(40, 1).map { 1 + $0 / 2 }, beta: uniform(40, 0.3), mean: uniform(40, 0.2),
                                  variance: uniform(40, 1).map { 1 + $0 / 2 }, epsilon: 1e-5)
        let layers: [Layer] = [
            .dense(DenseLayer(units: 40, inputs: 15, weights: uniform(600, 0.6), bias: uniform(40, 0.3), activation: .relu)),
            .batchNorm(norm), .dropout,
            .dense(DenseLayer(units: 24, inputs: 40, weights: uniform(960, 0.35), bias: uniform(24, 0.3), activation: .identity)),
            .activation(.leakyReLU(alpha: 0.05)),
        ]
        return Network(name: "piecewise", task: task, schema: wide.schema, outputs: outputs, preprocessing: wide.preprocessing,
                       layers: layers + top)
    }

    static func top(_ units: Int, _ activation: Activation, seed: UInt64) -> Layer {
        var generator = SeededGenerator(seed: seed)
        return .dense(DenseLayer(units: units, inputs: 24, weights: (0..<(units * 24)).map { _ in generator.nextUnit() - 0.5 },
                                 bias: (0..<units).map { _ in generator.nextUnit() - 0.5 }, activation: activation))
    }

    static let networks: [(String, Network)] = [
        ("softmax", piecewise(seed: 1, top: [top(4, .softmax, seed: 2)], outputs: ["a", "b", "c", "d"])),
        ("single sigmoid", piecewise(seed: 3, top: [top(1, .sigmoid, seed: 4)], outputs: ["no", "yes"])),
        ("one-vs-rest sigmoids", piecewise(seed: 5, top: [top(3, .sigmoid, seed: 6)], outputs: ["a", "b", "c"])),
        ("identity then softmax layer", piecewise(seed: 7, top: [top(3, .identity, seed: 8), .dropout, .activation(.softmax)],
                                                  outputs: ["a", "b", "c"])),
        ("regression", piecewise(seed: 9, top: [top(1, .identity, seed: 10)], task: .regression, outputs: ["y"])),
    ]

    /// `exactGap`: completeness holds to rounding (not on checkerboard, whose sigmoid saturates: changes
    /// near 1e-12 make the relative gap large, the same by both methods).
    static func compare(_ network: Network, _ data: Dataset, label: String, exactGap: Bool = true) {
        #expect(PanelIntegral(network: network) != nil, "\(label): should be integrated by panels")
        let attributions = Attributions(network: network)
        let baseline = network.schema.encode(data.values, rows: 1)
        let rows = Dataset(schema: data.schema, rows: data.rows - 1, values: Array(data.values.dropFirst(data.schema.count)))
        let panels = attributions.integratedGradients(rows, baseline: baseline, target: nil, steps: 128, rule: .gaussLegendre, byPanels: true)
        let points = attributions.integratedGradients(rows, baseline: baseline, target: nil, steps: 128, rule: .gaussLegendre, byPanels: false)
        let scale = points.attributions.map(abs).max() ?? 0
        let worst = zip(panels.attributions, points.attributions).map { abs($0 - $1) }.max() ?? .infinity
        #expect(scale > 0 && worst <= 1e-10 * scale, "\(label): panels differ from points by \(worst) of \(scale)")
        #expect(abs(panels.gap - points.gap) <= 1e-6 * points.gap + 1e-12, "\(label): completeness gaps \(panels.gap), \(points.gap)")
        if exactGap { #expect(panels.gap < 1e-9, "\(label): completeness gap \(panels.gap)") }
    }

    @Test func panelsIntegrateAsEveryPointDoes() {
        let (_, data) = RandomNetworks.wide(seed: 11, rows: 41)
        for (label, network) in Self.networks { Self.compare(network, data, label: label) }
    }

    /// The ReLU samples (breast_cancer's hidden layers are tanh).
    @Test(arguments: ["iris", "penguins", "checkerboard", "diabetes"])
    func sampleNetworksIntegrateAsEveryPointDoes(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample(sample, "test.csv"), network: network, label: nil)
        Self.compare(network, Dataset(schema: data.schema, rows: min(data.rows, 60),
                                      values: Array(data.values.prefix(min(data.rows, 60) * data.schema.count))), label: sample,
                     exactGap: sample != "checkerboard")
    }

    /// Smooth hidden activations have no fixed gradient between switches: those networks keep the points.
    @Test func smoothHiddenLayersAreNotIntegratedByPanels() {
        #expect(PanelIntegral(network: RandomNetworks.wide(seed: 1, rows: 0).0) == nil)
        #expect(PanelIntegral(network: RandomNetworks.smooth(seed: 1, rows: 0).0) == nil)
        #expect(PanelIntegral(network: try! ModelDecoder.load(path: Fixtures.sample("breast_cancer", "model.json"))) == nil)
        let batchNormAfterTop = Self.piecewise(seed: 1, top: [Self.top(2, .identity, seed: 2),
                                                              .batchNorm(BatchNormLayer(gamma: [1, 1], beta: [0, 0], mean: [0, 0],
                                                                                        variance: [1, 1], epsilon: 0))],
                                               task: .regression, outputs: ["y0", "y1"])
        #expect(PanelIntegral(network: batchNormAfterTop) == nil)
    }
}
