import ONNXProto

/// The state of lowering one ONNX graph node by node: the constants, the name of the tensor flowing down
/// the chain and its width, the affine preprocessing gathered before the first layer, the layers so far.
struct ONNXChain {
    let file: String
    var constants: [String: ONNXTensor] = [:]
    /// String initializers (a classifier's labels), by name.
    var stringConstants: [String: [String]] = [:]
    /// The tensor the next node must take, and its width.
    var current: String
    var width: Int
    let inputWidth: Int
    /// x' = scale * x + shift per input column, from Sub/Div/Mul/Add before the first layer.
    var scale: [Double], shift: [Double]
    var layers: [Layer] = []
    let graphOutputs: [String]
    /// The op types of the nodes that take each tensor (to recognise patterns before lowering them).
    let consumers: [String: [String]]
    /// An erf-form GELU being matched: the tensor it started from and the next step expected.
    var gelu: (input: String, step: Int)?
    /// A classifier's head that is not lowered (ArgMax, ZipMap, label lookups): the tensors it makes.
    var head: Set<String> = []
    /// Class labels read from the head (ZipMap's or the label lookup's), when the graph has them.
    var classLabels: [String]?
    /// skl2onnx's binary probabilities [1 - p, p]: the complement being built from the sigmoid's p.
    var complement: String?
    let external: ONNXExternalData?
    /// An image input (rank 3 or 4, flattened by the first node): its shape over the flattened columns.
    var image: ImageShape?

    static let supported = "Gemm, MatMul, Add, Sub, Mul, Div, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Elu, Softplus, Selu, HardSigmoid, Gelu, "
        + "the erf form of GELU, BatchNormalization, Flatten, Reshape (to 2-D), Identity, Dropout, Cast, Constant, "
        + "ai.onnx.ml Scaler, and a classifier's ArgMax / ZipMap / ArrayFeatureExtractor label outputs"

    init(graph: Onnx_GraphProto, file: String, external: ONNXExternalData? = nil) throws {
        self.file = file
        self.external = external
        var constants: [String: ONNXTensor] = [:]
        for (index, tensor) in graph.initializer.enumerated() {
            if tensor.dataType == ONNXTensor.string {
                stringConstants[tensor.name] = tensor.stringData.map { String(decoding: $0, as: UTF8.self) }
                continue
            }
            constants[tensor.name] = try ONNXTensor(tensor, file: file, place: "graph.initializer[\(index)]", external: external)
        }
        var consumers: [String: [String]] = [:]
        for node in graph.node { for input in node.input { consumers[input, default: []].append(node.opType) } }
        self.consumers = consumers
        self.constants = constants
        let inputs = graph.input.enumerated().filter { constants[$0.element.name] == nil }
        guard inputs.count == 1, let (index, input) = inputs.first else {
            throw Diagnostic(file: file, at: .jsonPath("graph.input"),
                             "the graph has \(inputs.count) inputs besides its initializers (\(inputs.map(\.element.name).joined(separator: ", "))); expected one, the rows")
        }
        let place = "graph.input[\(index)]"
        let dims = input.type.tensorType.shape.dim
        guard input.type.tensorType.hasShape, (2...4).contains(dims.count) else {
            throw Diagnostic(file: file, at: .jsonPath(place),
                             "input '\(input.name)' has \(input.type.tensorType.hasShape ? "rank \(dims.count)" : "no shape"); expected rank 2 (rows x features), or an image of rank 3 or 4 that a Flatten node makes rank 2")
        }
        var sizes: [Int] = []
        for axis in 1..<dims.count {
            guard case .dimValue(let size)? = dims[axis].value, size > 0 else {
                throw Diagnostic(file: file, at: .jsonPath("\(place).type.tensor_type.shape.dim[\(axis)]"),
                                 "input '\(input.name)' has a dynamic size ('\(dims[axis].dimParam)') on axis \(axis); expected a fixed number of features")
            }
            sizes.append(Int(size))
        }
        let (total, overflow) = sizes.reduce((1, false)) { partial, size in
            let product = partial.0.multipliedReportingOverflow(by: size)
            return (product.partialValue, partial.1 || product.overflow)
        }
        // A row's values, their scale and shift must fit in memory (a fuzzed shape can claim any size).
        guard !overflow, Double(total) * 24 <= ResourceLimit.memoryBytes else {
            throw Diagnostic(file: file, at: .jsonPath("\(place).type.tensor_type.shape"),
                             "input '\(input.name)' has shape \(sizes) per row, more values than a row can hold")
        }
        if sizes.count > 1 {
            // An image: the first node must flatten it to rows x features (Flatten on axis 1, or a Reshape).
            let first = graph.node.enumerated().first { $0.element.input.contains(input.name) }
            let axis = first.flatMap { node in node.element.attribute.first { $0.name == "axis" }?.i } ?? 1
            guard let first, first.element.opType == "Flatten" && axis == 1 || first.element.opType == "Reshape" else {
                throw Diagnostic(file: file, at: .jsonPath(first.map { "graph.node[\($0.offset)]" } ?? place),
                                 "input '\(input.name)' has shape \(sizes) per row, and \(first.map { "its first node is \($0.element.opType)\($0.element.opType == "Flatten" ? " on axis \(axis)" : "")" } ?? "no node reads it"); expected a Flatten (axis 1) or Reshape to rows x features first")
            }
            image = Self.imageShape(sizes)
        }
        current = input.name
        width = total
        inputWidth = width
        scale = [Double](repeating: 1, count: width)
        shift = [Double](repeating: 0, count: width)
        graphOutputs = graph.output.map(\.name)
    }

