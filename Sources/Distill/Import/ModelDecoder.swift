import Foundation

/// Decodes and validates the distill model format (specs/model-format.md) into a `Network`.
/// Every problem is a `Diagnostic` naming the file and the JSON path.
public enum ModelDecoder {
    /// Reads and decodes the model at `path`; a `.onnx` file goes to `ONNXImporter`, a TF.js Layers
    /// `model.json` (`modelTopology` and `weightsManifest`) to `TFJSImporter`.
    ///
    /// - Parameter path: the model file (specs/model-format.md, ONNX, or TF.js Layers).
    /// - Returns: the validated network.
    /// - Throws: a `Diagnostic` naming the file and the place (line:column for JSON syntax, a JSON path
    ///   such as `layers[2].weights[3]`, an ONNX node) and what was expected.
    /// - Complexity: linear in the file's size.
    public static func load(path: String) throws -> Network {
        if path.lowercased().hasSuffix(".onnx") { return try ONNXImporter.load(path: path) }
        return try FileInput.withContents(path: path) { try decode(JSONDocument.parse(buffer: $0, file: path), file: path) }
    }

    /// Decodes model JSON text; `file` names the source in diagnostics.
    public static func decode(_ bytes: [UInt8], file: String) throws -> Network {
        try decode(JSONDocument.parse(bytes, file: file), file: file)
    }

    /// Decodes a parsed model document.
    static func decode(_ document: JSONValue, file: String) throws -> Network {
        if document["format"] != .string("distill-model"), TFJSImporter.isLayersModel(document) { return try TFJSImporter.decode(document, file: file) }
        let root = JSONReader(document, file: file)
        let format = try root.member("format")
        guard try format.string() == "distill-model" else {
            throw format.error("expected \"distill-model\", found \"\(try format.string())\"")
        }
        try root.checkKeys(["format", "version", "name", "task", "inputs", "outputs", "preprocessing", "layers",
                            "image", "metadata", "description"])
        let version = try root.member("version")
        guard try version.integer() == 1 else {
            throw version.error("unsupported version \(try version.integer()); this distill reads version 1")
        }
        let name = try root.optionalMember("name")?.string() ?? "model"
        let taskReader = try root.member("task")
        guard let task = PredictionTask(rawValue: try taskReader.string()) else {
            throw taskReader.error("unknown task \"\(try taskReader.string())\"; expected \"classification\" or \"regression\"")
        }
        let schema = FeatureSchema(features: try decodeInputs(try root.member("inputs")))
        let outputsReader = try root.member("outputs")
        let outputs = try outputsReader.strings()
        try checkNames(outputs, reader: outputsReader, what: "output")
        if task == .classification, outputs.count < 2 {
            throw outputsReader.error("a classifier needs at least 2 class names, found \(outputs.count)")
        }
        let preprocessing = try decodePreprocessing(try root.optionalMember("preprocessing"),
                                                    width: schema.encodedWidth)
        let layersReader = try root.member("layers")
        let (layers, width) = try decodeLayers(layersReader, inputWidth: schema.encodedWidth)
        let image = try root.optionalMember("image").map { try decodeImage($0, schema: schema) }
        let network = Network(name: name, task: task, schema: schema, outputs: outputs,
                              preprocessing: preprocessing, layers: layers, image: image)
        try checkOutputWidth(network, width: width, layers: layersReader, outputs: outputsReader)
        return network
    }

    /// `names` (the items of `reader`, or their `member` when they are objects) checked non-empty and distinct.
    static func checkNames(_ names: [String], reader: JSONReader, what: String, member: String? = nil) throws {
        var seen = Set<String>()
        for (index, name) in names.enumerated() {
            let place = JSONReader(.null, path: "\(reader.path)[\(index)]" + (member.map { ".\($0)" } ?? ""), file: reader.file)
            guard !name.isEmpty else { throw place.error("empty \(what) name") }
            guard seen.insert(name).inserted else {
                throw place.error("duplicate \(what) name \"\(name)\" (also \(reader.path)[\(names.firstIndex(of: name)!)])")
            }
        }
    }

