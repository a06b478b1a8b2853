/// A fully connected layer: `units` outputs from `inputs` inputs, then an activation.
public struct DenseLayer: Equatable, Sendable {
    /// Output neurons.
    public var units: Int
    /// Inputs each neuron reads.
    public var inputs: Int
    /// Row-major `units x inputs` (row u holds the weights into output neuron u, PyTorch's layout).
    public var weights: [Double]
    /// One bias per output neuron.
    public var bias: [Double]
    /// The activation applied to the layer's outputs.
    public var activation: Activation

    /// Creates a layer; traps unless `weights` holds `units × inputs` values and `bias` holds `units`.
    public init(units: Int, inputs: Int, weights: [Double], bias: [Double], activation: Activation) {
        precondition(weights.count == units * inputs && bias.count == units, "dense layer shape mismatch")
        self.units = units
        self.inputs = inputs
        self.weights = weights
        self.bias = bias
        self.activation = activation
    }

    /// Weight from input `input` into neuron `unit`.
    public func weight(unit: Int, input: Int) -> Double { weights[unit * inputs + input] }
}

/// Batch normalisation in inference form: y = gamma (x - mean) / sqrt(variance + epsilon) + beta.
public struct BatchNormLayer: Equatable, Sendable {
    /// Scale per channel.
    public var gamma: [Double]
    /// Shift per channel.
    public var beta: [Double]
    /// Running mean per channel.
    public var mean: [Double]
    /// Running variance per channel.
    public var variance: [Double]
    /// Added to the variance before the square root.
    public var epsilon: Double

    /// Creates a layer from its parameters, stored as given (lengths not checked).
    public init(gamma: [Double], beta: [Double], mean: [Double], variance: [Double], epsilon: Double) {
        self.gamma = gamma
        self.beta = beta
        self.mean = mean
        self.variance = variance
        self.epsilon = epsilon
    }

    /// Channels normalised (the length of `gamma`).
    public var width: Int { gamma.count }
}

/// One step of the network, in order.
public enum Layer: Equatable, Sendable {
    case dense(DenseLayer)
    case activation(Activation)
    case batchNorm(BatchNormLayer)
    case dropout

    /// The format's name of the layer type.
    public var typeName: String {
        switch self {
        case .dense: return "dense"
        case .activation: return "activation"
        case .batchNorm: return "batchnorm"
        case .dropout: return "dropout"
        }
    }

    /// Output width given the input width.
    public func outputWidth(input: Int) -> Int {
        if case let .dense(dense) = self { return dense.units }
        return input
    }
}

/// A transformation of the encoded input vector applied before the first layer.
public enum Preprocessing: Equatable, Sendable {
    /// x' = (x - mean) / std, per encoded column.
    case standardize(mean: [Double], std: [Double])
}
