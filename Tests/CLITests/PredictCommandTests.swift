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

    @Test func numbersUseSeventeenSignificantDigits() throws {
        let result = try CommandRunner.run(["predict", "samples/iris/model.json", "--data", "samples/iris/test.csv"])
        #expect(result.status == 0)
        let firstRow = result.standardOutput.split(separator: "\n")[1].split(separator: ",")
        let probability = String(firstRow[1])
        #expect(String(format: "%.17g", Double(probability)!) == probability)
    }
}