    func fail(_ node: Onnx_NodeProto, _ index: Int, _ message: String) -> Diagnostic {
        Diagnostic(file: file, at: .jsonPath("graph.node[\(index)]"), "\(node.opType) node\(node.name.isEmpty ? "" : " '\(node.name)'"): \(message)")
    }

    func attribute(_ node: Onnx_NodeProto, _ name: String) -> Onnx_AttributeProto? {
        node.attribute.first { $0.name == name }
    }

    /// The constant among the node's inputs other than the flowing one.
    func constant(_ node: Onnx_NodeProto, _ index: Int, at position: Int) throws -> ONNXTensor {
        guard position < node.input.count, let tensor = constants[node.input[position]] else {
            throw fail(node, index, "input \(position) ('\(position < node.input.count ? node.input[position] : "")') is not a constant; expected an initializer")
        }
        if let bad = tensor.values.firstIndex(where: { !$0.isFinite }) {
            throw fail(node, index, "input \(position) ('\(node.input[position])') holds \(tensor.values[bad].isNaN ? "NaN" : "\(tensor.values[bad])") at [\(bad)]; expected finite numbers")
        }
        return tensor
    }

    /// A constant as one value per column of the flowing tensor (a scalar or a vector broadcast).
    func perColumn(_ tensor: ONNXTensor, _ node: Onnx_NodeProto, _ index: Int) throws -> [Double] {
        if tensor.values.count == 1 { return [Double](repeating: tensor.values[0], count: width) }
        guard tensor.values.count == width, tensor.dims.last == width else {
            throw fail(node, index, "the constant has shape \(tensor.dims); expected a scalar or \(width) values")
        }
        return tensor.values
    }

