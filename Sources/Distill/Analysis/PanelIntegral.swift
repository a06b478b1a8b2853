/// The path integral of integrated gradients on networks that are piecewise linear up to their last dense
/// layer (every earlier activation ReLU, leaky ReLU or identity; batch normalisation and dropout anywhere;
/// after the last dense layer only activation and dropout layers).
///
/// Between two ReLU switches on the path every unit below the last dense layer keeps its side, so that
/// layer's pre-activation `z` moves on a straight line and the gradient of `z` with respect to the input
/// is one fixed matrix `J`. The integral of the input gradient over such a panel is therefore
/// `(integral of d output / d z over the panel) . J`: the inner integral by 8-point Gauss–Legendre on the
/// output's few values (`z` at the nodes interpolated between the panel's ends, exactly), carried back
/// once through the panel's `J`. Per panel that is two forward passes (an edge, the midpoint) and one
/// backward pass, where eight Gauss–Legendre points cost eight of each; the result is the same integral
/// (the same quadrature of the same smooth function on every panel).
struct PanelIntegral {
    let network: Network
    /// The last dense layer.
    let last: Int
    let units: Int
    var kernel: DenseKernel = .fast
    var threads = Parallelism.threads
    /// Gauss–Legendre on [0, 1] for the output's integral over one panel.
    private let rule = Attributions.gaussLegendre(8)
    /// The conversion of the last layer's values to the outputs, with its derivative.
    private let probabilities: NetworkGradient

    /// Nil when the network is not piecewise linear below its last dense layer.
    init?(network: Network) {
        guard let last = network.layers.lastIndex(where: { if case .dense = $0 { true } else { false } }),
              case let .dense(top) = network.layers[last] else { return nil }
        func piecewiseLinear(_ activation: Activation) -> Bool {
            switch activation {
            case .relu, .leakyReLU, .identity: return true
            default: return false
            }
        }
        for (index, layer) in network.layers.enumerated() {
            switch layer {
            case let .dense(dense): if index < last, !piecewiseLinear(dense.activation) { return nil }
            case let .activation(activation): if index < last, !piecewiseLinear(activation) { return nil }
            case .batchNorm: if index > last { return nil }
            case .dropout: continue
            }
        }
        self.network = network
        probabilities = NetworkGradient(network: network)
        self.last = last
        units = top.units
    }

    /// Each row's integral of the gradient of output `targets[row]` along the straight path from
    /// `baseline` to the row (`rows x encodedWidth`), with panels between `edges[row]` (sorted, 0 to 1,
    /// every switch among them).
    func integrals(encoded: [Double], baseline: [Double], rows: Int, targets: [Int], edges: [[Double]]) -> [Double] {
        let width = network.schema.encodedWidth
        var gradient = NetworkGradient(network: network)
        gradient.kernel = kernel
        gradient.threads = threads
        var integral = [Double](repeating: 0, count: rows * width)
        var first = 0
        // As many rows as make about 65,536 panels at a time (the batches depend on the work only).
        while first < rows {
            var end = first, panels = 0
            while end < rows, panels == 0 || panels + edges[end].count - 1 <= 65_536 {
                panels += edges[end].count - 1
                end += 1
            }
            func point(_ row: Int, _ t: Double, into points: inout [Double]) {
                for j in 0..<width { points.append(baseline[j] + t * (encoded[row * width + j] - baseline[j])) }
            }
            var ends = [Double](), middles = [Double]()
            ends.reserveCapacity((panels + end - first) * width)
            middles.reserveCapacity(panels * width)
            for row in first..<end {
                for t in edges[row] { point(row, t, into: &ends) }
                for (low, high) in zip(edges[row], edges[row].dropFirst()) { point(row, (low + high) / 2, into: &middles) }
            }
            let z = preactivations(ends, rows: panels + end - first)
            // Each panel's integral of d output / d z, from z on the line between the panel's ends.
            var seeds = [Double](repeating: 0, count: panels * units)
            var edge = 0, panel = 0
            for row in first..<end {
                for (low, high) in zip(edges[row], edges[row].dropFirst()) {
                    let (a, b) = (edge * units, (edge + 1) * units)
                    for (node, weight) in rule {
                        let at = (0..<units).map { z[a + $0] + node * (z[b + $0] - z[a + $0]) }
                        let slope = outputSlope(at, target: targets[row])
                        for k in 0..<units { seeds[panel * units + k] += (high - low) * weight * slope[k] }
                    }
                    edge += 1
                    panel += 1
                }
                edge += 1
            }
            let carried = gradient.gradients(encoded: middles, rows: panels, seeds: seeds, atPreactivationOf: last)
            panel = 0
            for row in first..<end {
                for _ in 0..<(edges[row].count - 1) {
                    for j in 0..<width { integral[row * width + j] += carried[panel * width + j] }
                    panel += 1
                }
            }
            first = end
        }
        return integral
    }

    /// The last dense layer's pre-activations of encoded rows (`rows x units`).
    private func preactivations(_ encoded: [Double], rows: Int) -> [Double] {
        var result = [Double](repeating: 0, count: rows * units)
        result.withUnsafeMutableBufferPointer { result in
            let target = UncheckedBox(result.baseAddress!)
            ForwardTrace.blocks(network: network, kernel: kernel, encoded: encoded, rows: rows, threads: threads) { trace, start in
                (target.value + start * units).update(from: trace.results[last], count: trace.rows * units)
            }
        }
        return result
    }

    /// d output[target] / d z at the last dense layer's pre-activation `z`: back through its activation,
    /// the layers after it and the conversion to class probabilities.
    private func outputSlope(_ z: [Double], target: Int) -> [Double] {
        guard case let .dense(top) = network.layers[last] else { return [] }
        var values = NetworkGradient.activate(top.activation, z)
        var tail: [(Activation, [Double])] = []
        for case let .activation(activation) in network.layers[(last + 1)...] {
            tail.append((activation, values))
            values = NetworkGradient.activate(activation, values)
        }
        var slope = probabilities.finalize(values, target: target).1
        for (activation, input) in tail.reversed() { slope = NetworkGradient.backActivation(activation, input, slope) }
        return NetworkGradient.backActivation(top.activation, z, slope)
    }
}
