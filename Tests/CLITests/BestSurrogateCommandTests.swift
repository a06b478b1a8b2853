import Distill
import Foundation
import Testing

/// `--surrogate best`, linear leaves, the oracle-point options and the domain fidelity, from the command line.
@Suite(.serialized)
struct BestSurrogateCommandTests {
    static func json(_ path: String) throws -> JSONValue {
        try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: path))), file: path)
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case let .number(number)? = value { return number }
        return nil
    }

    @Test func bestReportsEveryKindAndKeepsTheMostFaithful() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let path = directory.appendingPathComponent("best.json").path
        let base = ["samples/penguins/model.json", "--data", "samples/penguins/train.csv", "--test", "samples/penguins/test.csv",
                    "--max-leaves", "8", "--domain-points", "20000"]
        let result = try CommandRunner.run(base + ["--surrogate", "best", "--json", path])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try Self.json(path)
        guard case let .array(contest)? = object["contest"] else { Issue.record("no contest"); return }
        #expect(contest.count == 7)
        let fidelities = contest.compactMap { Self.number($0["selection_fidelity"]) }
        #expect(fidelities == fidelities.sorted(by: >))
        guard case let .string(winner)? = contest.first?["surrogate"] else { Issue.record("no winner"); return }
        #expect(object["fitted"] == .string(winner))
        #expect(result.standardOutput.contains("# --surrogate best: \(winner) won with"))
        // The winner alone, asked for directly, is the same surrogate: same held-out and domain fidelity.
        let alone = directory.appendingPathComponent("alone.json").path
        let size = ["rules", "ripper", "rule-search"].contains(winner) ? ["--max-rules", "8"] : ["--max-leaves", "8"]
        let direct = try CommandRunner.run(Array(base.dropLast(4)) + ["--domain-points", "20000", "--surrogate", winner, "--json", alone] + size)
        #expect(direct.status == 0, "\(direct.standardError)")
        let single = try Self.json(alone)
        #expect(single["fidelity"] == object["fidelity"])
        #expect(single["domain"]?["agreeing"] == object["domain"]?["agreeing"])
        // The domain fidelity's interval holds its share.
        // (json-c reads an array of numbers as one vector.)
        guard case let .numbers(interval)? = object["domain"]?["interval"], let share = Self.number(object["domain"]?["fidelity"]),
              let low = interval.first, let high = interval.last else { Issue.record("no interval"); return }
        #expect(low <= share && share <= high)
        #expect(object["domain"]?["points"] == .number(20000))
    }

    @Test func withoutOraclePointsTheTreeIsCARTOnTheRows() throws {
        // --oracle-points 0 --validation-points 0: scikit-learn's tree on the rows, as TreeBuilder fits it.
        let network = try ModelDecoder.load(path: "samples/iris/model.json")
        var options = Extraction.Options(data: .init(dataPath: "samples/iris/train.csv", testPath: "samples/iris/test.csv"),
                                         tree: TreeSettings(maxLeaves: 5))
        options.oraclePoints = 0
        options.validationPoints = 0
        options.domainPoints = 0
        let extraction = try Extraction.run(network: network, modelPath: "samples/iris/model.json", options: options)
        let train = extraction.data.train
        var expected = Extraction.fitTree(network: network, on: train, settings: TreeSettings(maxLeaves: 5))
        expected = ThresholdRounding.apply(to: MergeRedundantLeaves.apply(to: expected), keeping: [train, extraction.data.test])
        #expect(extraction.surrogate == .tree(expected))
        #expect(extraction.fittingPoints == train.rows)
        #expect(extraction.evaluation.domain == nil)
    }

    @Test func linearLeavesAreListedComputedAndEmittedAlike() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let path = directory.appendingPathComponent("linear.json").path
        let saved = directory.appendingPathComponent("linear.surrogate.json").path
        let base = ["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv", "--test", "samples/diabetes/test.csv",
                    "--max-leaves", "8", "--domain-points", "20000"]
        let linear = try CommandRunner.run(base + ["--leaf-model", "linear", "--json", path, "--save-surrogate", saved])
        #expect(linear.status == 0, "\(linear.standardError)")
        #expect(linear.standardOutput.contains("decision tree with linear leaves"))
        let object = try Self.json(path)
        let terms = Self.number(object["size"]?["terms"]) ?? 0
        #expect(terms >= 1 && terms <= 3 * 8)
        #expect(linear.standardOutput.contains("THEN progression = "))
        let constant = directory.appendingPathComponent("constant.json").path
        let plain = try CommandRunner.run(base + ["--json", constant])
        #expect(plain.status == 0)
        // On this nearly linear network, linear leaves are far more faithful at the same size.
        let linearR2 = Self.number(object["fidelity"]) ?? 0, constantR2 = Self.number(try Self.json(constant)["fidelity"]) ?? 1
        #expect(linearR2 > constantR2 + 0.05)
        // The saved surrogate round-trips through distill emit.
        let swift = directory.appendingPathComponent("S.swift").path
        let emitted = try CommandRunner.run(["emit", saved, "--swift", swift])
        #expect(emitted.status == 0, "\(emitted.standardError)")
        #expect(try String(contentsOfFile: swift, encoding: .utf8).contains("leafTerms"))
    }

    @Test func leafModelNeedsARegressionNetworkAndSaneCounts() throws {
        let classifier = try CommandRunner.run(["samples/iris/model.json", "--data", "samples/iris/train.csv", "--leaf-model", "linear"])
        #expect(classifier.status != 0)
        #expect(classifier.standardError.contains("--leaf-model linear fits regression trees"))
        let terms = try CommandRunner.run(["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv", "--max-terms", "2"])
        #expect(terms.status != 0)
        #expect(terms.standardError.contains("--max-terms applies with --leaf-model linear"))
        let negative = try CommandRunner.run(["samples/iris/model.json", "--data", "samples/iris/train.csv", "--oracle-points=-1"])
        #expect(negative.status != 0)
        #expect(negative.standardError.contains("--oracle-points must be 0 or more"))
    }

    /// A tree sum with a linear start from the command line: its listing (golden) names the start's terms,
    /// which `--json` counts, and the start counts as one of --max-leaves; a saved sum emits the same C.
    @Test func linearStartsAreListedCountedAndSaved() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let path = directory.appendingPathComponent("sum.json").path
        let saved = directory.appendingPathComponent("sum.surrogate.json").path
        let direct = directory.appendingPathComponent("direct.h").path
        let sum = try CommandRunner.run(["samples/friedman/model.json", "--data", "samples/friedman/train.csv", "--test", "samples/friedman/test.csv",
                                         "--surrogate", "tree-sum", "--leaf-model", "linear", "--max-leaves", "8", "--domain-points", "20000",
                                         "--json", path, "--save-surrogate", saved, "--c", direct])
        #expect(sum.status == 0, "\(sum.standardError)")
        try CommandRunner.expectGolden(sum.standardOutput, "friedman-tree-sum-linear.txt")
        let lines = sum.standardOutput.split(separator: "\n")
        let start = try #require(lines.first { $0.hasPrefix("# y starts at ") })
        let object = try Self.json(path)
        #expect(Self.number(object["size"]?["terms"]) == Double(start.components(separatedBy: " * ").count - 1))
        #expect(Self.number(object["size"]?["leaves"]) == Double(lines.filter { $0.hasPrefix("T") }.count + 1))
        #expect((Self.number(object["size"]?["leaves"]) ?? 99) <= 8)
        let header = directory.appendingPathComponent("emitted.h").path
        let emitted = try CommandRunner.run(["emit", saved, "--c", header])
        #expect(emitted.status == 0, "\(emitted.standardError)")
        #expect(try String(contentsOfFile: header, encoding: .utf8) == String(contentsOfFile: direct, encoding: .utf8))
    }

    /// A tree sum from the command line: its listing (golden), its size within --max-leaves, a saved sum
    /// emitted again as the same code; certification refuses it, and `certify --surrogate best` on a
    /// regression network picks among surrogates whose rules decide constants.
    @Test func treeSumsAreListedSavedAndKeptOutOfCertification() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let path = directory.appendingPathComponent("sum.json").path
        let saved = directory.appendingPathComponent("sum.surrogate.json").path
        let direct = directory.appendingPathComponent("direct.h").path
        let base = ["samples/diabetes/model.json", "--data", "samples/diabetes/train.csv", "--test", "samples/diabetes/test.csv",
                    "--surrogate", "tree-sum", "--max-leaves", "12", "--domain-points", "20000"]
        let sum = try CommandRunner.run(base + ["--json", path, "--save-surrogate", saved, "--c", direct])
        #expect(sum.status == 0, "\(sum.standardError)")
        try CommandRunner.expectGolden(sum.standardOutput, "diabetes-tree-sum.txt")
        let object = try Self.json(path)
        let leaves = Self.number(object["size"]?["leaves"]) ?? 0
        #expect(leaves >= 4 && leaves <= 12)
        #expect(Self.number(object["size"]?["rules"]) == leaves)
        #expect(sum.standardOutput.split(separator: "\n").filter { $0.hasPrefix("T") }.count == Int(leaves))
        let header = directory.appendingPathComponent("emitted.h").path
        let emitted = try CommandRunner.run(["emit", saved, "--c", header])
        #expect(emitted.status == 0, "\(emitted.standardError)")
        #expect(try String(contentsOfFile: header, encoding: .utf8) == String(contentsOfFile: direct, encoding: .utf8))

        let refused = try CommandRunner.run(["certify"] + base + ["--max-boxes", "1000"])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("--certify needs rules that predict a constant; a tree sum's rules each add to a score"))
        let certified = directory.appendingPathComponent("certified.json").path
        let best = try CommandRunner.run(["certify", "samples/diabetes/model.json", "--data", "samples/diabetes/train.csv",
                                          "--surrogate", "best", "--max-leaves", "8", "--tolerance", "30", "--max-boxes", "2000",
                                          "--json", certified])
        #expect(best.status == 0, "\(best.standardError)")
        guard case let .array(contest)? = try Self.json(certified)["contest"] else { Issue.record("no contest"); return }
        #expect(contest.count == 1)
        #expect(contest.first?["surrogate"] == .string("tree"))
    }
}
