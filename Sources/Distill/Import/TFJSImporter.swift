import Foundation

/// TensorFlow.js Layers models: a `model.json` with `modelTopology` (a Keras `Sequential`, as Keras 2 or
/// the TF.js converter write it, nested in `model_config` or not) and `weightsManifest` (groups of weights
/// stored back to back in `.bin` shards next to the file), lowered into the same `Network` as the native
/// format. Layers: InputLayer, Dense, Activation, BatchNormalization, Dropout, Flatten, LeakyReLU, ReLU,
/// ELU, Softmax. Weights: float32 and int32, float16, and uint8 / uint16 quantised (`min + scale * q`).
/// Inputs are `x0..x{n-1}`, classes `0..k-1`.
enum TFJSImporter {
    /// Whether a parsed JSON document is a TF.js Layers model.
    static func isLayersModel(_ document: JSONValue) -> Bool {
        document["modelTopology"] != nil && document["weightsManifest"] != nil
    }

    static func decode(_ document: JSONValue, file: String) throws -> Network {
        let root = JSONReader(document, file: file)
        let weights = try TFJSWeights(manifest: try root.member("weightsManifest"), file: file)
        let topology = try root.member("modelTopology")
        let model = try topology.optionalMember("model_config") ?? topology
        let kind = try model.member("class_name")
        guard try kind.string() == "Sequential" else {
            throw kind.error("a \(try kind.string()) model; expected a Sequential (a chain of layers)")
        }
        let config = try model.member("config")
        let items = config.value.arrayElements != nil ? try config.elements() : try config.member("layers").elements()
        var layers: [Layer] = []
        var width: Int?
        for item in items {
            let itemConfig = try item.member("config")
            if width == nil, let shape = try itemConfig.optionalMember("batch_input_shape") ?? itemConfig.optionalMember("batch_shape") {
                let dims = try shape.elements()
                guard dims.count == 2, let features = try? dims[1].integer(), features > 0 else {
                    throw shape.error("an input shape of \(dims.count) dimensions; expected [null, features]")
                }
                width = features
            }
            try lower(item, config: itemConfig, weights: weights, layers: &layers, width: &width)
        }
        guard let inputs = Self.inputWidth(layers) else {
            throw config.error("no Dense layer with a known input width")
        }
        try Network.checkParameters(preprocessing: [], layers: layers, file: file, at: .jsonPath("weightsManifest"),
                                    source: "the network read from the weight shards")
        return Network.unnamed(name: try config.optionalMember("name")?.string() ?? (file as NSString).lastPathComponent,
                               inputs: inputs, preprocessing: [], layers: layers)
    }

    private static func inputWidth(_ layers: [Layer]) -> Int? {
        for layer in layers { if case let .dense(dense) = layer { return dense.inputs } }
        return nil
    }