    static func decodeInputs(_ reader: JSONReader) throws -> [Feature] {
        let items = try reader.elements()
        guard !items.isEmpty else { throw reader.error("expected at least one input feature") }
        var features: [Feature] = []
        for item in items {
            let name = try item.member("name").string()
            let typeReader = try item.member("type")
            let type = try typeReader.string()
            // The type first: the keys allowed depend on it.
            guard ["continuous", "binary", "categorical"].contains(type) else {
                throw typeReader.error("unknown input type \"\(type)\"; expected \"continuous\", \"binary\" or \"categorical\"")
            }
            let extra: Set<String> = type == "continuous" ? ["min", "max"] : type == "categorical" ? ["values"] : []
            let allowed = extra.union(["name", "type", "unit", "description"])
            try item.checkKeys(allowed)
            let kind: FeatureKind
            switch type {
            case "continuous":
                let low = try item.optionalMember("min")?.number()
                let high = try item.optionalMember("max")?.number()
                if let low, let high, low > high {
                    throw item.error("min \(low) is greater than max \(high)")
                }
                kind = .continuous(min: low, max: high)
            case "binary":
                kind = .binary
            case "categorical":
                let valuesReader = try item.member("values")
                let values = try valuesReader.strings()
                guard !values.isEmpty else { throw valuesReader.error("expected at least one category") }
                try checkNames(values, reader: valuesReader, what: "category")
                kind = .categorical(values: values)
            case let other:
                throw typeReader.error("unknown input type \"\(other)\"; expected \"continuous\", \"binary\" or \"categorical\"")
            }
            features.append(Feature(name: name, kind: kind, unit: try item.optionalMember("unit")?.string()))
        }
        try checkNames(features.map(\.name), reader: reader, what: "input", member: "name")
        return features
    }

    /// The `"image"` member: `height`, `width`, optional `channels` (1) and `layout` (`"hwc"`, or `"chw"`), and
    /// `inputs`, the names of the first and last input of the run, which must hold height x width x channels
    /// continuous or binary inputs.
    static func decodeImage(_ reader: JSONReader, schema: FeatureSchema) throws -> ImageShape {
        try reader.checkKeys(["height", "width", "channels", "layout", "inputs"])
        func positive(_ key: String, default value: Int? = nil) throws -> Int {
            guard let member = try value == nil ? reader.member(key) : reader.optionalMember(key) else { return value! }
            let number = try member.integer()
            guard number >= 1 else { throw member.error("expected a positive integer, found \(number)") }
            return number
        }
        let height = try positive("height"), width = try positive("width"), channels = try positive("channels", default: 1)
        var channelsLast = true
        if let layout = try reader.optionalMember("layout") {
            switch try layout.string() {
            case "hwc": channelsLast = true
            case "chw": channelsLast = false
            case let other: throw layout.error("unknown layout \"\(other)\"; expected \"hwc\" (pixel by pixel) or \"chw\" (channel by channel)")
            }
        }
        let inputsReader = try reader.member("inputs")
        let ends = try inputsReader.elements()
        guard ends.count == 2 else { throw inputsReader.error("expected the names of the first and last input of the image, found \(ends.count) items") }
        let names = schema.features.map(\.name)
        var indices: [Int] = []
        for end in ends {
            let name = try end.string()
            guard let index = names.firstIndex(of: name) else { throw end.error("unknown input \"\(name)\"; expected the name of an input") }
            indices.append(index)
        }
        let (area, overflowArea) = height.multipliedReportingOverflow(by: width)
        let (count, overflow) = area.multipliedReportingOverflow(by: channels)
        guard !overflowArea, !overflow, indices[1] - indices[0] + 1 == count else {
            throw inputsReader.error("the image is \(height) x \(width) x \(channels) = \(overflowArea || overflow ? "too many" : String(count)) values, but inputs[\(indices[0])] to inputs[\(indices[1])] are \(max(0, indices[1] - indices[0] + 1))")
        }
        if let categorical = (indices[0]...indices[1]).first(where: { schema.features[$0].isCategorical }) {
            throw inputsReader.error("input \"\(names[categorical])\" (inputs[\(categorical)]) is categorical; an image's inputs must be continuous or binary")
        }
        return ImageShape(height: height, width: width, channels: channels, channelsLast: channelsLast, firstInput: indices[0])
    }

    private static func decodePreprocessing(_ reader: JSONReader?, width: Int) throws -> [Preprocessing] {
        guard let reader else { return [] }
        return try reader.elements().map { item in
            let typeReader = try item.member("type")
            switch try typeReader.string() {
            case "standardize":
                try item.checkKeys(["type", "mean", "std"])
                let mean = try item.member("mean").vector(count: width)
                let stdReader = try item.member("std")
                let std = try stdReader.vector(count: width)
                if let zero = std.firstIndex(where: { $0 <= 0 }) {
                    throw JSONReader(.null, path: "\(stdReader.path)[\(zero)]", file: item.file)
                        .error("expected a positive standard deviation, found \(std[zero])")
                }
                return .standardize(mean: mean, std: std)
            case let other:
                throw typeReader.error("unknown preprocessing type \"\(other)\"; expected \"standardize\"")
            }
        }
    }

