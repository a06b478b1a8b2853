import Distill
import Foundation
import Testing

@Suite(.serialized)
struct CompareCommandTests {
    static let arguments = ["compare", "samples/iris/model.json", "--data", "samples/iris/train.csv", "--test", "samples/iris/test.csv",
                            "--label", "species"]

    @Test func tableAndJSONMatchTheGoldenFilesAndSeparateRuns() throws {
        let directory = try CommandRunner.temporaryDirectory()
        let json = directory.appendingPathComponent("c.json").path, html = directory.appendingPathComponent("r.html").path
        let plot = directory.appendingPathComponent("p.svg").path
        let csv = directory.appendingPathComponent("c.csv").path
        let result = try CommandRunner.run(Self.arguments + ["--json", json, "--csv", csv, "--report", html, "--plot", plot])
        #expect(result.status == 0, "\(result.standardError)")
        try CommandRunner.expectGolden(result.standardOutput, "iris-compare.txt")
        // Without --timing the files hold no seconds: a second run writes the same bytes.
        let text = try String(contentsOf: URL(fileURLWithPath: json), encoding: .utf8)
        let csvText = try String(contentsOf: URL(fileURLWithPath: csv), encoding: .utf8)
        #expect(!text.contains("seconds") && !csvText.contains("seconds"))
        try CommandRunner.expectGolden(text, "iris-compare.json")
        let again = try CommandRunner.run(Self.arguments + ["--json", json, "--csv", csv])
        #expect(again.status == 0 && again.standardOutput == result.standardOutput)
        #expect(try String(contentsOf: URL(fileURLWithPath: json), encoding: .utf8) == text)
        #expect(try String(contentsOf: URL(fileURLWithPath: csv), encoding: .utf8) == csvText)
        // With --timing each row has its seconds.
        let timed = try CommandRunner.run(Self.arguments + ["--quick", "--timing", "--json", json, "--csv", csv])
        #expect(timed.status == 0)
        let timedCSV = try String(contentsOf: URL(fileURLWithPath: csv), encoding: .utf8).split(separator: "\n")
        #expect(timedCSV[0].hasSuffix(",pareto,seconds") && timedCSV.dropFirst().allSatisfy { Double($0.split(separator: ",").last ?? "") != nil })
        #expect(try String(contentsOf: URL(fileURLWithPath: json), encoding: .utf8).contains("\"seconds\": "))
        // A row agrees with a separate extraction at the same setting.
        let single = directory.appendingPathComponent("one.json").path
        let run = try CommandRunner.run(["samples/iris/model.json", "--data", "samples/iris/train.csv", "--test", "samples/iris/test.csv",
                                         "--label", "species", "--max-leaves", "4", "--json", single, "-o", "/dev/null"])
        #expect(run.status == 0)
        let one = try JSONDocument.parse(Array(Data(contentsOf: URL(fileURLWithPath: single))), file: single)
        let sweep = try JSONDocument.parse(Array(text.utf8), file: json)
        guard case let .array(rows)? = sweep["rows"] else { Issue.record("no rows"); return }
        let row = try #require(rows.first { $0["kind"] == .string("tree") && $0["setting"] == .string("max-leaves=4") })
        #expect(row["fidelity"] == one["fidelity"])
        #expect(row["conditions"] == one["size"]?["conditions"])
        let page = try String(contentsOf: URL(fileURLWithPath: html), encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg") && page.contains("<table>"))
        #expect(!page.contains("<script") && !page.contains("src=\"http"))
        // The comparison table has a heading over every cell of every row.
        let table = try #require(page.range(of: "<table><tr><th>kind"))
        let tableText = page[table.lowerBound...].split(separator: "</table>").first.map(String.init) ?? ""
        let lines = tableText.split(separator: "\n")
        let headings = lines.first?.components(separatedBy: "<th>").count ?? 0
        for line in lines.dropFirst() where line.hasPrefix("<tr") {
            #expect(line.components(separatedBy: "<td>").count == headings)
        }
        #expect(tableText.contains("<th>domain fidelity</th>"))
    }
}
