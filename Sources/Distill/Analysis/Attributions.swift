import Foundation

/// Gradient-based attributions per row and their summaries per raw feature: saliency (mean |gradient|),
/// gradient x input, and integrated gradients (Gauss–Legendre or Riemann quadrature along the straight path
/// from a baseline) with its completeness gap, as Captum reports its convergence delta.
public struct Attributions: Sendable {
    public let network: Network

    public init(network: Network) {
        self.network = network
    }

    /// Sums encoded-column values into their raw features (one-hot columns into their categorical feature).
    public func perFeature(_ encoded: [Double]) -> [Double] {
        let schema = network.schema
        return schema.features.indices.map { feature in
            let start = schema.offsets[feature]
            return encoded[start..<(start + schema.features[feature].encodedWidth)].reduce(0, +)
        }
    }

    /// Mean |gradient| and mean |gradient x input| per raw feature over the rows, for output `target`
    /// (the row's predicted class when nil).
    public func gradientSummaries(_ data: Dataset, target: Int?) -> (saliency: [Double], gradientTimesInput: [Double]) {
        let encoded = network.schema.encode(data.values, rows: data.rows)
        let width = network.schema.encodedWidth
        let gradient = NetworkGradient(network: network)
        var saliency = [Double](repeating: 0, count: network.schema.count), product = saliency
        for row in 0..<data.rows {
            let x = Array(encoded[(row * width)..<((row + 1) * width)])
            let chosen = target ?? Agreement.argmax(gradient.gradient(encoded: x, target: 0).outputs)
            let g = gradient.gradient(encoded: x, target: chosen).gradient
            let absolute = perFeature(g.map(abs))
            let times = perFeature(zip(g, x).map { abs($0 * $1) })
            for feature in saliency.indices {
                saliency[feature] += absolute[feature] / Double(data.rows)
                product[feature] += times[feature] / Double(data.rows)
            }
        }
        return (saliency, product)
    }

    /// Gauss–Legendre nodes and weights on [0, 1] (Newton iteration on the Legendre polynomial).
    static func gaussLegendre(_ count: Int) -> [(node: Double, weight: Double)] {
        (0..<count).map { i in
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(count) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...max(count, 2) {
                    let p2 = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)
                    p0 = p1
                    p1 = p2
                }
                if count == 1 { p1 = x; p0 = 1 }
                derivative = Double(count) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-15 { break }
            }
            let weight = 2 / ((1 - x * x) * derivative * derivative)
            return ((1 - x) / 2, weight / 2)
        }
    }

    /// Positions in (0, 1) along the straight path from `start` to `end` (encoded rows) where a ReLU or
    /// leaky ReLU changes sides: the network is followed with its tangent (forward-mode), and inside a
    /// region where no unit switches everything before the activations is linear in the position, so the
    /// next switch is found exactly.
    func kinks(from start: [Double], to end: [Double]) -> [Double] {
        var result: [Double] = []
        var position = 0.0
        for _ in 0..<10_000 {
            var value = start.indices.map { start[$0] + position * (end[$0] - start[$0]) }
            var tangent = start.indices.map { end[$0] - start[$0] }
            var width = value.count
            for case let .standardize(mean, std) in network.preprocessing {
                value = value.indices.map { (value[$0] - mean[$0]) / std[$0] }
                tangent = tangent.indices.map { tangent[$0] / std[$0] }
            }
            var next = Double.infinity
            func activate(_ activation: Activation) {
                switch activation {
                case .relu, .leakyReLU:
                    for j in 0..<width {
                        // Moving away from zero, or parked on it: no switch ahead from this unit.
                        if tangent[j] != 0, value[j] * tangent[j] < 0 { next = min(next, -value[j] / tangent[j]) }
                        let slope = value[j] > 0 || (value[j] == 0 && tangent[j] > 0) ? 1.0 : activation.derivative(-1)
                        value[j] = value[j] > 0 ? value[j] : activation.scalar(value[j])
                        tangent[j] *= slope
                    }
                case .identity:
                    break
                default:
                    // A smooth activation: its tangent by the chain rule (switches are only sought in ReLUs).
                    if activation == .softmax {
                        let s = NetworkGradient.activate(.softmax, value)
                        let dot = zip(s, tangent).reduce(0) { $0 + $1.0 * $1.1 }
                        tangent = s.indices.map { s[$0] * (tangent[$0] - dot) }
                        value = s
                    } else {
                        tangent = tangent.indices.map { tangent[$0] * activation.derivative(value[$0]) }
                        value = NetworkGradient.activate(activation, value)
                    }
                }
            }
            for layer in network.layers {
                switch layer {
                case let .dense(dense):
                    var z = dense.bias, dz = [Double](repeating: 0, count: dense.units)
                    for unit in 0..<dense.units {
                        for input in 0..<dense.inputs {
                            z[unit] += dense.weights[unit * dense.inputs + input] * value[input]
                            dz[unit] += dense.weights[unit * dense.inputs + input] * tangent[input]
                        }
                    }
                    value = z
                    tangent = dz
                    width = dense.units
                    activate(dense.activation)
                case let .activation(activation):
                    activate(activation)
                case let .batchNorm(norm):
                    for j in 0..<width {
                        let scale = norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot()
                        value[j] = (value[j] - norm.mean[j]) * scale + norm.beta[j]
                        tangent[j] *= scale
                    }
                case .dropout:
                    continue
                }
            }
            // `next` is in units of the tangent, which spans the whole path: a step in position.
            guard next.isFinite, position + next < 1 else { break }
            position += max(next, 1e-12)
            result.append(position)
            position += 1e-12
        }
        return result
    }

    /// Integrated-gradients attributions per raw feature for every row (row-major), for output `target`
    /// (the row's predicted class when nil), from `baseline` (an encoded row), with `steps` quadrature
    /// points of `rule`; also the largest completeness gap |sum of attributions - (f(x) - f(baseline))|
    /// relative to |f(x) - f(baseline)| (absolute where that difference is below 1e-12).
    public func integratedGradients(_ data: Dataset, baseline: [Double], target: Int?, steps: Int = 64,
                                    rule: IntegrationRule = .gaussLegendre) -> (attributions: [Double], gap: Double) {
        let encoded = network.schema.encode(data.values, rows: data.rows)
        let width = network.schema.encodedWidth
        let gradient = NetworkGradient(network: network)
        let nodes = rule.quadrature(steps: steps)
        var result: [Double] = []
        var worstGap = 0.0
        for row in 0..<data.rows {
            let x = Array(encoded[(row * width)..<((row + 1) * width)])
            let atX = gradient.gradient(encoded: x, target: 0).outputs
            let chosen = target ?? Agreement.argmax(atX)
            var integral = [Double](repeating: 0, count: width)
            let quadrature = nodes(rule == .gaussLegendre ? kinks(from: baseline, to: x) : [])
            for (node, weight) in quadrature {
                let point = (0..<width).map { baseline[$0] + node * (x[$0] - baseline[$0]) }
                let g = gradient.gradient(encoded: point, target: chosen).gradient
                for j in 0..<width { integral[j] += weight * g[j] }
            }
            let attributions = (0..<width).map { (x[$0] - baseline[$0]) * integral[$0] }
            let change = gradient.gradient(encoded: x, target: chosen).outputs[chosen]
                - gradient.gradient(encoded: baseline, target: chosen).outputs[chosen]
            let gap = abs(attributions.reduce(0, +) - change)
            worstGap = max(worstGap, abs(change) > 1e-12 ? gap / abs(change) : gap)
            result += perFeature(attributions)
        }
        return (result, worstGap)
    }
}
