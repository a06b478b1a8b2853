@testable import Distill
import Foundation
import Testing

/// Every importer diagnostic, with its message and location.
struct ModelDecoderTests {
    /// A valid two-layer classifier: 2 continuous inputs + a 2-value categorical (width 4), 3 hidden, 2 classes.
    static let valid = """
    {
      "format": "distill-model",
      "version": 1,
      "name": "tiny",
      "task": "classification",
      "inputs": [
        {"name": "a", "type": "continuous", "min": 0, "max": 1},
        {"name": "b", "type": "continuous"},
        {"name": "c", "type": "categorical", "values": ["x", "y"]}
      ],
      "outputs": ["no", "yes"],
      "preprocessing": [{"type": "standardize", "mean": [0, 0, 0, 0], "std": [1, 2, 1, 1]}],
      "layers": [
        {"type": "dense", "weights": [[1, 2, 3, 4], [0, 1, 0, 1], [-1, 0, 1, 0]], "bias": [0, 0, 0], "activation": "relu"},
        {"type": "dropout"},
        {"type": "dense", "weights": [[1, -1, 0.5]], "bias": [0.1], "activation": "sigmoid"}
      ]
    }
    """

    static func mutated(_ old: String, _ new: String) -> String {
        precondition(valid.contains(old), "fixture text not found: \(old)")
        return valid.replacingOccurrences(of: old, with: new)
    }

    @Test func theValidModelDecodes() throws {
        let network = try Fixtures.decode(Self.valid)
        #expect(network.schema.encodedWidth == 4)
        #expect(network.isSingleUnitBinary)
        #expect(network.layers.count == 3)
        #expect(network.parameterCount == 3 * 4 + 3 + 3 + 1)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var old: String
        var new: String
        var location: String
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown input type", old: "{\"name\": \"b\", \"type\": \"continuous\"}", new: "{\"name\": \"b\", \"type\": \"ordinal\", \"min\": 0}",
             location: "inputs[1].type", message: "unknown input type \"ordinal\"; expected \"continuous\", \"binary\" or \"categorical\""),
        Case(name: "integer beyond 64 bits in weights", old: "[1, 2, 3, 4]", new: "[1, 99999999999999999999999999, 3, 4]",
             location: "layers[0].weights[0][1]", message: "integer out of range"),
        Case(name: "row too short", old: "[0, 1, 0, 1]", new: "[0, 1, 0]",
             location: "layers[0].weights[1]", message: "expected 4 numbers, found 3"),
        Case(name: "bias too long", old: "\"bias\": [0, 0, 0]", new: "\"bias\": [0, 0, 0, 0]",
             location: "layers[0].bias", message: "expected 3 numbers, found 4"),
        Case(name: "string in weights", old: "[1, 2, 3, 4]", new: "[1, \"2\", 3, 4]",
             location: "layers[0].weights[0][1]", message: "expected a number, found a string"),
        Case(name: "next layer does not chain", old: "[[1, -1, 0.5]]", new: "[[1, -1]]",
             location: "layers[2].weights[0]", message: "expected 3 numbers, found 2"),
        Case(name: "unknown activation", old: "\"activation\": \"relu\"", new: "\"activation\": \"rellu\"",
             location: "layers[0].activation", message: "unknown activation \"rellu\""),
        Case(name: "unknown layer type", old: "{\"type\": \"dropout\"}", new: "{\"type\": \"conv2d\"}",
             location: "layers[1].type", message: "unknown layer type \"conv2d\""),
        Case(name: "unknown input type", old: "\"type\": \"continuous\"}", new: "\"type\": \"ordinal\"}",
             location: "inputs[1].type", message: "unknown input type \"ordinal\""),
        Case(name: "duplicate input", old: "{\"name\": \"b\"", new: "{\"name\": \"a\"",
             location: "inputs[1].name", message: "duplicate input name \"a\""),
        Case(name: "categorical without values", old: "\"values\": [\"x\", \"y\"]", new: "\"valuez\": [\"x\", \"y\"]",
             location: "inputs[2].valuez", message: "unknown member"),
        Case(name: "missing layers", old: "\"layers\"", new: "\"layerz\"",
             location: "layerz", message: "unknown member"),
        Case(name: "wrong format", old: "\"distill-model\"", new: "\"onnx\"",
             location: "format", message: "expected \"distill-model\", found \"onnx\""),
        Case(name: "unsupported version", old: "\"version\": 1", new: "\"version\": 2",
             location: "version", message: "unsupported version 2"),
        Case(name: "unknown task", old: "\"classification\"", new: "\"clustering\"",
             location: "task", message: "unknown task \"clustering\""),
        Case(name: "standardize width", old: "\"mean\": [0, 0, 0, 0]", new: "\"mean\": [0, 0, 0]",
             location: "preprocessing[0].mean", message: "expected 4 numbers, found 3"),
        Case(name: "zero std", old: "\"std\": [1, 2, 1, 1]", new: "\"std\": [1, 0, 1, 1]",
             location: "preprocessing[0].std[1]", message: "expected a positive standard deviation"),
        Case(name: "number out of range", old: "[-1, 0, 1, 0]", new: "[-1, 0, 1e999, 0]",
             location: "layers[0].weights[2][2]", message: "expected a finite number"),
        Case(name: "one unit but three classes", old: "[\"no\", \"yes\"]", new: "[\"no\", \"yes\", \"maybe\"]",
             location: "outputs", message: "found 3 names"),
        Case(name: "min above max", old: "\"min\": 0, \"max\": 1", new: "\"min\": 2, \"max\": 1",
             location: "inputs[0]", message: "min 2.0 is greater than max 1.0"),
        Case(name: "packed byte count", old: "\"bias\": [0.1]", new: "\"bias\": {\"dtype\": \"float64\", \"shape\": [1], \"base64\": \"AAAA\"}",
             location: "layers[2].bias.base64", message: "expected 8 bytes (1 float64 values for shape [1]), found 3"),
        Case(name: "packed dtype", old: "\"bias\": [0.1]", new: "\"bias\": {\"dtype\": \"int8\", \"shape\": [1], \"base64\": \"AA==\"}",
             location: "layers[2].bias.dtype", message: "unknown dtype \"int8\""),
        Case(name: "packed shape", old: "\"bias\": [0.1]", new: "\"bias\": {\"dtype\": \"float64\", \"shape\": [2], \"base64\": \"AAAAAAAAAAAAAAAAAAAAAA==\"}",
             location: "layers[2].bias", message: "expected 1 numbers, found 2"),
    ]

