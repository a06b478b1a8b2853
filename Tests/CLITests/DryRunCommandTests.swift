import Foundation
import Testing

/// `--dry-run`: what a run would evaluate and an estimate of its time, nothing written.
struct DryRunCommandTests {
    @Test func dryRunsCountTheWorkAndWriteNothing() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let output = directory.appendingPathComponent("out.txt").path
        let sensitivity = try CommandRunner.run(["sensitivity", "samples/breast_cancer/model.json", "--data", "samples/breast_cancer/train.csv",
                                                 "--explain-rows", "100", "--dry-run", "-o", output])
        #expect(sensitivity.status == 0, "\(sensitivity.standardError)")
        let lines = sensitivity.standardOutput.split(separator: "\n").map(String.init)
        // 426 rows, 100 explained; permutation: 30 features x 5 shuffles x 100 rows; Sobol': N (d + 2).
        #expect(lines.contains("  426 rows; the per-row methods explain 100 of them"), "\(lines)")
        #expect(lines.contains("  permutation importance: 15000 forward rows (30 features x 5 shuffles x 100 rows)"))
        #expect(lines.contains("  Sobol' indices: 32768 forward rows (N = 1024, d = 30)"))
        #expect(lines.last?.hasPrefix("about ") == true && lines.last?.contains(" of network evaluation on this machine") == true)
        let extract = try CommandRunner.run(["samples/iris/model.json", "--data", "samples/iris/train.csv", "--dry-run", "-o", output,
                                             "--oracle-points", "5000"])
        #expect(extract.status == 0)
        // train.csv's 112 rows: a quarter (28) held out, 84 to fit on; 5000 fitting points in all, 4916 of them drawn.
        #expect(extract.standardOutput.contains("  84 fitting rows and 28 held-out rows labelled by the network\n"), "\(extract.standardOutput)")
        #expect(extract.standardOutput.contains("  fitting: 4916 drawn points labelled (5000 fitting points in all)\n"))
        let compare = try CommandRunner.run(["compare", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--quick", "--dry-run",
                                             "--csv", output])
        #expect(compare.status == 0 && compare.standardOutput.contains("  23 surrogates fitted on the same labelled points; 1 pruned network\n"), "\(compare.standardOutput)")
        // Pruning iris's 4-16-3 network (131 weights and biases) on 84 rows: 16,000 + 84 check points and
        // 84 + 8,000 compensation points, labelled with the fitting rows' statistics: (16084 + 8084 + 84) x 131.
        let prune = try CommandRunner.run(["prune", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--dry-run"])
        #expect(prune.status == 0, "\(prune.standardError)")
        #expect(prune.standardOutput.contains("  pruning: 16084 check points and 8084 compensation points labelled by the original (3.2e+06 multiply-adds)\n"),
                "\(prune.standardOutput)")
        #expect(prune.standardOutput.contains("  each round of removals: 16 neurons ranked"))
        #expect(try CommandRunner.run(["prune", "samples/iris/model.json", "--data", "samples/iris/train.csv"]).status == 64)
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(sensitivity.standardError.isEmpty && extract.standardError.isEmpty && compare.standardError.isEmpty && prune.standardError.isEmpty)
    }
}
