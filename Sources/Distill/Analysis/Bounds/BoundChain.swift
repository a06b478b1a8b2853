/// A network as the chain of steps bounds are carried through, on encoded inputs: affine maps (dense
/// layers), per-column affine maps (standardisation, batch norm) and activations. For a classifier the
/// chain ends where the decision is read: before a final softmax, sigmoid or tanh (strictly increasing,
/// so the largest output is the largest logit), and a single unit's class is the sign of its
/// pre-activation (a sigmoid unit) or of its output (any other unit, which the evaluator reads as a logit).
struct BoundChain: Sendable {
    enum Step: Sendable {
        /// y = W x + b, W `rows x cols` row-major.
        case affine(rows: Int, cols: Int, weights: [Double], bias: [Double])
        /// y = scale ⊙ x + shift.
        case diagonal(scale: [Double], shift: [Double])
        case activation(Activation)
    }

    let steps: [Step]
    /// Per step, an affine step's weights in absolute value (nil for the others): what the rounding
    /// margins of back-substitution are carried through.
    let absoluteWeights: [[Double]?]
    /// Width of the encoded input.
    let inputWidth: Int
    /// Width of the chain's output.
    let outputWidth: Int
    /// A single-unit binary classifier: class 1 when the output exceeds this.
    let threshold: Double?

    init(network: Network) {
        var steps: [Step] = []
        var width = network.schema.encodedWidth
        for case let .standardize(mean, std) in network.preprocessing {
            steps.append(.diagonal(scale: std.map { 1 / $0 }, shift: zip(mean, std).map { -$0 / $1 }))
        }
        for layer in network.layers {
            switch layer {
            case let .dense(dense):
                steps.append(.affine(rows: dense.units, cols: dense.inputs, weights: dense.weights, bias: dense.bias))
                if dense.activation != .identity { steps.append(.activation(dense.activation)) }
                width = dense.units
            case let .activation(activation) where activation != .identity:
                steps.append(.activation(activation))
            case let .batchNorm(norm):
                let scale = zip(norm.gamma, norm.variance).map { $0 / ($1 + norm.epsilon).squareRoot() }
                steps.append(.diagonal(scale: scale, shift: (0..<norm.width).map { norm.beta[$0] - norm.mean[$0] * scale[$0] }))
            case .activation, .dropout:
                break
            }
        }
        var threshold: Double?
        if network.task == .classification {
            if network.isSingleUnitBinary {
                // The evaluator reads any other unit as a logit: class 1 where it is positive.
                threshold = 0
                if case .activation(.sigmoid) = steps.last { steps.removeLast() }
            } else if case let .activation(last) = steps.last, last == .softmax || last == .sigmoid || last == .tanh {
                steps.removeLast()
            }
        }
        self.steps = steps
        absoluteWeights = steps.map { step in
            guard case let .affine(_, _, weights, _) = step else { return nil }
            return weights.map(abs)
        }
        self.inputWidth = network.schema.encodedWidth
        self.outputWidth = width
        self.threshold = threshold
    }

    /// The margins whose lower bounds must all be positive for the network to decide `classIndex`
    /// everywhere in a box, as rows of `objective · output + offset`: logit(c) − logit(j) for every other
    /// class j, or the single unit's output against its threshold.
    func classMargins(_ classIndex: Int) -> (objective: [Double], offset: [Double], rows: Int) {
        if let threshold {
            return classIndex == 1 ? ([1], [-threshold], 1) : ([-1], [threshold], 1)
        }
        var objective: [Double] = []
        for other in 0..<outputWidth where other != classIndex {
            var row = [Double](repeating: 0, count: outputWidth)
            row[classIndex] = 1
            row[other] = -1
            objective += row
        }
        return (objective, [Double](repeating: 0, count: outputWidth - 1), outputWidth - 1)
    }

    /// A regression output held within `value ± tolerance`: output − (value − tolerance) and
    /// (value + tolerance) − output.
    func toleranceMargins(output: Int, value: Double, tolerance: Double) -> (objective: [Double], offset: [Double], rows: Int) {
        var up = [Double](repeating: 0, count: outputWidth), down = up
        up[output] = 1
        down[output] = -1
        return (up + down, [-(value - tolerance), value + tolerance], 2)
    }
}
