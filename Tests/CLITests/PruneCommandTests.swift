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

    @Test func badBudgetIsRejected() throws {
        let result = try CommandRunner.run(["prune", "samples/iris/model.json", "--data", "samples/iris/train.csv", "-o", "/tmp/x.json",
                                            "--max-fidelity-loss", "lots"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--max-fidelity-loss expects points"))
    }
}
