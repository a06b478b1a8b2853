import Testing
@testable import Distill

/// Back-substituted bounds on wide layers: which units are refined, and that bounds refined for some of a
/// layer's units hold and tighten.
@Suite struct WideLayerBoundsTests {
    /// ReLU refines only the units whose interval straddles 0, the loosest first past the limit (by the
    /// triangle's height −l u / (u − l)); other activations refine every unit, the widest first.
    @Test func unstableUnitsAreRefinedLoosestFirst() {
        let low = [-1.0, 0.5, -4, -2, -3, -0.1], high = [1.0, 2, -1, 2, 1, 5]
        // Straddling 0: units 0 (height 0.5), 3 (1.0), 4 (0.75), 5 (0.098).
        #expect(NetworkBounds.unitsToRefine(.relu, low, high, limit: 10) == [0, 3, 4, 5])
        #expect(NetworkBounds.unitsToRefine(.leakyReLU(alpha: 0.1), low, high, limit: 2) == [3, 4])
        #expect(NetworkBounds.unitsToRefine(.relu, low, high, limit: 3) == [0, 3, 4])
        #expect(NetworkBounds.unitsToRefine(.relu, low, high, limit: 0) == [])
        // Widths 2, 1.5, 3, 4, 4, 5.1: the widest three, ties by index.
        #expect(NetworkBounds.unitsToRefine(.tanh, low, high, limit: 3) == [3, 4, 5])
        #expect(NetworkBounds.unitsToRefine(.sigmoid, low, high, limit: 6) == [0, 1, 2, 3, 4, 5])
    }

    /// The start of back-substitution for chosen units: their weight rows, then the rows negated.
    @Test func selectedRowsAreTheUnitsWeightsAndTheirNegations() {
        let weights: [Double] = [1, -2, 3, -4, 5, -6], absolute = weights.map { abs($0) }, bias = [0.5, -1.5, 2.5]
        let rows = NetworkBounds.selectedRows([0, 2], weights: weights, absolute: absolute, bias: bias, width: 2)
        #expect(rows.lambda == [1, -2, 5, -6, -1, 2, -5, 6])
        #expect(rows.absolute == [1, 2, 5, 6, 1, 2, 5, 6])
        #expect(rows.constant == [0.5, 2.5, -0.5, -2.5])
        #expect(rows.magnitude == [0.5, 2.5, 0.5, 2.5])
        // A batch norm after the layer: unit 1 scaled by -3 and shifted by 0.25.
        let folded = NetworkBounds.selectedRows([1], weights: weights, absolute: absolute, bias: bias, width: 2,
                                                scale: [2, -3, 4], shift: [0.5, 0.25, 1])
        #expect(folded.lambda == [-9, 12, 9, -12])
        #expect(folded.absolute == [9, 12, 9, 12])
        #expect(folded.constant == [4.75, -4.75])
        #expect(folded.magnitude == [4.75, 4.75])
    }

