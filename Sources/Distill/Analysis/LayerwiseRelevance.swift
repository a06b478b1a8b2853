/// Layer-wise relevance propagation for dense networks: the target output's pre-activation (the logit of
/// a class, or a regression output) is passed back layer by layer in proportion to each input's share
/// of the pre-activation. The epsilon rule everywhere, or the z+ rule (positive weights only) on layers
/// whose inputs come out of a ReLU. Standardisation and batch normalisation are linear steps and are
/// passed through with the epsilon rule; element-wise activations pass relevance unchanged.
public struct LayerwiseRelevance: Sendable {
    public enum Rule: String, CaseIterable, Sendable {
        case epsilon
        case zPlus = "zplus"
    }

    public let network: Network
    public var rule: Rule
    public var epsilon: Double

    public init(network: Network, rule: Rule = .epsilon, epsilon: Double = 1e-9) {
        self.network = network
        self.rule = rule
        self.epsilon = epsilon
    }

    @inline(__always)
    func stabilised(_ z: Double) -> Double { z + (z >= 0 ? epsilon : -epsilon) }

    /// Relevance of each encoded input for output `target` of one encoded row, and the relevance that
    /// entered at the top (the target's pre-activation).
    public func relevance(encoded x: [Double], target: Int) -> (input: [Double], total: Double) {
        var values = x
        var standardized: [(input: [Double], output: [Double], scale: [Double])] = []
        for case let .standardize(mean, std) in network.preprocessing {
            let output = values.indices.map { (values[$0] - mean[$0]) / std[$0] }
            standardized.append((values, output, std.map { 1 / $0 }))
            values = output
        }
        var steps: [(layer: Layer, input: [Double], z: [Double])] = []
        var afterReLU = false
        var reluInputs: [Bool] = []
        for layer in network.layers {
            switch layer {
            case let .dense(dense):
                var z = dense.bias
                for unit in 0..<dense.units {
                    for input in 0..<dense.inputs { z[unit] += dense.weights[unit * dense.inputs + input] * values[input] }
                }
                steps.append((layer, values, z))
                reluInputs.append(afterReLU)
                values = NetworkGradient.activate(dense.activation, z)
                afterReLU = dense.activation == .relu
            case let .activation(activation):
                steps.append((layer, values, values))
                reluInputs.append(afterReLU)
                values = NetworkGradient.activate(activation, values)
                afterReLU = activation == .relu
            case let .batchNorm(norm):
                let scale = norm.gamma.indices.map { norm.gamma[$0] / (norm.variance[$0] + norm.epsilon).squareRoot() }
                let z = values.indices.map { (values[$0] - norm.mean[$0]) * scale[$0] + norm.beta[$0] }
                steps.append((layer, values, z))
                reluInputs.append(afterReLU)
                values = z
            case .dropout:
                continue
            }
        }
        // Start at the last pre-activation: a class logit (a single sigmoid unit: its logit, negated for
        // class 0), or a regression output.
        guard let last = steps.last else { return (x, 0) }
        var relevance = [Double](repeating: 0, count: last.z.count)
        let unit = network.isSingleUnitBinary ? 0 : target
        let start = network.isSingleUnitBinary && target == 0 ? -last.z[0] : last.z[unit]
        relevance[unit] = start
        for (index, step) in steps.enumerated().reversed() {
            switch step.layer {
            case let .dense(dense):
                var next = [Double](repeating: 0, count: dense.inputs)
                let zPlus = rule == .zPlus && reluInputs[index]
                for k in 0..<dense.units where relevance[k] != 0 {
                    var denominator = 0.0
                    if zPlus {
                        for j in 0..<dense.inputs { denominator += step.input[j] * max(dense.weights[k * dense.inputs + j], 0) }
                    } else {
                        denominator = step.z[k]
                    }
                    let share = relevance[k] / stabilised(denominator)
                    for j in 0..<dense.inputs {
                        let w = dense.weights[k * dense.inputs + j]
                        next[j] += step.input[j] * (zPlus ? max(w, 0) : w) * share
                    }
                }
                relevance = next
            case .batchNorm:
                relevance = relevance.indices.map { j in
                    relevance[j] * linearShare(input: step.input[j], output: step.z[j], layer: step.layer, j: j)
                }
            default:
                continue
            }
        }
        for step in standardized.reversed() {
            relevance = relevance.indices.map { j in relevance[j] * step.input[j] * step.scale[j] / stabilised(step.output[j]) }
        }
        return (relevance, start)
    }

    /// Share of a batch-normalised output's relevance that goes to its input: input x scale / output.
    private func linearShare(input: Double, output: Double, layer: Layer, j: Int) -> Double {
        guard case let .batchNorm(norm) = layer else { return 1 }
        let scale = norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot()
        return input * scale / stabilised(output)
    }
}