    mutating func lower(_ node: Onnx_NodeProto, index: Int) throws {
        if node.opType == "Constant" {
            guard let value = attribute(node, "value"), value.hasT, let name = node.output.first else {
                throw fail(node, index, "expected a tensor 'value' attribute")
            }
            constants[name] = try ONNXTensor(value.t, file: file, place: "graph.node[\(index)].attribute")
            return
        }
        // An Identity of a constant (the TorchScript exporter aliases shared weights this way) is that constant.
        if node.opType == "Identity", let input = node.input.first, let output = node.output.first, input != current {
            if let tensor = constants[input] { constants[output] = tensor; return }
            if let labels = stringConstants[input] { stringConstants[output] = labels; return }
        }
        if try lowerHead(node, index) { return }
        guard node.domain.isEmpty || node.domain == "ai.onnx" || (node.domain == "ai.onnx.ml" && node.opType == "Scaler") else {
            throw fail(node, index, "operator domain '\(node.domain)' is not supported; expected the default domain and one of: \(Self.supported)")
        }
        if try lowerPatterns(node, index) { return }
        guard let position = node.input.firstIndex(of: current) else {
            throw fail(node, index, "does not take '\(current)', the tensor flowing down the chain; distill reads single-path feed-forward graphs")
        }
        guard let output = node.output.first else { throw fail(node, index, "has no output") }
        switch node.opType {
        case "Gemm": try lowerGemm(node, index)
        case "MatMul":
            guard position == 0 else { throw fail(node, index, "expected the rows as the first operand") }
            let weights = try constant(node, index, at: 1)
            guard weights.dims.count == 2, weights.dims[0] == width else {
                throw fail(node, index, "the weights have shape \(weights.dims); expected [\(width), units]")
            }
            let units = weights.dims[1]
            appendDense(DenseLayer(units: units, inputs: width, weights: DenseLayer.unitMajor(weights.values, inputs: width, units: units),
                                   bias: [Double](repeating: 0, count: units), activation: .identity))
        case "Add", "Sub", "Mul", "Div": try lowerArithmetic(node, index, flowingFirst: position == 0)
        case "Relu": try setActivation(.relu)
        case "Sigmoid": try setActivation(.sigmoid)
        case "Tanh": try setActivation(.tanh)
        case "Softplus": try setActivation(.softplus)
        case "Selu":
            let alpha = Double(attribute(node, "alpha")?.f ?? Float(Activation.seluAlpha))
            let gamma = Double(attribute(node, "gamma")?.f ?? Float(Activation.seluScale))
            guard abs(alpha - Activation.seluAlpha) < 1e-6, abs(gamma - Activation.seluScale) < 1e-6 else {
                throw fail(node, index, "alpha \(alpha), gamma \(gamma); distill's SELU has the standard constants only")
            }
            try setActivation(.selu)
        case "HardSigmoid":
            let beta = Double(attribute(node, "beta")?.f ?? 0.5)
            guard beta == 0.5 else { throw fail(node, index, "beta \(beta); distill's hard sigmoid has beta 0.5 only") }
            try setActivation(.hardSigmoid(alpha: Double(attribute(node, "alpha")?.f ?? 0.2)))
        case "Gelu":
            let form = attribute(node, "approximate").map { String(decoding: $0.s, as: UTF8.self) } ?? "none"
            guard form == "none" else { throw fail(node, index, "approximate '\(form)'; distill has the exact (erf) GELU only") }
            try setActivation(.gelu)
        case "Scaler":
            // y = (x - offset) * scale, per column (ai.onnx.ml).
            let offset = (attribute(node, "offset")?.floats ?? []).map { Double($0) }
            let factor = (attribute(node, "scale")?.floats ?? []).map { Double($0) }
            func column(_ values: [Double], _ fallback: Double) throws -> [Double] {
                if values.isEmpty { return [Double](repeating: fallback, count: width) }
                if values.count == 1 { return [Double](repeating: values[0], count: width) }
                guard values.count == width else { throw fail(node, index, "has \(values.count) values; expected 1 or \(width)") }
                return values
            }
            let a = try column(factor, 1), b = zip(try column(offset, 0), a).map { -$0 * $1 }
            try applyAffine(a, b, node, index)
        case "LeakyRelu": try setActivation(.leakyReLU(alpha: Double(attribute(node, "alpha")?.f ?? 0.01)))
        case "Elu": try setActivation(.elu(alpha: Double(attribute(node, "alpha")?.f ?? 1)))
        case "Softmax":
            let axis = attribute(node, "axis")?.i ?? -1
            guard axis == -1 || axis == 1 else { throw fail(node, index, "axis \(axis); expected the last axis (1 or -1)") }
            try setActivation(.softmax)
        case "BatchNormalization":
            let parts = try (1...4).map { try perColumn(try constant(node, index, at: $0), node, index) }
            let epsilon = Double(attribute(node, "epsilon")?.f ?? 1e-5)
            // The native format's rules, so the imported network can be saved and read back.
            if let negative = parts[3].firstIndex(where: { $0 < 0 }) {
                throw fail(node, index, "has a negative variance (input 4, column \(negative): \(parts[3][negative])); expected a variance of training data")
            }
            guard epsilon >= 0, parts[3].allSatisfy({ $0 + epsilon > 0 }) else {
                throw fail(node, index, "has epsilon \(epsilon); expected epsilon >= 0 with variance + epsilon positive")
            }
            layers.append(.batchNorm(BatchNormLayer(gamma: parts[0], beta: parts[1], mean: parts[2], variance: parts[3], epsilon: epsilon)))
        case "Flatten", "Identity", "Dropout", "Cast":
            break
        case "Reshape":
            let shape = try constant(node, index, at: 1).values
            guard shape.count == 2, shape[0] == -1 || shape[0] == 0, shape[1] == Double(width) || shape[1] == -1 else {
                throw fail(node, index, "reshapes to \(shape.map { Int($0) }); expected 2-D [-1, \(width)] (rows x features)")
            }
        default:
            throw fail(node, index, "unsupported operator; expected one of: \(Self.supported)")
        }
        current = output
    }

