import Foundation
import Testing

/// Every subcommand takes an ONNX model as it takes a native one.
struct ONNXCommandTests {
    static let model = "Tests/DistillTests/Fixtures/onnx/gemm_softmax.onnx"
    static let data = "Tests/DistillTests/Fixtures/onnx/gemm_softmax_inputs.csv"

    @Test func everySubcommandRunsOnAnONNXModel() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let commands: [[String]] = [
            ["extract", Self.model, "--data", Self.data, "-o", path("rules.txt"), "--save-surrogate", path("surrogate.json")],
            ["emit", path("surrogate.json"), "--swift", path("Surrogate.swift")],
            ["predict", Self.model, "--data", Self.data, "-o", path("predictions.csv")],
            ["sensitivity", Self.model, "--data", Self.data, "-o", path("sensitivity.txt")],
            ["prune", Self.model, "--data", Self.data, "-o", path("pruned.json")],
            ["compare", Self.model, "--data", Self.data, "--csv", path("compare.csv")],
            ["inspect", Self.model, "-o", path("inspect.txt")],
        ]
        for command in commands {
            let result = try CommandRunner.run(command)
            #expect(result.status == 0, "\(command[0]): \(result.standardError)")
        }
        for file in ["rules.txt", "Surrogate.swift", "predictions.csv", "sensitivity.txt", "pruned.json", "compare.csv", "inspect.txt"] {
            #expect(FileManager.default.fileExists(atPath: path(file)), "\(file)")
        }
        // The pruned model is native JSON and predicts what the ONNX model predicts (nothing was removable).
        let original = try CommandRunner.run(["predict", Self.model, "--data", Self.data])
        let pruned = try CommandRunner.run(["predict", path("pruned.json"), "--data", Self.data])
        let rows = { (text: String) in text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst().map { Double($0)! } } }
        for (a, b) in zip(rows(original.standardOutput), rows(pruned.standardOutput)) {
            for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-12) }
        }
    }

    @Test func anUnsupportedNodeIsNamed() throws {
        let result = try CommandRunner.run(["inspect", "Tests/DistillTests/Fixtures/onnx/conv.onnx"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("conv.onnx: graph.node[1]: Conv node: unsupported operator"))
    }
}
