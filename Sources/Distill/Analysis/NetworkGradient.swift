import Foundation

/// Exact gradients of one network output with respect to the encoded inputs, by backpropagation through
/// standardisation, dense layers, every activation (softmax included), batch normalisation and the final
/// conversion to class probabilities. The interpreter's forward pass, kept per layer, one row at a time.
public struct NetworkGradient: Sendable {
    public let network: Network

    public init(network: Network) {
        self.network = network
    }

    /// The output of the network (class probabilities or regression outputs) for one encoded row, and the
    /// gradient of output `target` with respect to that row's encoded values.
    public func gradient(encoded x: [Double], target: Int) -> (outputs: [Double], gradient: [Double]) {
        var values = x
        var width = network.schema.encodedWidth
        for case let .standardize(mean, std) in network.preprocessing {
            for j in 0..<width { values[j] = (values[j] - mean[j]) / std[j] }
        }
        // Forward, keeping what each layer's backward step needs.
        var inputs: [[Double]] = [], preActivations: [[Double]] = []
        for layer in network.layers {
            inputs.append(values)
            switch layer {
            case let .dense(dense):
                var z = dense.bias
                for unit in 0..<dense.units {
                    for input in 0..<dense.inputs { z[unit] += dense.weights[unit * dense.inputs + input] * values[input] }
                }
                preActivations.append(z)
                values = Self.activate(dense.activation, z)
                width = dense.units
            case let .activation(activation):
                preActivations.append(values)
                values = Self.activate(activation, values)
            case let .batchNorm(norm):
                preActivations.append([])
                for j in 0..<width {
                    values[j] = (values[j] - norm.mean[j]) * norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot() + norm.beta[j]
                }
            case .dropout:
                preActivations.append([])
            }
        }
        let (outputs, seed) = finalize(values, target: target)
        // Backward.
        var gradient = seed
        for (index, layer) in network.layers.enumerated().reversed() {
            switch layer {
            case let .dense(dense):
                let dz = Self.backActivation(dense.activation, preActivations[index], gradient)
                var dx = [Double](repeating: 0, count: dense.inputs)
                for unit in 0..<dense.units where dz[unit] != 0 {
                    for input in 0..<dense.inputs { dx[input] += dense.weights[unit * dense.inputs + input] * dz[unit] }
                }
                gradient = dx
            case let .activation(activation):
                gradient = Self.backActivation(activation, preActivations[index], gradient)
            case let .batchNorm(norm):
                gradient = gradient.indices.map { gradient[$0] * norm.gamma[$0] / (norm.variance[$0] + norm.epsilon).squareRoot() }
            case .dropout:
                continue
            }
        }
        for case let .standardize(_, std) in network.preprocessing.reversed() {
            gradient = gradient.indices.map { gradient[$0] / std[$0] }
        }
        return (outputs, gradient)
    }

    /// Outputs from the last layer's values, and d output[target] / d values.
    func finalize(_ values: [Double], target: Int) -> ([Double], [Double]) {
        var seed = [Double](repeating: 0, count: values.count)
        guard network.task == .classification else {
            seed[target] = 1
            return (values, seed)
        }
        let final = network.finalActivation
        if network.isSingleUnitBinary {
            let p = final == .sigmoid ? values[0] : Activation.logistic(values[0])
            let slope = final == .sigmoid ? 1 : p * (1 - p)
            seed[0] = target == 1 ? slope : -slope
            return ([1 - p, p], seed)
        }
        if final == .softmax {
            seed[target] = 1
            return (values, seed)
        }
        if final == .sigmoid {
            let total = values.reduce(0, +)
            let probabilities = values.map { $0 / total }
            for j in values.indices { seed[j] = ((j == target ? total : 0) - values[target]) / (total * total) }
            return (probabilities, seed)
        }
        var probabilities = values
        Activation.softmax.apply(to: &probabilities, rows: 1, width: values.count)
        for j in values.indices { seed[j] = probabilities[target] * ((j == target ? 1 : 0) - probabilities[j]) }
        return (probabilities, seed)
    }

    static func activate(_ activation: Activation, _ z: [Double]) -> [Double] {
        var values = z
        activation.apply(to: &values, rows: 1, width: z.count)
        return values
    }

    /// Gradient with respect to the activation's input, given the gradient with respect to its output.
    static func backActivation(_ activation: Activation, _ z: [Double], _ g: [Double]) -> [Double] {
        switch activation {
        case .identity:
            return g
        case .softmax:
            let s = activate(.softmax, z)
            let dot = zip(s, g).reduce(0) { $0 + $1.0 * $1.1 }
            return s.indices.map { s[$0] * (g[$0] - dot) }
        default:
            return z.indices.map { g[$0] * activation.derivative(z[$0]) }
        }
    }
}

extension Activation {
    /// d activation / dz at z (element-wise activations; softmax is handled by its Jacobian).
    public func derivative(_ z: Double) -> Double {
        switch self {
        case .identity, .softmax: return 1
        case .relu: return z > 0 ? 1 : 0
        case let .leakyReLU(alpha): return z > 0 ? 1 : alpha
        case .sigmoid:
            let s = Activation.logistic(z)
            return s * (1 - s)
        case .tanh:
            let t = Foundation.tanh(z)
            return 1 - t * t
        case let .elu(alpha): return z > 0 ? 1 : alpha * Foundation.exp(z)
        case .gelu: return 0.5 * Foundation.erfc(-z / 2.0.squareRoot()) + z * Foundation.exp(-z * z / 2) / (2 * Double.pi).squareRoot()
        case .softplus: return Activation.logistic(z)
        case .silu:
            let s = Activation.logistic(z)
            return s + z * s * (1 - s)
        }
    }
}
