import Foundation

/// Exact gradients of one network output with respect to the encoded inputs, by backpropagation through
/// standardisation, dense layers, every activation (softmax included), batch normalisation and the final
/// conversion to class probabilities. Rows go in blocks through `ForwardTrace` (the dense products by the
/// one `DenseKernel`) and back, the blocks spread over the cores.
public struct NetworkGradient: Sendable {
    /// The network differentiated.
    public let network: Network
    /// How dense layers are multiplied out, forward and backward.
    public var kernel: DenseKernel = .fast
    /// Threads the blocks of rows are spread over; `Parallelism.threads` by default.
    public var threads = Parallelism.threads

    /// Creates a gradient for `network` with the fast kernel and every thread.
    public init(network: Network) {
        self.network = network
    }

    /// Which output each row's gradient is of.
    public enum Targets: Sendable {
        /// The same output for every row.
        case fixed(Int)
        /// One output per row.
        case each([Int])
        /// Each row's predicted class (its largest output).
        case predicted
    }

    /// The outputs of the network (class probabilities or regression outputs, `rows x` their count) for
    /// encoded rows, and each row's gradient of its target output with respect to its encoded values
    /// (`rows x encodedWidth`).
    ///
    /// - Complexity: one forward and one backward pass: O(rows × weights).
    public func gradients(encoded: [Double], rows: Int, targets: Targets) -> Gradients {
        let width = network.schema.encodedWidth
        let outputCount = network.task == .classification ? network.outputs.count : network.outputWidth
        var outputs = [Double](repeating: 0, count: rows * outputCount)
        var gradients = [Double](repeating: 0, count: rows * width)
        outputs.withUnsafeMutableBufferPointer { outputs in
            gradients.withUnsafeMutableBufferPointer { gradients in
                let target = UncheckedBox((outputs.baseAddress!, gradients.baseAddress!))
                ForwardTrace.blocks(network: network, kernel: kernel, encoded: encoded, rows: rows, threads: threads) { trace, start in
                    let g = backward(trace, targets: targets, first: start, outputs: target.value.0 + start * outputCount)
                    (target.value.1 + start * width).update(from: g, count: trace.rows * width)
                }
            }
        }
        return Gradients(outputs: outputs, gradients: gradients)
    }

    /// The network's outputs on some rows (`rows x` outputs) and each row's gradient (`rows x encodedWidth`).
    public struct Gradients: Sendable {
        /// The network's outputs, row-major (class probabilities or regression outputs).
        public var outputs: [Double]
        /// Each row's gradient of its target output with respect to its encoded values, row-major.
        public var gradients: [Double]
    }

    /// The output of the network for one encoded row, and the gradient of output `target` with respect to
    /// that row's encoded values.
    public func gradient(encoded x: [Double], target: Int) -> Gradients {
        gradients(encoded: x, rows: 1, targets: .fixed(target))
    }

    /// The block's gradients (`rows x encodedWidth`); writes its outputs.
    private func backward(_ trace: ForwardTrace, targets: Targets, first: Int, outputs: UnsafeMutablePointer<Double>) -> [Double] {
        let rows = trace.rows
        let lastWidth = network.outputWidth
        let outputCount = network.task == .classification ? network.outputs.count : lastWidth
        var gradient = [Double](repeating: 0, count: rows * lastWidth)
        for row in 0..<rows {
            let values = Array(trace.output[(row * lastWidth)..<((row + 1) * lastWidth)])
            let target: Int
            switch targets {
            case let .fixed(index): target = index
            case let .each(list): target = list[first + row]
            case .predicted: target = Agreement.argmax(finalize(values, target: 0).0)
            }
            let (probabilities, seed) = finalize(values, target: target)
            (outputs + row * outputCount).update(from: probabilities, count: outputCount)
            for j in 0..<lastWidth { gradient[row * lastWidth + j] = seed[j] }
        }
        return propagate(trace, gradient, through: network.layers.count, fromPreactivation: false)
    }

