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

    /// `--feature-names` (lines, or a CSV header) and `--class-names` name an ONNX model's inputs and
    /// classes for every command: the CSV columns are matched by the new names, the rules use them.
    @Test func namesFilesNameTheInputsAndClasses() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        try "bill,flipper,mass,depth\n".write(toFile: path("features.csv"), atomically: true, encoding: .utf8)
        try "adelie\n\nchinstrap\r\ngentoo\n".write(toFile: path("classes.txt"), atomically: true, encoding: .utf8)
        let rows = try String(contentsOfFile: Self.data, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try (["bill,flipper,mass,depth"] + rows.dropFirst()).joined(separator: "\n").write(toFile: path("rows.csv"), atomically: true, encoding: .utf8)
        let names = ["--feature-names", path("features.csv"), "--class-names", path("classes.txt")]
        let predicted = try CommandRunner.run(["predict", Self.model, "--data", path("rows.csv")] + names)
        #expect(predicted.status == 0, "\(predicted.standardError)")
        #expect(predicted.standardOutput.hasPrefix("prediction,adelie,chinstrap,gentoo\n"))
        let original = try CommandRunner.run(["predict", Self.model, "--data", Self.data])
        #expect(predicted.standardOutput.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst() }
                == original.standardOutput.split(separator: "\n").dropFirst().map { $0.split(separator: ",").dropFirst() })
        let rules = try CommandRunner.run(["extract", Self.model, "--data", path("rows.csv")] + names)
        #expect(rules.status == 0 && ["bill", "flipper", "mass", "depth"].contains { rules.standardOutput.contains($0) })
        #expect(!rules.standardOutput.contains("x0") && ["adelie", "chinstrap", "gentoo"].contains { rules.standardOutput.contains("THEN \($0)") })
        let summary = try CommandRunner.run(["inspect", Self.model] + names)
        #expect(summary.standardOutput.contains("classes (3): adelie, chinstrap, gentoo"))
        // A wrong count, a repeated name and an empty file are refused with the file named.
        try "a\nb\n".write(toFile: path("two.txt"), atomically: true, encoding: .utf8)
        try "a,b,a,c\n".write(toFile: path("twice.csv"), atomically: true, encoding: .utf8)
        try "\n\n".write(toFile: path("empty.txt"), atomically: true, encoding: .utf8)
        for (option, file, message) in [("--feature-names", "two.txt", "2 names for the model's 4 inputs"),
                                        ("--class-names", "two.txt", "2 names for the model's 3 classes"),
                                        ("--feature-names", "twice.csv", "the name 'a' is given twice"),
                                        ("--class-names", "empty.txt", "no names")] {
            let result = try CommandRunner.run(["inspect", Self.model, option, path(file)])
            #expect(result.status != 0 && result.standardError.contains("\(path(file)): \(message)"), "\(file): \(result.standardError)")
        }
    }

    /// A TF.js Layers model.json (its weights in .bin shards next to it) goes through every command too.
    @Test func everySubcommandRunsOnATFJSModel() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let model = "Tests/DistillTests/Fixtures/tfjs/quantized/model.json", data = "Tests/DistillTests/Fixtures/tfjs/quantized/inputs.csv"
        for command in [["extract", model, "--data", data, "-o", path("rules.txt")], ["predict", model, "--data", data],
                        ["sensitivity", model, "--data", data, "--method", "gradient"], ["prune", model, "--data", data, "-o", path("p.json")],
                        ["compare", model, "--data", data, "--csv", path("c.csv")], ["inspect", model, "--json"]] {
            let result = try CommandRunner.run(command)
            #expect(result.status == 0, "\(command[0]): \(result.standardError)")
        }
    }

    @Test func anUnsupportedNodeIsNamed() throws {
        let result = try CommandRunner.run(["inspect", "Tests/DistillTests/Fixtures/onnx/conv.onnx"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("conv.onnx: graph.node[1]: Conv node: unsupported operator"))
    }
}
