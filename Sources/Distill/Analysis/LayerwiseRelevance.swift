/// Layer-wise relevance propagation for dense networks: the target output's pre-activation (the logit of
/// a class, or a regression output) is passed back layer by layer in proportion to each input's share
/// of the pre-activation. The epsilon rule everywhere, or the z+ rule (positive weights only) on layers
/// whose inputs come out of a ReLU. Standardisation and batch normalisation are linear steps and are
/// passed through with the epsilon rule; element-wise activations pass relevance unchanged.
public struct LayerwiseRelevance: Sendable {
    /// How relevance is shared among a layer's inputs: `epsilon` (the epsilon rule on every layer) or `zPlus`
    /// (positive weights only, with no bias, on dense layers whose inputs come out of a ReLU; epsilon elsewhere).
    public enum Rule: String, CaseIterable, Sendable {
        case epsilon
        case zPlus = "zplus"
    }

    /// The network explained.
    public let network: Network
    /// How relevance is shared among inputs.
    public var rule: Rule
    /// The stabiliser added to each denominator, with the denominator's sign (0 counts as positive).
    public var epsilon: Double

    /// Creates an explainer; the epsilon rule with epsilon 1e-9 by default.
    public init(network: Network, rule: Rule = .epsilon, epsilon: Double = 1e-9) {
        self.network = network
        self.rule = rule
        self.epsilon = epsilon
    }

    @inline(__always)
    func stabilised(_ z: Double) -> Double { z + (z >= 0 ? epsilon : -epsilon) }

    /// Relevance of each encoded input for output `target` of one encoded row, and the relevance that
    /// entered at the top (the target's pre-activation).
    public func relevance(encoded x: [Double], target: Int) -> Relevance {
        let all = relevances(encoded: x, rows: 1, target: target)
        return Relevance(input: all.input, total: all.totals[0])
    }

    /// One row's relevance: per encoded input, and what entered at the top.
    public struct Relevance: Sendable {
        /// Relevance of each encoded input.
        public var input: [Double]
        /// The relevance that entered at the top (the target's pre-activation, negated for class 0 of a
        /// single sigmoid unit).
        public var total: Double
    }

    /// Many rows' relevance: per encoded input (`rows x encodedWidth`), and per row what entered at the top.
    public struct Relevances: Sendable {
        /// Relevance per row and encoded input, row-major.
        public var input: [Double]
        /// Per row, the relevance that entered at the top.
        public var totals: [Double]
    }

    /// `relevance(encoded:target:)` for every row of `encoded` (`rows x encodedWidth`), rows in blocks
    /// through `ForwardTrace` and back through the same dense kernel (`x` times `s W`, with the positive
    /// part of W under the z+ rule), the blocks spread over the cores.
    public func relevances(encoded: [Double], rows: Int, target: Int, kernel: DenseKernel = .fast,
                           threads: Int = Parallelism.threads) -> Relevances {
        let width = network.schema.encodedWidth
        var input = [Double](repeating: 0, count: rows * width), totals = [Double](repeating: 0, count: rows)
        guard network.layers.contains(where: { if case .dropout = $0 { return false } else { return true } }) else {
            return Relevances(input: encoded, totals: totals)
        }
        // Whether a layer's inputs come out of a ReLU (the z+ rule's layers), and the positive weights.
        var afterReLU = false
        var reluInputs: [Bool] = []
        for layer in network.layers {
            reluInputs.append(afterReLU)
            if case let .dense(dense) = layer { afterReLU = dense.activation == .relu }
            if case let .activation(activation) = layer { afterReLU = activation == .relu }
        }
        let positive: [DenseLayer?] = network.layers.enumerated().map { index, layer in
            guard rule == .zPlus, reluInputs[index], case var .dense(dense) = layer else { return nil }
            dense.weights = dense.weights.map { max($0, 0) }
            dense.bias = [Double](repeating: 0, count: dense.units)
            return dense
        }
        input.withUnsafeMutableBufferPointer { input in
            totals.withUnsafeMutableBufferPointer { totals in
                let output = UncheckedBox((input.baseAddress!, totals.baseAddress!))
                let unit = targetUnit(target)
                ForwardTrace.blocks(network: network, kernel: kernel, encoded: encoded, rows: rows, threads: threads) { trace, first in
                    let (relevance, entered) = backward(trace, target: unit, positive: positive, kernel: kernel)
                    (output.value.0 + first * width).update(from: relevance, count: trace.rows * width)
                    (output.value.1 + first).update(from: entered, count: trace.rows)
                }
            }
        }
        return Relevances(input: input, totals: totals)
    }

    /// The unit whose pre-activation enters at the top, and whether it enters negated (class 0 of a
    /// single sigmoid unit).
    private func targetUnit(_ target: Int) -> (unit: Int, negated: Bool) {
        network.isSingleUnitBinary ? (0, target == 0) : (target, false)
    }

    /// One block's input relevance and the relevance that entered at the top of each row.
    private func backward(_ trace: ForwardTrace, target: (unit: Int, negated: Bool), positive: [DenseLayer?],
                          kernel: DenseKernel) -> ([Double], [Double]) {
        let rows = trace.rows
        let steps = network.layers.indices.filter { if case .dropout = network.layers[$0] { return false } else { return true } }
        // Start at the last pre-activation: a class logit (a single sigmoid unit: its logit, negated for
        // class 0), or a regression output.
        let top = trace.results[steps.last!]
        var width = top.count / max(rows, 1)
        var relevance = [Double](repeating: 0, count: rows * width)
        var entered = [Double](repeating: 0, count: rows)
        for row in 0..<rows {
            let value = top[row * width + target.unit]
            entered[row] = target.negated ? -value : value
            relevance[row * width + target.unit] = entered[row]
        }
        for index in steps.reversed() {
            let x = trace.inputs[index]
            switch network.layers[index] {
            case let .dense(dense):
                // s = R / z (stabilised), then each input's x_j sum_k w_kj s_k.
                let denominators: [Double]
                if let plus = positive[index] {
                    denominators = kernel.forward(plus, x, rows: rows)
                } else {
                    denominators = trace.results[index]
                }
                for position in relevance.indices { relevance[position] /= stabilised(denominators[position]) }
                var shares = [Double](repeating: 0, count: rows * dense.inputs)
                relevance.withUnsafeBufferPointer { s in
                    shares.withUnsafeMutableBufferPointer {
                        kernel.backward(positive[index] ?? dense, gradient: s.baseAddress!, rows: rows, input: $0.baseAddress!)
                    }
                }
                for position in shares.indices { shares[position] *= x[position] }
                relevance = shares
                width = dense.inputs
            case let .batchNorm(norm):
                let z = trace.results[index]
                for row in 0..<rows {
                    for j in 0..<width {
                        let scale = norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot()
                        relevance[row * width + j] *= x[row * width + j] * scale / stabilised(z[row * width + j])
                    }
                }
            default:
                continue
            }
        }
        var standardization = trace.standardized.count - 1
        for case let .standardize(_, std) in network.preprocessing.reversed() {
            let before = trace.standardized[standardization - 1], after = trace.standardized[standardization]
            for row in 0..<rows {
                for j in 0..<width {
                    relevance[row * width + j] *= before[row * width + j] * (1 / std[j]) / stabilised(after[row * width + j])
                }
            }
            standardization -= 1
        }
        return (relevance, entered)
    }
}
