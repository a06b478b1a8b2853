import Distill
import Foundation
import Testing

@Suite(.serialized)
struct ExtractCommandTests {
    let iris = ["samples/iris/model.json", "--data", "samples/iris/train.csv"]

    @Test func irisRulesMatchTheGoldenFileAndAreDeterministic() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let first = directory.appendingPathComponent("rules.txt").path
        let second = directory.appendingPathComponent("again.txt").path
        let run1 = try CommandRunner.run(iris + ["-o", first])
        #expect(run1.status == 0, "\(run1.standardError)")
        #expect(run1.standardOutput.isEmpty)
        let run2 = try CommandRunner.run(iris + ["-o", second])
        #expect(run2.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(bytes == (try Data(contentsOf: URL(fileURLWithPath: second))))
        try CommandRunner.expectGolden(String(decoding: bytes, as: UTF8.self), "iris-rules.txt")
    }

    @Test func aStreamedFileSaysSoAndCountsEveryFittingRow() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("result.json").path
        let result = try CommandRunner.run(["samples/wage/model.json", "--data", "samples/wage/train.csv", "--label", "wage_band",
                                            "--stream", "always", "--max-leaves", "8", "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        // 2250 rows: 563 held out (a quarter, rounded up), the other 1687 streamed and all kept whole.
        #expect(result.standardOutput.contains("# fitted on 1687 of the 2250 rows of samples/wage/train.csv, streamed (held as bins, 1687 whole), labelled by the network"))
        #expect(result.standardOutput.contains("# held out: the other 563 rows"))
        let object = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: json))), file: json)
        #expect(object["train_rows"] == .number(1687))
        #expect(object["fitting_points"] == .number(1687))
        let refused = try CommandRunner.run(["samples/wage/model.json", "--data", "samples/wage/train.csv", "--stream", "sometimes"])
        #expect(refused.status == 64)
        #expect(refused.standardError.contains("--stream"))
    }

    @Test func labelledRunsReportAccuracyAndJSON() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("result.json").path
        let result = try CommandRunner.run(["samples/penguins/model.json", "--data", "samples/penguins/train.csv",
                                            "--test", "samples/penguins/test.csv", "--label", "species",
                                            "--max-leaves", "6", "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        try CommandRunner.expectGolden(result.standardOutput, "penguins-rules.txt")
        // Read back with json-c (Foundation's JSONSerialization rounds some decimals on Linux).
        let object = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: json))), file: json)
        #expect(object["heldout_rows"] == .number(84))
        #expect(object["seed"] == .number(1))
        let leaves = try #require(object["size"]?["leaves"])
        guard case let .number(leafCount) = leaves else { Issue.record("size.leaves is not a number"); return }
        #expect(leafCount <= 6)
        #expect(object["size"]?["rules"] == leaves)
        // The network's held-out accuracy on penguins is 83/84 (samples/penguins/README.md).
        #expect(object["accuracy"]?["network"] == .number(83.0 / 84.0))
        guard case let .number(fidelity)? = object["fidelity"] else { Issue.record("no fidelity"); return }
        #expect(fidelity > 0.9 && fidelity <= 1)
    }

    @Test func regressionListing() throws {
        let result = try CommandRunner.run(["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv",
                                            "--label", "progression", "--max-depth", "2"])
        #expect(result.status == 0, "\(result.standardError)")
        try CommandRunner.expectGolden(result.standardOutput, "diabetes-rules.txt")
    }

    @Test func withoutDataTheDeclaredDomainIsSampled() throws {
        let a = try CommandRunner.run(["samples/breast_cancer/model.json", "--samples", "2000", "--seed", "5"])
        let b = try CommandRunner.run(["samples/breast_cancer/model.json", "--samples", "2000", "--seed", "5"])
        #expect(a.status == 0, "\(a.standardError)")
        #expect(a.standardOutput == b.standardOutput)
        #expect(a.standardOutput.contains("# fitted on 1500 of the 2000 points drawn uniformly from the model's declared input domain"))
    }

    @Test func badInputLeavesNoOutputAndExitsNonZero() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let rules = directory.appendingPathComponent("rules.txt").path
        let json = directory.appendingPathComponent("result.json").path
        let result = try CommandRunner.run(iris + ["--label", "no such column", "-o", rules, "--json", json])
        #expect(result.status != 0)
        #expect(result.standardError.hasPrefix("distill: error: samples/iris/train.csv: line 1: missing label column 'no such column'"))
        #expect(!FileManager.default.fileExists(atPath: rules))
        #expect(!FileManager.default.fileExists(atPath: json))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func anExistingOutputSurvivesAFailedRun() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let rules = directory.appendingPathComponent("rules.txt")
        try "keep me\n".write(to: rules, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["samples/iris/model.json", "--data", "samples/penguins/train.csv", "-o", rules.path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("missing column 'sepal length (cm)'"))
        #expect(try String(contentsOf: rules, encoding: .utf8) == "keep me\n")
    }

    @Test func anInputIsNeverOverwritten() throws {
        let before = try Data(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("samples/iris/train.csv"))
        let result = try CommandRunner.run(iris + ["-o", "samples/iris/train.csv"])
        #expect(result.status == 73)
        #expect(result.standardError.contains("refusing to overwrite an input file"))
        #expect(try Data(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("samples/iris/train.csv")) == before)
    }

    @Test func malformedModelIsLocated() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let model = directory.appendingPathComponent("model.json")
        try "{\n  \"format\": \"distill-model\",\n  \"version\": 1,\n}\n".write(to: model, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run([model.path])
        #expect(result.status == 65)
        #expect(result.standardError.hasPrefix("distill: error: \(model.path): 4:1: JSON syntax error"))
    }

    @Test func invalidFlagsAreRejected() throws {
        let result = try CommandRunner.run(iris + ["--test-fraction", "1.5"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--test-fraction must be between 0 and 1"))
    }

    /// A network of 128 inputs fits on half the default points (100,000 x 64 / 128), and says so in
    /// `--json`; `--oracle-points` is taken as given, whatever the width, and `--rule-points` alone
    /// leaves the fitting points scaled.
    @Test func wideInputsDrawFewerPointsUnlessToldHowMany() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let width = 128
        let inputs = (0..<width).map { "{\"name\": \"x\($0)\", \"type\": \"continuous\"}" }.joined(separator: ", ")
        let weights = (0..<2).map { unit in "[" + (0..<width).map { "\(Double(($0 * 7 + unit * 3) % 11 - 5) / 10)" }.joined(separator: ", ") + "]" }
        let model = """
            {"format": "distill-model", "version": 1, "name": "wide", "task": "classification", "inputs": [\(inputs)],
             "outputs": ["p", "q"], "layers": [{"type": "dense", "activation": "softmax",
             "weights": [\(weights.joined(separator: ", "))], "bias": [0, 0]}]}
            """
        let modelPath = directory.appendingPathComponent("wide.json").path
        try model.write(toFile: modelPath, atomically: true, encoding: .utf8)
        var generator = SeededGenerator(seed: 4)
        let rows = (0..<200).map { _ in (0..<width).map { _ in String(format: "%.4f", generator.nextUnit()) }.joined(separator: ",") }
        let csv = ((0..<width).map { "x\($0)" }.joined(separator: ",") + "\n" + rows.joined(separator: "\n") + "\n")
        let dataPath = directory.appendingPathComponent("train.csv").path
        try csv.write(toFile: dataPath, atomically: true, encoding: .utf8)
        for (flags, expected) in [([String](), 50_000.0), (["--oracle-points", "30000"], 30_000.0), (["--rule-points", "5000"], 50_000.0)] {
            let json = directory.appendingPathComponent("result.json").path
            let result = try CommandRunner.run([modelPath, "--data", dataPath, "--validation-points", "0", "--domain-points", "0",
                                                "--json", json, "-o", directory.appendingPathComponent("rules.txt").path] + flags)
            #expect(result.status == 0, "\(result.standardError)")
            let object = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: json))), file: json)
            #expect(object["fitting_points"] == .number(expected))
            #expect(object["settings"]?["oracle_points"] == .number(expected))
        }
    }
}