    mutating func lowerGemm(_ node: Onnx_NodeProto, _ index: Int) throws {
        guard node.input.first == current, (attribute(node, "transA")?.i ?? 0) == 0 else {
            throw fail(node, index, "expected the rows as A, not transposed")
        }
        let b = try constant(node, index, at: 1)
        let transposed = (attribute(node, "transB")?.i ?? 0) != 0
        guard b.dims.count == 2, b.dims[transposed ? 1 : 0] == width else {
            throw fail(node, index, "B has shape \(b.dims); expected \(transposed ? "[units, \(width)]" : "[\(width), units]")")
        }
        let units = b.dims[transposed ? 0 : 1]
        let alpha = Double(attribute(node, "alpha")?.f ?? 1), beta = Double(attribute(node, "beta")?.f ?? 1)
        var bias = [Double](repeating: 0, count: units)
        if node.input.count > 2, !node.input[2].isEmpty {
            let c = try constant(node, index, at: 2)
            guard c.values.count == units || c.values.count == 1 else { throw fail(node, index, "C has shape \(c.dims); expected \(units) values") }
            bias = (0..<units).map { beta * c.values[c.values.count == 1 ? 0 : $0] }
        }
        let weights = transposed ? b.values : DenseLayer.unitMajor(b.values, inputs: width, units: units)
        appendDense(DenseLayer(units: units, inputs: width, weights: weights.map { alpha * $0 }, bias: bias, activation: .identity))
    }

    mutating func appendDense(_ layer: DenseLayer) {
        layers.append(.dense(layer))
        width = layer.units
    }

    /// Element-wise arithmetic by a constant: into the preprocessing before the first layer, into the
    /// last dense layer right after it (no activation yet).
    mutating func lowerArithmetic(_ node: Onnx_NodeProto, _ index: Int, flowingFirst: Bool) throws {
        let operand = try perColumn(try constant(node, index, at: flowingFirst ? 1 : 0), node, index)
        // y = a * x + b for this node.
        var a = [Double](repeating: 1, count: width), b = [Double](repeating: 0, count: width)
        switch (node.opType, flowingFirst) {
        case ("Add", _): b = operand
        case ("Sub", true): b = operand.map { -$0 }
        case ("Sub", false): a = a.map { -$0 }; b = operand
        case ("Mul", _): a = operand
        case ("Div", true):
            guard !operand.contains(0) else { throw fail(node, index, "divides by zero") }
            a = operand.map { 1 / $0 }
        default: throw fail(node, index, "divides a constant by the rows; expected the rows divided by a constant")
        }
        try applyAffine(a, b, node, index)
    }

    /// y = a x + b per column: into the preprocessing before the first layer, into the last dense layer
    /// right after it (no activation yet).
    mutating func applyAffine(_ a: [Double], _ b: [Double], _ node: Onnx_NodeProto, _ index: Int) throws {
        if layers.isEmpty {
            for column in 0..<width {
                scale[column] *= a[column]
                shift[column] = shift[column] * a[column] + b[column]
            }
        } else if case var .dense(dense) = layers[layers.count - 1], dense.activation == .identity {
            for unit in 0..<dense.units {
                for input in 0..<dense.inputs { dense.weights[unit * dense.inputs + input] *= a[unit] }
                dense.bias[unit] = dense.bias[unit] * a[unit] + b[unit]
            }
            layers[layers.count - 1] = .dense(dense)
        } else {
            throw fail(node, index, "arithmetic by a constant after an activation; expected it before the first layer or right after a Gemm/MatMul")
        }
    }

