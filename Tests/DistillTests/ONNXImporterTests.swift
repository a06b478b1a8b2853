@testable import Distill
import Foundation
import ONNXProto
import Testing

/// ONNX models lowered into the IR evaluate as numpy evaluates the same graphs (the fixtures'
/// make_onnx_fixtures.py, float64 from the stored weights); malformed or unsupported graphs give a
/// diagnostic naming the place.
struct ONNXImporterTests {
    @Test(arguments: ["gemm_softmax", "matmul_tanh", "batchnorm", "image_chw"])
    func outputsAreNumpys(name: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("onnx/\(name).onnx"))
        let inputs = try Fixtures.numericTable(Fixtures.fixture("onnx/\(name)_inputs.csv"))
        let expected = try Fixtures.numericTable(Fixtures.fixture("onnx/\(name)_expected.csv"))
        #expect(inputs.header == (0..<network.schema.count).map { "x\($0)" })
        let data = try DatasetLoader.load(path: Fixtures.fixture("onnx/\(name)_inputs.csv"), network: network, label: nil)
        let output = NetworkEvaluator(network: network).evaluate(raw: data.values, rows: data.rows)
        let width = expected.header.count
        for (row, want) in expected.rows.enumerated() {
            // A single sigmoid unit gives P(0), P(1): numpy's column is P(1), the last.
            let got = Array(output.values[(row * output.width + output.width - width)..<((row + 1) * output.width)])
            for (a, b) in zip(got, want) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "row \(row): \(got) vs \(want)") }
        }
    }

    /// Files as skl2onnx and torch.onnx.export write them (make_converter_fixtures.py) against
    /// onnxruntime's outputs on the same rows: within 1e-5 (onnxruntime computes in float32), with the class
    /// labels skl2onnx's ZipMap holds as the outputs' names.
    @Test(arguments: ["skl_multiclass", "skl_binary", "torch_dynamo", "torch_legacy"])
    func converterFilesAgreeWithOnnxruntime(name: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("onnx/\(name).onnx"))
        let expected = try Fixtures.numericTable(Fixtures.fixture("onnx/\(name)_expected.csv"))
        #expect(network.task == .classification && network.outputs == expected.header)
        let data = try DatasetLoader.load(path: Fixtures.fixture("onnx/\(name)_inputs.csv"), network: network, label: nil)
        let output = NetworkEvaluator(network: network).evaluate(raw: data.values, rows: data.rows)
        #expect(output.width == expected.header.count && data.rows == expected.rows.count)
        var worst = 0.0
        for (row, want) in expected.rows.enumerated() {
            for (a, b) in zip(output.values[(row * output.width)..<((row + 1) * output.width)], want) { worst = max(worst, abs(a - b)) }
        }
        #expect(worst <= 1e-5, "\(name): worst difference \(worst)")
    }

    @Test func tasksAndNamesFollowTheLastLayer() throws {
        let softmax = try ModelDecoder.load(path: Fixtures.fixture("onnx/gemm_softmax.onnx"))
        #expect(softmax.task == .classification && softmax.outputs == ["0", "1", "2"])
        #expect(softmax.preprocessing.count == 1)
        let sigmoid = try ModelDecoder.load(path: Fixtures.fixture("onnx/matmul_tanh.onnx"))
        #expect(sigmoid.isSingleUnitBinary && sigmoid.outputs == ["0", "1"])
        let regression = try ModelDecoder.load(path: Fixtures.fixture("onnx/batchnorm.onnx"))
        #expect(regression.task == .regression && regression.outputs == ["y0", "y1"])
    }

    /// An image input (make_image_fixtures.py): rank 4, channels first, flattened by the first node; the
    /// model keeps its shape for pixel maps, and an image that no Flatten reads is refused at its node.
    @Test func anImageInputKeepsItsShape() throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("onnx/image_chw.onnx"))
        #expect(network.image == ImageShape(height: 3, width: 4, channels: 2, channelsLast: false))
        #expect(network.schema.count == 24)
        let again = try ModelDecoder.decode(Array(ModelDocument.render(network).utf8), file: "again.json")
        #expect(again.image == network.image)
        #expect(ONNXChain.imageShape([28, 28]) == ImageShape(height: 28, width: 28))
        #expect(ONNXChain.imageShape([32, 32, 3]) == ImageShape(height: 32, width: 32, channels: 3, channelsLast: true))
        #expect(ONNXChain.imageShape([3, 32, 32]) == ImageShape(height: 32, width: 32, channels: 3, channelsLast: false))
        let diagnostic = expectDiagnostic { _ = try ModelDecoder.load(path: Fixtures.fixture("onnx/image_noflatten.onnx")) }
        #expect(diagnostic?.location == .jsonPath("graph.node[0]"))
        #expect(diagnostic?.message.contains("has shape [1, 2, 2] per row, and its first node is Gemm; expected a Flatten (axis 1) or Reshape") == true,
                "\(String(describing: diagnostic))")
    }

    // MARK: malformed and unsupported graphs

    static func tensor(_ name: String, _ dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dims
        tensor.dataType = 1
        tensor.floatData = values
        return tensor
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String]) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = op
        node.input = inputs
        node.output = outputs
        return node
    }

    /// x (batch x 2) -> Gemm(w: 3 x 2, transB) -> Relu -> y.
    static func valid() -> Onnx_ModelProto {
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        var batch = Onnx_TensorShapeProto.Dimension(), features = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "batch"
        features.dimValue = 2
        input.type.tensorType.elemType = 1
        input.type.tensorType.shape.dim = [batch, features]
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        var gemm = node("Gemm", ["x", "w", "b"], ["h"])
        var transB = Onnx_AttributeProto()
        transB.name = "transB"
        transB.type = .int
        transB.i = 1
        gemm.attribute = [transB]
        var model = Onnx_ModelProto()
        model.irVersion = 8
        model.graph.name = "tiny"
        model.graph.input = [input]
        model.graph.output = [output]
        model.graph.initializer = [tensor("w", [3, 2], [1, 2, 3, 4, 5, 6]), tensor("b", [3], [0.5, -1, 2])]
        model.graph.node = [gemm, node("Relu", ["h"], ["y"])]
        return model
    }

    static func decode(_ model: Onnx_ModelProto) throws -> Network {
        try ONNXImporter.decode(try model.serializedData(), file: "m.onnx")
    }

    @Test func theValidGraphLowers() throws {
        let network = try Self.decode(Self.valid())
        #expect(network.layers == [.dense(DenseLayer(units: 3, inputs: 2, weights: [1, 2, 3, 4, 5, 6], bias: [0.5, -1, 2], activation: .relu))])
        #expect(network.task == .regression)
        var reshaped = Self.valid()
        var shape = Onnx_TensorProto()
        shape.name = "shape"
        shape.dims = [2]
        shape.dataType = 7
        shape.int64Data = [-1, 3]
        reshaped.graph.initializer.append(shape)
        reshaped.graph.node.insert(Self.node("Reshape", ["h", "shape"], ["r"]), at: 1)
        reshaped.graph.node[2].input = ["r"]
        #expect(try Self.decode(reshaped).layers == network.layers)
        reshaped.graph.initializer[2].int64Data = [-1, 1, 3]
        reshaped.graph.initializer[2].dims = [3]
        let diagnostic = expectDiagnostic { _ = try Self.decode(reshaped) }
        #expect(diagnostic?.location == .jsonPath("graph.node[1]"))
        #expect(diagnostic?.message == "Reshape node: reshapes to [-1, 1, 3]; expected 2-D [-1, 3] (rows x features)")
    }

    /// Selu (standard constants) and HardSigmoid (alpha as given, beta 0.5) become the IR's activations.
    @Test func seluAndHardSigmoidLower() throws {
        var model = Self.valid()
        var alpha = Onnx_AttributeProto()
        alpha.name = "alpha"; alpha.type = .float; alpha.f = Float(1.0 / 6)
        var hard = Self.node("HardSigmoid", ["s"], ["y"])
        hard.attribute = [alpha]
        model.graph.node = [model.graph.node[0], Self.node("Selu", ["h"], ["s"]), hard]
        let layers = try Self.decode(model).layers
        #expect(layers.count == 2)
        if case let .dense(dense) = layers[0] { #expect(dense.activation == .selu) }
        #expect(layers[1] == .activation(.hardSigmoid(alpha: Double(Float(1.0 / 6)))))
    }

    /// x * [-2, 0.5] + [1, -3] before the Gemm: the negative factor cannot be a standard deviation, so
    /// its sign moves into the Gemm's weights; the outputs are the graph's, worked out by hand.
    @Test func aNegativeInputFactorMovesIntoTheFirstLayer() throws {
        var model = Self.valid()
        model.graph.initializer += [Self.tensor("a", [2], [-2, 0.5]), Self.tensor("c", [2], [1, -3])]
        model.graph.node.insert(contentsOf: [Self.node("Mul", ["x", "a"], ["m"]), Self.node("Add", ["m", "c"], ["s"])], at: 0)
        model.graph.node[2].input[0] = "s"
        let network = try Self.decode(model)
        guard case let .standardize(_, std) = try #require(network.preprocessing.first) else { return }
        #expect(std.allSatisfy { $0 > 0 })
        let rows: [Double] = [1.5, 4, -0.25, 10]
        let output = NetworkEvaluator(network: network, kernel: .reference).evaluate(raw: rows, rows: 2)
        for row in 0..<2 {
            let s = [rows[2 * row] * -2 + 1, rows[2 * row + 1] * 0.5 - 3]
            let expected = [(1.0, 2.0, 0.5), (3, 4, -1), (5, 6, 2)].map { max(0, $0.0 * s[0] + $0.1 * s[1] + $0.2) }
            for unit in 0..<3 { #expect(abs(output[row, unit] - expected[unit]) < 1e-12, "row \(row) unit \(unit)") }
        }
        // Before a batch norm, the sign goes into its gamma and mean.
        var normed = Self.valid()
        normed.graph.initializer += [Self.tensor("a", [2], [-2, 0.5]), Self.tensor("g", [2], [1.5, -1]), Self.tensor("be", [2], [0.25, 0]),
                                     Self.tensor("mu", [2], [0.5, 2]), Self.tensor("var", [2], [4, 0.25])]
        normed.graph.node.insert(contentsOf: [Self.node("Mul", ["x", "a"], ["m"]),
                                              Self.node("BatchNormalization", ["m", "g", "be", "mu", "var"], ["n"])], at: 0)
        normed.graph.node[2].input[0] = "n"
        let normedOutput = NetworkEvaluator(network: try Self.decode(normed), kernel: .reference).evaluate(raw: rows, rows: 2)
        for row in 0..<2 {
            let m = [rows[2 * row] * -2, rows[2 * row + 1] * 0.5]
            let n = [1.5 * (m[0] - 0.5) / (4 + 1e-5).squareRoot() + 0.25, -1 * (m[1] - 2) / (0.25 + 1e-5).squareRoot()]
            let expected = [(1.0, 2.0, 0.5), (3, 4, -1), (5, 6, 2)].map { max(0, $0.0 * n[0] + $0.1 * n[1] + $0.2) }
            for unit in 0..<3 { #expect(abs(normedOutput[row, unit] - expected[unit]) < 1e-9, "row \(row) unit \(unit)") }
        }
    }

    nonisolated(unsafe) static let malformed: [(String, (inout Onnx_ModelProto) -> Void, String, String)] = [
        ("a NaN weight", { $0.graph.initializer[0].floatData[3] = .nan }, "graph.node[0]", "input 1 ('w') holds NaN at [3]; expected finite numbers"),
        ("an infinite bias", { $0.graph.initializer[1].floatData[2] = -.infinity }, "graph.node[0]", "input 2 ('b') holds -inf at [2]"),
        ("a negative variance", {
            $0.graph.initializer += [tensor("one", [2], [1, 1]), tensor("zero2", [2], [0, 0]), tensor("var", [2], [1, -0.5])]
            $0.graph.node.insert(node("BatchNormalization", ["x", "one", "zero2", "zero2", "var"], ["n"]), at: 0)
            $0.graph.node[1].input[0] = "n" }, "graph.node[0]", "has a negative variance (input 4, column 1: -0.5)"),
        ("a factor that overflows", {
            $0.graph.initializer.append(tensor("tiny", [], [Float.leastNonzeroMagnitude]))
            $0.graph.node.insert(node("Div", ["x", "tiny"], ["q"]), at: 0)
            $0.graph.node.insert(node("Div", ["q", "tiny"], ["r"]), at: 1)
            $0.graph.node.insert(node("Div", ["r", "tiny"], ["s"]), at: 2)
            $0.graph.node.insert(node("Div", ["s", "tiny"], ["t"]), at: 3)
            $0.graph.node.insert(node("Div", ["t", "tiny"], ["u"]), at: 4)
            $0.graph.node.insert(node("Div", ["u", "tiny"], ["v"]), at: 5)
            $0.graph.node.insert(node("Div", ["v", "tiny"], ["z"]), at: 6)
            $0.graph.node[7].input[0] = "z" }, "graph.node", "the network lowered from the graph: the input scale (std)[0] is 0.0"),
        ("an unknown op", { $0.graph.node[1].opType = "Swish" }, "graph.node[1]", "unsupported operator"),
        ("a convolution", { $0.graph.node.insert(node("Conv", ["h", "w"], ["c"]), at: 1); $0.graph.node[2].input = ["c"] },
         "graph.node[1]", "Conv node: unsupported operator"),
        ("a dynamic feature count", { $0.graph.input[0].type.tensorType.shape.dim[1].dimParam = "n" }, "graph.input[0].type.tensor_type.shape.dim[1]", "a dynamic size ('n') on axis 1"),
        ("a rank-5 input", { $0.graph.input[0].type.tensorType.shape.dim += $0.graph.input[0].type.tensorType.shape.dim
            $0.graph.input[0].type.tensorType.shape.dim.append($0.graph.input[0].type.tensorType.shape.dim[1]) }, "graph.input[0]", "rank 5"),
        ("an image of more values than a row holds", {
            var huge = $0.graph.input[0].type.tensorType.shape.dim[1]
            huge.dimValue = 1 << 40
            $0.graph.input[0].type.tensorType.shape.dim += [huge, huge] }, "graph.input[0].type.tensor_type.shape", "more values than a row can hold"),
        ("a row of 2^50 features", { $0.graph.input[0].type.tensorType.shape.dim[1].dimValue = 1 << 50 },
         "graph.input[0].type.tensor_type.shape", "more values than a row can hold"),
        ("an image input no Flatten reads", { $0.graph.input[0].type.tensorType.shape.dim.append($0.graph.input[0].type.tensorType.shape.dim[1]) },
         "graph.node[0]", "expected a Flatten (axis 1) or Reshape to rows x features first"),
        ("no shape", { $0.graph.input[0].type.tensorType.clearShape() }, "graph.input[0]", "no shape"),
        ("two inputs", { $0.graph.input.append($0.graph.input[0]); $0.graph.input[1].name = "z" }, "graph.input", "expected one"),
        ("weights of the wrong width", { $0.graph.initializer[0] = tensor("w", [2, 3], [1, 2, 3, 4, 5, 6]) }, "graph.node[0]", "B has shape [2, 3]"),
        ("a missing initializer", { $0.graph.initializer.remove(at: 0) }, "graph.node[0]", "is not a constant"),
        ("short raw data", { $0.graph.initializer[0].floatData = []; $0.graph.initializer[0].rawData = Data([0, 0, 128]) }, "graph.initializer[0]", "raw_data holds 3 bytes"),
        ("too few values", { $0.graph.initializer[0].floatData = [1, 2] }, "graph.initializer[0]", "holds 2 values"),
        ("an int8 tensor", { $0.graph.initializer[1].dataType = 3 }, "graph.initializer[1]", "data type 3"),
        ("external data without a location", { $0.graph.initializer[0].dataLocation = .external }, "graph.initializer[0]",
         "external data without a 'location'"),
        ("external data outside the folder", { $0.graph.initializer[0].dataLocation = .external
            var entry = Onnx_StringStringEntryProto(); entry.key = "location"; entry.value = "../weights.bin"
            $0.graph.initializer[0].externalData = [entry] }, "graph.initializer[0]", "outside the model's folder"),
        ("a missing external data file", { $0.graph.initializer[0].dataLocation = .external
            var entry = Onnx_StringStringEntryProto(); entry.key = "location"; entry.value = "no-such-weights.bin"
            $0.graph.initializer[0].externalData = [entry] }, "graph.initializer[0]", "cannot be read"),
        ("the tanh GELU", {
            var form = Onnx_AttributeProto(); form.name = "approximate"; form.type = .string; form.s = Data("tanh".utf8)
            var gelu = node("Gelu", ["h"], ["y"]); gelu.attribute = [form]; $0.graph.node[1] = gelu
        }, "graph.node[1]", "approximate 'tanh'"),
        ("a hard sigmoid with another offset", {
            var beta = Onnx_AttributeProto(); beta.name = "beta"; beta.type = .float; beta.f = 0.3
            var hard = node("HardSigmoid", ["h"], ["y"]); hard.attribute = [beta]; $0.graph.node[1] = hard
        }, "graph.node[1]", "beta 0.3"),
        ("a SELU with other constants", {
            var gamma = Onnx_AttributeProto(); gamma.name = "gamma"; gamma.type = .float; gamma.f = 2
            var selu = node("Selu", ["h"], ["y"]); selu.attribute = [gamma]; $0.graph.node[1] = selu
        }, "graph.node[1]", "standard constants only"),
        ("a broken erf GELU", {
            $0.graph.initializer.append(tensor("root2", [], [Float(2).squareRoot()]))
            $0.graph.node = [$0.graph.node[0], node("Div", ["h", "root2"], ["d"]), node("Erf", ["d"], ["e"]), node("Relu", ["e"], ["y"])]
        }, "graph.node[3]", "breaks off the erf form of GELU"),
        ("a branch", { $0.graph.node[1].input = ["x"] }, "graph.node[1]", "does not take 'h'"),
        ("an output not at the end", { $0.graph.output[0].name = "h" }, "graph.output", "not among the graph's outputs"),
        ("no layer", { $0.graph.node = [node("Relu", ["x"], ["y"])] }, "graph.node", "no Gemm or MatMul"),
        ("a transposed A", { $0.graph.node[0].attribute[0].name = "transA" }, "graph.node[0]", "not transposed"),
        ("softmax over rows", {
            var axis = Onnx_AttributeProto(); axis.name = "axis"; axis.type = .int; axis.i = 0
            var softmax = node("Softmax", ["h"], ["y"]); softmax.attribute = [axis]; $0.graph.node[1] = softmax
        }, "graph.node[1]", "axis 0"),
        ("a foreign domain", { $0.graph.node[1].domain = "com.microsoft" }, "graph.node[1]", "domain 'com.microsoft'"),
        ("division by zero", { $0.graph.node.insert(node("Div", ["x", "zero"], ["q"]), at: 0); $0.graph.node[1].input[0] = "q"
            $0.graph.initializer.append(tensor("zero", [], [0])) }, "graph.node[0]", "divides by zero"),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedGraphsAreNamed(index: Int) throws {
        let (what, change, place, message) = Self.malformed[index]
        var model = Self.valid()
        change(&model)
        let diagnostic = expectDiagnostic { _ = try Self.decode(model) }
        #expect(diagnostic?.location == .jsonPath(place), "\(what): \(String(describing: diagnostic))")
        #expect(diagnostic?.message.contains(message) == true, "\(what): \(String(describing: diagnostic))")
    }

    @Test func bytesThatAreNotAModelAreRefused() throws {
        let valid = try Self.valid().serializedData()
        for bytes in [Data(), Data("{\"format\": \"distill-model\"}".utf8), valid.prefix(valid.count / 2), Data([0xFF, 0xFF, 0xFF])] {
            let diagnostic = expectDiagnostic { _ = try ONNXImporter.decode(bytes, file: "m.onnx") }
            #expect(diagnostic?.file == "m.onnx")
        }
    }
}
