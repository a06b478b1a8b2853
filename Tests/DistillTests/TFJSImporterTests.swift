@testable import Distill
import Foundation
import Testing

/// TF.js Layers models (make_tfjs_fixtures.py: float32, float16 and uint8 / uint16 quantised weights in one
/// or two shards, the Keras 2 and the converter's topology) evaluate as numpy evaluates them from the stored
/// weights; broken or unsupported files give a diagnostic naming the place.
struct TFJSImporterTests {
    @Test(arguments: ["dense", "quantized"])
    func outputsAreNumpys(name: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("tfjs/\(name)/model.json"))
        let expected = try Fixtures.numericTable(Fixtures.fixture("tfjs/\(name)/expected.csv"))
        let data = try DatasetLoader.load(path: Fixtures.fixture("tfjs/\(name)/inputs.csv"), network: network, label: nil)
        let output = NetworkEvaluator(network: network).evaluate(raw: data.values, rows: data.rows)
        #expect(network.task == .classification && data.rows == expected.rows.count)
        let width = expected.header.count
        for (row, want) in expected.rows.enumerated() {
            // One sigmoid unit gives P(0), P(1): numpy's column is P(1), the last.
            let got = Array(output.values[(row * output.width + output.width - width)..<((row + 1) * output.width)])
            for (a, b) in zip(got, want) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "row \(row): \(got) vs \(want)") }
        }
    }

    @Test func halfPrecisionValues() {
        #expect(TFJSWeights.half(0x3C00) == 1 && TFJSWeights.half(0xC000) == -2 && TFJSWeights.half(0x3555) == 0x1.554p-2)
        #expect(TFJSWeights.half(0x0001) == 0x1p-24 && TFJSWeights.half(0x7BFF) == 65504 && TFJSWeights.half(0x8000) == 0)
    }

    /// A copy of the dense fixture with `change` applied to its model.json text (and `shard` as its bytes).
    static func broken(_ change: (String) -> String, shard: ((Data) -> Data)? = nil) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tfjs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let source = Fixtures.fixture("tfjs/dense")
        let text = try String(contentsOfFile: source + "/model.json", encoding: .utf8)
        try change(text).write(to: folder.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source + "/group1-shard1of1.bin"))
        try (shard?(bytes) ?? bytes).write(to: folder.appendingPathComponent("group1-shard1of1.bin"))
        return folder.appendingPathComponent("model.json").path
    }

    nonisolated(unsafe) static let malformed: [(String, (String) -> String, ((Data) -> Data)?, String, String)] = [
        ("a missing shard", { $0.replacingOccurrences(of: "group1-shard1of1.bin", with: "gone.bin") }, nil,
         "weightsManifest[0].paths[0]", "weights shard cannot be read"),
        ("a shard outside the folder", { $0.replacingOccurrences(of: "\"group1-shard1of1.bin\"", with: "\"../x.bin\"") }, nil,
         "weightsManifest[0].paths[0]", "outside the model's folder"),
        ("a short shard", { $0 }, { $0.prefix(200) }, "weightsManifest[0].weights[3]", "which hold 200"),
        ("a convolution", { $0.replacingOccurrences(of: "\"class_name\": \"Dropout\"", with: "\"class_name\": \"Conv2D\"") }, nil,
         "modelTopology.config.layers[3]", "Conv2D is not supported"),
        ("an unknown activation", { $0.replacingOccurrences(of: "\"tanh\"", with: "\"relu6\"") }, nil,
         "modelTopology.config.layers[4].config.activation", "activation \"relu6\" is not supported"),
        ("a wrong unit count", { $0.replacingOccurrences(of: "\"units\": 6", with: "\"units\": 5") }, nil,
         "modelTopology.config.layers[4]", "kernel of shape [8, 6]; expected [8, 5]"),
        ("a missing weight", { $0.replacingOccurrences(of: "dense_1/bias", with: "dense_9/bias") }, nil,
         "modelTopology.config.layers[4]", "no weight 'dense_1/bias'"),
        ("a functional model", { $0.replacingOccurrences(of: "\"class_name\": \"Sequential\"", with: "\"class_name\": \"Functional\"") }, nil,
         "modelTopology.class_name", "expected a Sequential"),
        ("an unknown storage type", { $0.replacingOccurrences(of: "\"dtype\": \"float32\"", with: "\"dtype\": \"complex64\"") }, nil,
         "weightsManifest[0].weights[0]", "stored as complex64"),
    ]

    @Test(arguments: 0..<malformed.count)
    func brokenFilesAreNamed(index: Int) throws {
        let (what, change, shard, place, message) = Self.malformed[index]
        let path = try Self.broken(change, shard: shard)
        let diagnostic = expectDiagnostic { _ = try ModelDecoder.load(path: path) }
        #expect(diagnostic?.file == path, "\(what)")
        #expect(diagnostic?.location == .jsonPath(place), "\(what): \(String(describing: diagnostic))")
        #expect(diagnostic?.message.contains(message) == true, "\(what): \(String(describing: diagnostic))")
    }
}
