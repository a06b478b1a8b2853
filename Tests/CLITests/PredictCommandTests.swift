import Foundation
import Testing

struct PredictCommandTests {
    @Test(arguments: ["iris", "breast_cancer", "penguins", "diabetes"])
    func predictionsMatchTheReference(sample: String) throws {
        let directory = try CommandRunner.temporaryDirectory()
        let output = directory.appendingPathComponent("preds.csv")
        let result = try CommandRunner.run(["predict", "samples/\(sample)/model.json", "--data", "samples/\(sample)/test.csv",
                                            "-o", output.path])
        #expect(result.status == 0, "\(result.standardError)")
        let produced = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let reference = try String(contentsOf: CommandRunner.repositoryRoot.appendingPathComponent("samples/\(sample)/reference.csv"),
                                   encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(produced.first == reference.first)
        #expect(produced.count == reference.count)
        for (got, want) in zip(produced.dropFirst(), reference.dropFirst()) {
            #expect(got.count == want.count)
            for (a, b) in zip(got, want) {
                if let x = Double(a), let y = Double(b) {
                    // Same float64 computation up to summation order (see EvaluationTests).
                    #expect(abs(x - y) <= 1e-9)
                } else {
                    #expect(a == b)
                }
            }
        }
    }

    /// More rows than one block (65,536): the held-out rows repeated, each answered as the reference says,
    /// with the progress of the blocks on standard error when asked.
    @Test func manyRowsArePredictedBlockByBlockWithProgress() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let root = CommandRunner.repositoryRoot
        let test = try String(contentsOf: root.appendingPathComponent("samples/iris/test.csv"), encoding: .utf8).split(separator: "\n")
        let reference = try String(contentsOf: root.appendingPathComponent("samples/iris/reference.csv"), encoding: .utf8).split(separator: "\n")
        let repeats = 1843, rows = repeats * (test.count - 1)
        let data = directory.appendingPathComponent("many.csv")
        try ([String(test[0])] + (0..<repeats).flatMap { _ in test.dropFirst().map(String.init) }).joined(separator: "\n")
            .write(to: data, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("preds.csv")
        let result = try CommandRunner.run(["predict", "samples/iris/model.json", "--data", data.path, "-o", output.path, "--progress"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("distill: predicting: 100% \(rows)/\(rows) rows in "), "\(result.standardError)")
        let produced = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        #expect(produced.count == rows + 1)
        for (index, line) in produced.dropFirst().enumerated() where index % 997 == 0 || index >= rows - 40 {
            let want = reference[1 + index % (test.count - 1)].split(separator: ","), got = line.split(separator: ",")
            #expect(got.count == want.count && got.first == want.first)
            for (a, b) in zip(got.dropFirst(), want.dropFirst()) { #expect(abs(Double(a)! - Double(b)!) <= 1e-9) }
        }
    }

    @Test func numbersUseSeventeenSignificantDigits() throws {
        let result = try CommandRunner.run(["predict", "samples/iris/model.json", "--data", "samples/iris/test.csv"])
        #expect(result.status == 0)
        let firstRow = result.standardOutput.split(separator: "\n")[1].split(separator: ",")
        let probability = String(firstRow[1])
        #expect(String(format: "%.17g", Double(probability)!) == probability)
    }
}