    /// The activation joins the dense layer just before it when that has none, else is a layer of its own.
    mutating func setActivation(_ activation: Activation) throws {
        if case var .dense(dense) = layers.last, dense.activation == .identity {
            dense.activation = activation
            layers[layers.count - 1] = .dense(dense)
        } else {
            layers.append(.activation(activation))
        }
    }

    func network(name: String) throws -> Network {
        guard graphOutputs.contains(current) || head.contains(current) || consumers[current]?.contains("ZipMap") == true
                || consumers[current]?.contains("ArgMax") == true else {
            throw Diagnostic(file: file, at: .jsonPath("graph.output"),
                             "the chain ends in '\(current)', which is not among the graph's outputs (\(graphOutputs.joined(separator: ", ")))")
        }
        guard layers.contains(where: { if case .dense = $0 { return true } else { return false } }) else {
            throw Diagnostic(file: file, at: .jsonPath("graph.node"), "the graph has no Gemm or MatMul layer")
        }
        var preprocessing: [Preprocessing] = []
        var layers = layers, scale = scale, shift = shift
        if scale.contains(where: { $0 != 1 }) || shift.contains(where: { $0 != 0 }) {
            guard !scale.contains(0) else {
                throw Diagnostic(file: file, at: .jsonPath("graph.node"), "the preprocessing multiplies an input by zero")
            }
            // (x - mean) / std needs std > 0: a negative factor a x + b becomes -(|a| x - b), the sign
            // taken by the first layer, which reads the negated column.
            for column in scale.indices where scale[column] < 0 {
                guard Self.negateInput(column, of: &layers[0]) else {
                    throw Diagnostic(file: file, at: .jsonPath("graph.node"),
                                     "the preprocessing multiplies input \(column) by a negative number before a \(layers[0].typeName) layer; expected a Gemm, MatMul or BatchNormalization first")
                }
                scale[column] = -scale[column]
                shift[column] = -shift[column]
            }
            // a x + b = (x - mean) / std with std = 1 / a, mean = -b / a.
            preprocessing = [.standardize(mean: zip(scale, shift).map { -$1 / $0 }, std: scale.map { 1 / $0 })]
        }
        try Network.checkParameters(preprocessing: preprocessing, layers: layers, file: file, at: .jsonPath("graph.node"),
                                    source: "the network lowered from the graph")
        var network = Network.unnamed(name: name, inputs: inputWidth, preprocessing: preprocessing, layers: layers,
                                          classLabels: classLabels)
        network.image = image
        return network
    }

    /// The image of an input of per-row shape `sizes`: height x width (rank 3); for rank 4, channels first
    /// (PyTorch's C x H x W) unless only the last axis is small enough to be channels (at most 4: H x W x C).
    static func imageShape(_ sizes: [Int]) -> ImageShape {
        if sizes.count == 2 { return ImageShape(height: sizes[0], width: sizes[1]) }
        if sizes[0] > 4, sizes[2] <= 4 { return ImageShape(height: sizes[0], width: sizes[1], channels: sizes[2], channelsLast: true) }
        return ImageShape(height: sizes[1], width: sizes[2], channels: sizes[0], channelsLast: false)
    }

    /// `layer` made to read input `column` negated (its weights' column, or a batch norm's gamma and mean,
    /// change sign); false for a layer that cannot absorb the sign.
    private static func negateInput(_ column: Int, of layer: inout Layer) -> Bool {
        switch layer {
        case var .dense(dense):
            for unit in 0..<dense.units { dense.weights[unit * dense.inputs + column] = -dense.weights[unit * dense.inputs + column] }
            layer = .dense(dense)
        case var .batchNorm(norm):
            norm.gamma[column] = -norm.gamma[column]
            norm.mean[column] = -norm.mean[column]
            layer = .batchNorm(norm)
        case .activation, .dropout:
            return false
        }
        return true
    }
}
