import Distill
import Foundation
import Testing

struct PruneCommandTests {
    @Test func prunedModelIsSmallerAndFeedsBackIntoEveryCommand() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let pruned = directory.appendingPathComponent("pruned.json").path
        let json = directory.appendingPathComponent("report.json").path
        let result = try CommandRunner.run(["prune", "samples/iris/model.json", "--data", "samples/iris/train.csv",
                                            "--test", "samples/iris/test.csv", "--label", "species", "-o", pruned, "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("hidden neurons: 16 -> "))
        let report = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: json))), file: json)
        guard case let .number(after)? = report["hidden_neurons_after"], case let .number(agreement)? = report["heldout_agreement"] else {
            Issue.record("report members missing"); return
        }
        #expect(after < 16)
        #expect(agreement >= 0.97)
        let predict = try CommandRunner.run(["predict", pruned, "--data", "samples/iris/test.csv"])
        #expect(predict.status == 0, "\(predict.standardError)")
        let extract = try CommandRunner.run([pruned, "--data", "samples/iris/train.csv"])
        #expect(extract.status == 0 && extract.standardOutput.contains("# rules for iris-mlp"))
    }

    /// The digits sample declares an 8 x 8 image; pruning drops some pixels, and the pruned model is
    /// written without the image (it stopped on the pixel range before) and reads back.
    @Test func pruningPixelsUndeclaresTheImage() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let pruned = directory.appendingPathComponent("pruned.json").path
        let json = directory.appendingPathComponent("report.json").path
        let result = try CommandRunner.run(["prune", "samples/digits/model.json", "--data", "samples/digits/train.csv", "-o", pruned,
                                            "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        let network = try ModelDecoder.load(path: pruned)
        #expect(network.schema.count < 64 && network.image == nil)
        #expect(result.standardOutput.contains("image: the 8 x 8 pixel grid is no longer declared (pixels were dropped)"))
        let report = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: json))), file: json)
        #expect(report["image_declared"] == .bool(false))
        let inspect = try CommandRunner.run(["inspect", pruned])
        #expect(inspect.status == 0, "\(inspect.standardError)")
    }

    @Test func badBudgetIsRejected() throws {
        let result = try CommandRunner.run(["prune", "samples/iris/model.json", "--data", "samples/iris/train.csv", "-o", "/tmp/x.json",
                                            "--max-fidelity-loss", "lots"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--max-fidelity-loss expects points"))
    }
}

struct ExtractAfterPruningTests {
    @Test func rulesFromThePrunedNetworkReportBothFidelities() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("r.json").path
        // Penguins rather than breast cancer: PruningTests already prunes breast cancer at this budget.
        let result = try CommandRunner.run(["samples/penguins/model.json", "--data", "samples/penguins/train.csv",
                                            "--test", "samples/penguins/test.csv", "--prune", "--json", json])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("held-out fidelity to the ORIGINAL network"))
        #expect(result.standardOutput.contains("# settings: --prune --max-fidelity-loss 0.5"))
        let report = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: json))), file: json)
        guard case let .number(kept)? = report["pruning"]?["inputs_kept"] else { Issue.record("no pruning member"); return }
        // Inputs the pruned network no longer has cannot appear in its rules.
        let network = try ModelDecoder.load(path: CommandRunner.repositoryRoot.appendingPathComponent("samples/penguins/model.json").path)
        let rules = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("R") }.joined(separator: "\n")
        let mentioned = network.schema.features.map(\.name).filter { name in rules.contains(name) }
        #expect(mentioned.count <= Int(kept))
    }
}