    /// For each encoded row, the gradient of `seeds[row] . z` with respect to the row, where `z` is the
    /// pre-activation of the dense layer `layers[layer]` (`seeds`: `rows x` its units).
    func gradients(encoded: [Double], rows: Int, seeds: [Double], atPreactivationOf layer: Int) -> [Double] {
        let width = network.schema.encodedWidth
        guard case let .dense(dense) = network.layers[layer] else { preconditionFailure("not a dense layer") }
        var gradients = [Double](repeating: 0, count: rows * width)
        gradients.withUnsafeMutableBufferPointer { gradients in
            let target = UncheckedBox(gradients.baseAddress!)
            ForwardTrace.blocks(network: network, kernel: kernel, encoded: encoded, rows: rows, threads: threads) { trace, start in
                let seed = Array(seeds[(start * dense.units)..<((start + trace.rows) * dense.units)])
                let g = propagate(trace, seed, through: layer + 1, fromPreactivation: true)
                (target.value + start * width).update(from: g, count: trace.rows * width)
            }
        }
        return gradients
    }

    /// Carries `gradient` (with respect to the output of `layers[end - 1]`, or to its pre-activation when
    /// `fromPreactivation`) back through that layer and every one before it to the encoded inputs.
    private func propagate(_ trace: ForwardTrace, _ gradient: [Double], through end: Int, fromPreactivation: Bool) -> [Double] {
        let rows = trace.rows
        var gradient = gradient
        for (index, layer) in network.layers.enumerated().prefix(end).reversed() {
            switch layer {
            case let .dense(dense):
                if !(fromPreactivation && index == end - 1) {
                    Self.backActivation(dense.activation, trace.results[index], &gradient, rows: rows, width: dense.units)
                }
                var input = [Double](repeating: 0, count: rows * dense.inputs)
                gradient.withUnsafeBufferPointer { g in
                    input.withUnsafeMutableBufferPointer { kernel.backward(dense, gradient: g.baseAddress!, rows: rows, input: $0.baseAddress!) }
                }
                gradient = input
            case let .activation(activation):
                Self.backActivation(activation, trace.results[index], &gradient, rows: rows, width: gradient.count / max(rows, 1))
            case let .batchNorm(norm):
                let width = norm.width
                for row in 0..<rows {
                    for j in 0..<width { gradient[row * width + j] *= norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot() }
                }
            case .dropout:
                continue
            }
        }
        let width = network.schema.encodedWidth
        for case let .standardize(_, std) in network.preprocessing.reversed() {
            for row in 0..<rows { for j in 0..<width { gradient[row * width + j] /= std[j] } }
        }
        return gradient
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

    /// The gradient with respect to one row's activation input `z`, given the one with respect to its output.
    static func backActivation(_ activation: Activation, _ z: [Double], _ g: [Double]) -> [Double] {
        var result = g
        backActivation(activation, z, &result, rows: 1, width: g.count)
        return result
    }

    /// Turns the gradient with respect to an activation's output into the one with respect to its input
    /// `z`, in place, for a block of rows.
    static func backActivation(_ activation: Activation, _ z: [Double], _ g: inout [Double], rows: Int, width: Int) {
        switch activation {
        case .identity:
            return
        case .softmax:
            var s = z
            Activation.softmax.apply(to: &s, rows: rows, width: width)
            for row in 0..<rows {
                let base = row * width
                var dot = 0.0
                for j in 0..<width { dot += s[base + j] * g[base + j] }
                for j in 0..<width { g[base + j] = s[base + j] * (g[base + j] - dot) }
            }
        default:
            for index in g.indices { g[index] *= activation.derivative(z[index]) }
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
        case .selu: return Activation.seluScale * (z > 0 ? 1 : Activation.seluAlpha * Foundation.exp(z))
        case let .hardSigmoid(alpha):
            let y = alpha * z + 0.5
            return y > 0 && y < 1 ? alpha : 0
        case .silu:
            let s = Activation.logistic(z)
            return s + z * s * (1 - s)
        }
    }
}
