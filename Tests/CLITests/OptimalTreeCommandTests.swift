import Distill
import Foundation
import Testing

/// `--surrogate optimal-tree` from the command line: its size limits, its listing and its refusals.
@Suite(.serialized)
struct OptimalTreeCommandTests {
    static let penguins = ["samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--test", "samples/penguins/test.csv",
                           "--domain-points", "20000", "--surrogate", "optimal-tree"]

    static func size(_ path: String) throws -> (leaves: Double, depth: Double) {
        let object = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: path))), file: path)
        guard case let .number(leaves)? = object["size"]?["leaves"], case let .number(depth)? = object["size"]?["depth"] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return (leaves, depth)
    }

    @Test func eightLeavesAtDepthThreeThenDeeperTreesPrunedToTheSize() throws {
        let directory = try CommandRunner.temporaryDirectory()
        for (leaves, deepest) in [(8.0, 3.0), (16.0, 16.0), (3.0, 2.0)] {
            let path = directory.appendingPathComponent("optimal\(Int(leaves)).json").path
            let result = try CommandRunner.run(Self.penguins + ["--max-leaves", String(Int(leaves)), "--json", path])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput.contains("optimal decision tree surrogate"))
            let size = try Self.size(path)
            #expect(size.leaves <= leaves && size.leaves >= 2)
            #expect(size.depth <= deepest)
        }
    }

    @Test func classifiersOnly() throws {
        let result = try CommandRunner.run(["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv", "--surrogate", "optimal-tree"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--surrogate optimal-tree needs a classification network"))
    }
}