    private static func decodeLayers(_ reader: JSONReader, inputWidth: Int) throws -> ([Layer], Int) {
        let items = try reader.elements()
        guard !items.isEmpty else { throw reader.error("expected at least one layer") }
        var width = inputWidth
        var layers: [Layer] = []
        for item in items {
            let typeReader = try item.member("type")
            switch try typeReader.string() {
            case "dense":
                try item.checkKeys(["type", "weights", "bias", "activation", "alpha", "name"])
                let weightsReader = try item.member("weights")
                let matrix = try weightsReader.matrix(rows: nil, columns: width)
                let bias = try item.member("bias").vector(count: matrix.rows)
                let activation = try decodeActivation(item)
                let dense = DenseLayer(units: matrix.rows, inputs: width, weights: matrix.values, bias: bias,
                                       activation: activation)
                layers.append(.dense(dense))
                width = matrix.rows
            case "activation":
                try item.checkKeys(["type", "activation", "alpha", "name"])
                layers.append(.activation(try decodeActivation(item)))
            case "batchnorm":
                try item.checkKeys(["type", "gamma", "beta", "mean", "variance", "epsilon", "name"])
                let variance = try item.member("variance").vector(count: width)
                if let negative = variance.firstIndex(where: { $0 < 0 }) {
                    throw JSONReader(.null, path: "\(item.child("variance"))[\(negative)]", file: item.file)
                        .error("expected a non-negative variance, found \(variance[negative])")
                }
                let epsilonReader = try item.optionalMember("epsilon")
                let epsilon = try epsilonReader?.number() ?? 1e-5
                if epsilon < 0 { throw epsilonReader!.error("expected a non-negative epsilon, found \(epsilon)") }
                if let zero = variance.firstIndex(where: { $0 + epsilon <= 0 }) {
                    throw JSONReader(.null, path: "\(item.child("variance"))[\(zero)]", file: item.file)
                        .error("variance + epsilon must be positive")
                }
                layers.append(.batchNorm(BatchNormLayer(
                    gamma: try item.member("gamma").vector(count: width),
                    beta: try item.member("beta").vector(count: width),
                    mean: try item.member("mean").vector(count: width),
                    variance: variance, epsilon: epsilon)))
            case "dropout":
                try item.checkKeys(["type", "rate", "p", "name"])
                for key in ["rate", "p"] { _ = try item.optionalMember(key)?.number() }
                layers.append(.dropout)
            case let other:
                throw typeReader.error("unknown layer type \"\(other)\"; expected \"dense\", \"activation\", \"batchnorm\" or \"dropout\"")
            }
        }
        return (layers, width)
    }

    private static func decodeActivation(_ item: JSONReader) throws -> Activation {
        guard let reader = try item.optionalMember("activation") else {
            if case .string("activation") = item.value["type"] ?? .null {
                throw item.error("missing required member \"activation\"")
            }
            return .identity
        }
        let alpha = try item.optionalMember("alpha")?.number()
        switch try reader.string() {
        case "identity", "linear": return .identity
        case "relu": return .relu
        case "leaky_relu": return .leakyReLU(alpha: alpha ?? 0.01)
        case "sigmoid", "logistic": return .sigmoid
        case "tanh": return .tanh
        case "softmax": return .softmax
        case "elu": return .elu(alpha: alpha ?? 1.0)
        case "gelu": return .gelu
        case "softplus": return .softplus
        case "silu", "swish": return .silu
        case "selu": return .selu
        case "hard_sigmoid": return .hardSigmoid(alpha: alpha ?? 0.2)
        case let other:
            let known = Activation.knownNames.joined(separator: ", ")
            throw reader.error("unknown activation \"\(other)\"; expected one of \(known)")
        }
    }

    private static func checkOutputWidth(_ network: Network, width: Int, layers: JSONReader,
                                         outputs: JSONReader) throws {
        let count = network.outputs.count
        switch network.task {
        case .classification:
            if width == 1 {
                guard count == 2 else {
                    throw outputs.error("the network ends in 1 unit, which fits a binary classifier with 2 class names; found \(count) names")
                }
                if network.finalActivation == .softmax {
                    throw layers.error("the network ends in a softmax over 1 unit, which is always 1; a binary classifier ends in one sigmoid unit (or one logit)")
                }
            } else if width != count {
                throw layers.error("the last layer has \(width) units but \"outputs\" names \(count) classes")
            }
        case .regression:
            if width != count {
                throw layers.error("the last layer has \(width) units but \"outputs\" names \(count) outputs")
            }
        }
    }
}