    /// A random network of 3 inputs and two hidden layers of `width` units.
    static func network(_ activation: Activation, width: Int, seed: UInt64) -> Network {
        var generator = SeededGenerator(seed: seed)
        func values(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in Double.random(in: -scale...scale, using: &generator) } }
        let features = (0..<3).map { Feature(name: "x\($0)", kind: .continuous(min: -2, max: 2)) }
        let spread = 1.5 / Double(width).squareRoot()
        return Network(name: "wide", task: .regression, schema: FeatureSchema(features: features), outputs: ["y0", "y1"],
                       preprocessing: [], layers: [
                           .dense(DenseLayer(units: width, inputs: 3, weights: values(3 * width, 1.2), bias: values(width, 0.5), activation: activation)),
                           .dense(DenseLayer(units: width, inputs: width, weights: values(width * width, 2 * spread), bias: values(width, 0.3),
                                             activation: activation)),
                           .dense(DenseLayer(units: 2, inputs: width, weights: values(2 * width, 2 * spread), bias: values(2, 0.5), activation: .identity)),
                       ])
    }

    /// Bounds with a layer's units refined in part (limits 0, 5 and all) hold at 2,000 points sampled in
    /// random boxes, for ReLU, leaky ReLU, tanh and GELU networks of 60 units a layer.
    @Test(arguments: [Activation.relu, .leakyReLU(alpha: 0.2), .tanh, .gelu])
    func partlyRefinedBoundsHold(_ activation: Activation) {
        var generator = SeededGenerator(seed: 5)
        for seed in 1...3 {
            let network = Self.network(activation, width: 60, seed: UInt64(seed))
            let chain = BoundChain(network: network)
            let evaluator = NetworkEvaluator(network: network, kernel: .reference)
            for _ in 0..<4 {
                let low = (0..<3).map { _ in Double.random(in: -2...1.5, using: &generator) }
                let high = low.map { $0 + Double.random(in: 0.01...0.5, using: &generator) }
                var raw: [Double] = []
                for _ in 0..<2000 { for column in 0..<3 { raw.append(Double.random(in: low[column]...high[column], using: &generator)) } }
                let output = evaluator.evaluate(raw: raw, rows: 2000)
                for limit in [0, 5, 1000] {
                    let bound = NetworkBounds(chain: chain, lower: low, upper: high, linearWidthLimit: limit)
                        .bound(objective: [1, 0, 0, 1], offset: [0, 0], rows: 2)
                    for row in 0..<2000 {
                        for unit in 0..<2 {
                            #expect(output[row, unit] >= bound.lower[unit] && output[row, unit] <= bound.upper[unit],
                                    "\(activation) network \(seed) limit \(limit) output \(unit)")
                        }
                    }
                }
            }
        }
    }

    /// A layer of 300 ReLU units (wider than the 256 that used to be the cut for back-substitution) gets
    /// back-substituted bounds on its unstable units: over small boxes the output's bound is at least 10%
    /// tighter than by intervals alone.
    @Test func wideReLULayersAreRefined() {
        let network = Self.network(.relu, width: 300, seed: 9)
        let chain = BoundChain(network: network)
        var generator = SeededGenerator(seed: 3)
        var tighter = 0
        for _ in 0..<10 {
            let low = (0..<3).map { _ in Double.random(in: -2...1.8, using: &generator) }
            let high = low.map { $0 + 0.1 }
            let refined = NetworkBounds(chain: chain, lower: low, upper: high).bound(objective: [1, 0, 0, 1], offset: [0, 0], rows: 2)
            let interval = NetworkBounds(chain: chain, lower: low, upper: high, linearWidthLimit: 0)
                .bound(objective: [1, 0, 0, 1], offset: [0, 0], rows: 2)
            let width = zip(refined.lower, refined.upper).map { $1 - $0 }.reduce(0, +)
            let intervalWidth = zip(interval.lower, interval.upper).map { $1 - $0 }.reduce(0, +)
            if width < 0.9 * intervalWidth { tighter += 1 }
        }
        #expect(tighter == 10)
    }

    /// Dense layers without activation, each followed by a batch norm and then a ReLU (a common Keras
    /// shape): the second ReLU's input is back-substituted through the batch norm folded into the dense
    /// layer's rows. The bounds hold at 2,000 sampled points with limits 0, 5 and all, and with all
    /// units refined they are tighter than intervals alone in small boxes.
    @Test func batchNormAfterADenseLayerIsFoldedIn() {
        var generator = SeededGenerator(seed: 21)
        func values(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in Double.random(in: -scale...scale, using: &generator) } }
        func norm(_ units: Int) -> Layer {
            .batchNorm(BatchNormLayer(gamma: values(units, 1.5), beta: values(units, 0.3), mean: values(units, 0.2),
                                      variance: values(units, 1).map { abs($0) + 0.1 }, epsilon: 1e-5))
        }
        let width = 40
        let features = (0..<3).map { Feature(name: "x\($0)", kind: .continuous(min: -2, max: 2)) }
        let network = Network(name: "keras", task: .regression, schema: FeatureSchema(features: features), outputs: ["y0", "y1"],
                              preprocessing: [], layers: [
                                  .dense(DenseLayer(units: width, inputs: 3, weights: values(3 * width, 1.2), bias: values(width, 0.5), activation: .identity)),
                                  norm(width), .activation(.relu),
                                  .dense(DenseLayer(units: width, inputs: width, weights: values(width * width, 0.4), bias: values(width, 0.3),
                                                    activation: .identity)),
                                  norm(width), .activation(.relu),
                                  .dense(DenseLayer(units: 2, inputs: width, weights: values(2 * width, 0.4), bias: values(2, 0.5), activation: .identity)),
                              ])
        let chain = BoundChain(network: network)
        let evaluator = NetworkEvaluator(network: network, kernel: .reference)
        var tighter = 0
        for _ in 0..<8 {
            let low = (0..<3).map { _ in Double.random(in: -2...1.8, using: &generator) }
            let high = low.map { $0 + 0.15 }
            var raw: [Double] = []
            for _ in 0..<2000 { for column in 0..<3 { raw.append(Double.random(in: low[column]...high[column], using: &generator)) } }
            let output = evaluator.evaluate(raw: raw, rows: 2000)
            var widths: [Double] = []
            for limit in [0, 5, 1000] {
                let bound = NetworkBounds(chain: chain, lower: low, upper: high, linearWidthLimit: limit)
                    .bound(objective: [1, 0, 0, 1], offset: [0, 0], rows: 2)
                for row in 0..<2000 {
                    for unit in 0..<2 {
                        #expect(output[row, unit] >= bound.lower[unit] && output[row, unit] <= bound.upper[unit], "limit \(limit) output \(unit)")
                    }
                }
                widths.append(zip(bound.lower, bound.upper).map { $1 - $0 }.reduce(0, +))
            }
            if widths[2] < 0.95 * widths[0] { tighter += 1 }
        }
        #expect(tighter >= 6)
    }
}
