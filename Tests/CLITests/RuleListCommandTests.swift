import Distill
import Foundation
import Testing

@Suite(.serialized)
struct RuleListCommandTests {
    static let cases: [(name: String, arguments: [String])] = [
        ("iris-rule-list.txt", ["samples/iris/model.json", "--data", "samples/iris/train.csv", "--test", "samples/iris/test.csv",
                            "--label", "species", "--surrogate", "rules"]),
        ("penguins-ripper.txt", ["samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--test", "samples/penguins/test.csv",
                                 "--label", "species", "--surrogate", "ripper"]),
        ("penguins-oracle-tree.txt", ["samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--test", "samples/penguins/test.csv",
                                      "--label", "species", "--surrogate", "oracle-tree", "--max-leaves", "8"]),
        ("breast-cancer-ripper-set.txt", ["samples/breast_cancer/model.json", "--data", "samples/breast_cancer/train.csv",
                                          "--label", "diagnosis", "--surrogate", "ripper", "--unordered", "--seed", "3"]),
    ]

    @Test(arguments: cases.indices)
    func listingsMatchTheGoldenFilesAndRepeat(index: Int) throws {
        let (name, arguments) = Self.cases[index]
        let first = try CommandRunner.run(arguments)
        #expect(first.status == 0, "\(first.standardError)")
        let second = try CommandRunner.run(arguments)
        #expect(second.standardOutput == first.standardOutput)
        try CommandRunner.expectGolden(first.standardOutput, name)
    }

    @Test func jsonCountsTheDefaultRule() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("r.json").path
        let result = try CommandRunner.run(Self.cases[0].arguments + ["--json", json, "--max-rules", "3"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: json))), file: json)
        #expect(object["surrogate"] == .string("rules"))
        #expect(object["size"]?["rules"] == .number(3))
        #expect(object["size"]?["leaves"] == .null)
        // Rules after the first in the listing: one "ELSE IF" and the default "ELSE".
        #expect(result.standardOutput.contains("R2  ELSE IF") && result.standardOutput.contains("R3  ELSE  "))
        #expect(object["fit_seconds"] == nil)
    }

    @Test func emitFromASavedRuleListGivesTheSameCode() throws {
        let directory = try CommandRunner.temporaryDirectory()
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let extract = try CommandRunner.run(Self.cases[1].arguments + ["-o", path("rules.txt"), "--save-surrogate", path("s.json"),
                                                                       "--swift", path("direct.swift"), "--c", path("direct.h")])
        #expect(extract.status == 0, "\(extract.standardError)")
        let emit = try CommandRunner.run(["emit", path("s.json"), "--swift", path("emitted.swift"), "--c", path("emitted.h")])
        #expect(emit.status == 0, "\(emit.standardError)")
        for (a, b) in [("direct.swift", "emitted.swift"), ("direct.h", "emitted.h")] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: path(a))) == (try Data(contentsOf: URL(fileURLWithPath: path(b)))))
        }
    }

    @Test func ruleFlagsNeedARuleSurrogateAndAClassifier() throws {
        let flags = try CommandRunner.run(["samples/iris/model.json", "--max-rules", "3"])
        #expect(flags.status != 0)
        #expect(flags.standardError.contains("apply to rule lists"))
        let regression = try CommandRunner.run(["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv", "--surrogate", "ripper"])
        #expect(regression.status == 64)
        #expect(regression.standardError.contains("--surrogate ripper needs a classification network"))
    }
}