    @Test(arguments: cases)
    func malformedModelsAreLocated(_ example: Case) throws {
        let diagnostic = expectDiagnostic { _ = try Fixtures.decode(Self.mutated(example.old, example.new)) }
        #expect(diagnostic?.file == "model.json")
        #expect(diagnostic?.location == .jsonPath(example.location), "\(String(describing: diagnostic))")
        #expect(diagnostic?.message.contains(example.message) == true, "\(String(describing: diagnostic))")
    }

    @Test func aByteOrderMarkIsSkippedAndUTF16IsNamed() throws {
        let marked = try Fixtures.decode("\u{FEFF}" + Self.valid)
        #expect(marked == (try Fixtures.decode(Self.valid)))
        let units: [UInt16] = Array(Self.valid.utf16)
        var littleEndian: [UInt8] = [0xFF, 0xFE], bigEndian: [UInt8] = []
        for unit in units {
            littleEndian += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            bigEndian += [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        for bytes in [littleEndian, bigEndian] {
            let diagnostic = expectDiagnostic { _ = try ModelDecoder.decode(bytes, file: "model.json") }
            #expect(diagnostic?.message.contains("is UTF-16 (or UTF-32) text; distill reads JSON as UTF-8") == true, "\(String(describing: diagnostic))")
        }
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        let text = "{\n  \"format\": \"distill-model\",\n  \"version\": 1 oops\n}"
        let diagnostic = expectDiagnostic { _ = try Fixtures.decode(text) }
        #expect(diagnostic?.location == .lineColumn(line: 3, column: 16), "\(String(describing: diagnostic))")
        #expect(diagnostic?.message.hasPrefix("JSON syntax error") == true)
        #expect(diagnostic?.notes.last?.hasSuffix("^") == true)
    }

    @Test func truncatedFileIsReported() {
        let diagnostic = expectDiagnostic { _ = try Fixtures.decode("{\"format\": [1, 2") }
        #expect(diagnostic?.message.contains("unexpected end of file") == true)
        #expect(diagnostic?.location == .lineColumn(line: 1, column: 17))
    }

    @Test func trailingDataIsRejected() {
        let diagnostic = expectDiagnostic { _ = try Fixtures.decode(Self.valid + "\n\n  x") }
        let lines = Self.valid.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(diagnostic?.location == .lineColumn(line: lines + 2, column: 3))
        #expect(diagnostic?.message.contains("unexpected") == true)
    }

    @Test func missingMemberIsNamed() {
        let text = Self.valid.replacingOccurrences(of: "\"task\": \"classification\",", with: "")
        let diagnostic = expectDiagnostic { _ = try Fixtures.decode(text) }
        #expect(diagnostic?.description == "model.json: (root): missing required member \"task\"")
    }

    @Test func missingFileIsReported() {
        let diagnostic = expectDiagnostic { _ = try ModelDecoder.load(path: "/nonexistent/model.json") }
        #expect(diagnostic?.description == "/nonexistent/model.json: no such file")
    }

    @Test func packedFloat32ValuesAreRoundedToFloat32() throws {
        // 0.1 as float32 is 0x3DCCCCCD; base64 of its little-endian bytes is "zczMPQ==".
        let text = Self.mutated("\"bias\": [0.1]", "\"bias\": {\"dtype\": \"float32\", \"shape\": [1], \"base64\": \"zczMPQ==\"}")
        let network = try Fixtures.decode(text)
        guard case let .dense(last) = network.layers[2] else { Issue.record("expected a dense layer"); return }
        #expect(last.bias == [Double(Float(0.1))])
    }
}
