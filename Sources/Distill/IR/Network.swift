/// What the network predicts.
public enum PredictionTask: String, Equatable, Sendable {
    case classification
    case regression
}

/// The compiler's intermediate representation of a trained network: the raw feature schema, the
/// preprocessing of the encoded inputs, the layers and the names of the outputs. Passes read and rewrite
/// it; `NetworkEvaluator` is its reference interpreter.
public struct Network: Equatable, Sendable {
    /// The model's name, shown in reports and generated code.
    public var name: String
    /// Whether the network classifies or regresses.
    public var task: PredictionTask
    /// The raw input features and their encoding.
    public var schema: FeatureSchema
    /// Class names (classification) or output names (regression).
    public var outputs: [String]
    /// Steps applied to the encoded inputs before the first layer, in order.
    public var preprocessing: [Preprocessing]
    /// The layers, applied in order.
    public var layers: [Layer]
    /// The inputs that are the pixels of an image, when the model declares it.
    public var image: ImageShape?

    /// Creates a network from its parts, stored as given (not checked); no image by default.
    public init(name: String, task: PredictionTask, schema: FeatureSchema, outputs: [String],
                preprocessing: [Preprocessing], layers: [Layer], image: ImageShape? = nil) {
        self.name = name
        self.task = task
        self.schema = schema
        self.outputs = outputs
        self.preprocessing = preprocessing
        self.layers = layers
        self.image = image
    }

    /// Width of the last layer's output.
    public var outputWidth: Int {
        layers.reduce(schema.encodedWidth) { $1.outputWidth(input: $0) }
    }

    /// The last activation applied (from a dense or activation layer; identity activation layers and
    /// dropout change nothing and are skipped), identity if none.
    public var finalActivation: Activation { Self.finalActivation(of: layers) }

    /// The final activation of a stack of layers (see `finalActivation`).
    static func finalActivation(of layers: [Layer]) -> Activation {
        for layer in layers.reversed() {
            switch layer {
            case let .dense(dense): return dense.activation
            case .activation(.identity): continue
            case let .activation(activation): return activation
            case .batchNorm: return .identity
            case .dropout: continue
            }
        }
        return .identity
    }

    /// A binary classifier ending in one unit whose value is P(outputs[1]).
    public var isSingleUnitBinary: Bool { task == .classification && outputWidth == 1 }

    /// Number of trainable parameters in the dense and batchnorm layers.
    public var parameterCount: Int {
        layers.reduce(0) { total, layer in
            switch layer {
            case let .dense(dense): return total + dense.weights.count + dense.bias.count
            case let .batchNorm(norm): return total + 2 * norm.width
            default: return total
            }
        }
    }
}