    /// One Keras layer onto `layers`; `width` is the current width (nil before it is known).
    private static func lower(_ item: JSONReader, config: JSONReader, weights: TFJSWeights, layers: inout [Layer], width: inout Int?) throws {
        let kind = try item.member("class_name").string()
        let name = try config.optionalMember("name")?.string() ?? ""
        switch kind {
        case "InputLayer", "Flatten":
            return
        case "Dropout":
            layers.append(.dropout)
        case "Dense":
            let units = try config.member("units").integer()
            let kernel = try weights.take(layer: name, "kernel", at: item)
            guard kernel.shape.count == 2, kernel.shape[1] == units, width == nil || kernel.shape[0] == width else {
                throw item.error("Dense '\(name)': kernel of shape \(kernel.shape); expected [\(width.map(String.init) ?? "inputs"), \(units)]")
            }
            let inputs = kernel.shape[0]
            let useBias = try config.optionalMember("use_bias").map { reader -> Bool in
                guard case let .bool(flag) = reader.value else { throw reader.error("expected true or false") }
                return flag
            } ?? true
            let bias = useBias ? try weights.take(layer: name, "bias", at: item).values : [Double](repeating: 0, count: units)
            guard bias.count == units else { throw item.error("Dense '\(name)': bias of \(bias.count) values; expected \(units)") }
            let activation = try Self.activation(try config.optionalMember("activation"), in: item)
            layers.append(.dense(DenseLayer(units: units, inputs: inputs, weights: DenseLayer.unitMajor(kernel.values, inputs: inputs, units: units), bias: bias, activation: activation)))
            width = units
        case "Activation":
            layers.append(.activation(try Self.activation(try config.member("activation"), in: item)))
        case "LeakyReLU":
            let alpha = try config.optionalMember("alpha")?.number() ?? config.optionalMember("negative_slope")?.number() ?? 0.3
            layers.append(.activation(.leakyReLU(alpha: alpha)))
        case "ELU":
            layers.append(.activation(.elu(alpha: try config.optionalMember("alpha")?.number() ?? 1)))
        case "ReLU":
            guard try config.optionalMember("max_value") == nil, (try config.optionalMember("threshold")?.number() ?? 0) == 0,
                  (try config.optionalMember("negative_slope")?.number() ?? 0) == 0 else {
                throw item.error("ReLU '\(name)' with max_value, threshold or negative_slope; distill has the plain ReLU only")
            }
            layers.append(.activation(.relu))
        case "Softmax":
            layers.append(.activation(.softmax))
        case "BatchNormalization":
            guard let current = width else { throw item.error("BatchNormalization '\(name)' before the input width is known") }
            func flag(_ key: String) throws -> Bool {
                guard let reader = try config.optionalMember(key) else { return true }
                guard case let .bool(value) = reader.value else { throw reader.error("expected true or false") }
                return value
            }
            let gamma = try flag("scale") ? try weights.take(layer: name, "gamma", at: item).values : [Double](repeating: 1, count: current)
            let beta = try flag("center") ? try weights.take(layer: name, "beta", at: item).values : [Double](repeating: 0, count: current)
            let mean = try weights.take(layer: name, "moving_mean", at: item).values
            let variance = try weights.take(layer: name, "moving_variance", at: item).values
            guard [gamma, beta, mean, variance].allSatisfy({ $0.count == current }), variance.allSatisfy({ $0 >= 0 }) else {
                throw item.error("BatchNormalization '\(name)': its weights must be \(current) values each, variances >= 0")
            }
            layers.append(.batchNorm(BatchNormLayer(gamma: gamma, beta: beta, mean: mean, variance: variance,
                                                    epsilon: try config.optionalMember("epsilon")?.number() ?? 1e-3)))
        default:
            throw item.error("layer '\(name)' of class \(kind) is not supported; expected InputLayer, Dense, Activation, "
                             + "BatchNormalization, Dropout, Flatten, LeakyReLU, ReLU, ELU or Softmax")
        }
    }

    /// A Keras activation name (Keras 2's hard_sigmoid is 0.2 x + 0.5).
    private static func activation(_ reader: JSONReader?, in item: JSONReader) throws -> Activation {
        guard let reader else { return .identity }
        let name: String
        if case .object = reader.value {
            name = try reader.optionalMember("config")?.optionalMember("name")?.string() ?? reader.member("class_name").string()
        } else {
            name = try reader.string()
        }
        switch name {
        case "linear", "identity": return .identity
        case "relu": return .relu
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "softmax": return .softmax
        case "elu": return .elu(alpha: 1)
        case "selu": return .selu
        case "softplus": return .softplus
        case "swish", "silu": return .silu
        case "gelu": return .gelu
        case "hard_sigmoid": return .hardSigmoid(alpha: 0.2)
        default:
            throw reader.error("activation \"\(name)\" is not supported; expected linear, relu, sigmoid, tanh, softmax, elu, selu, softplus, swish, gelu or hard_sigmoid")
        }
    }
}
