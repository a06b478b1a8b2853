import Foundation
import Testing

/// The bad-input corpus (BadInputs/, written by make_bad_inputs.py, with fuzz findings kept as found):
/// every file is refused with its exit status and a message that names the file, the place and what was
/// expected; none crashes, and none runs past the deadline.
struct BadInputCorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var runner: String
        var status: Int32
        var fragment: String
        var testDescription: String { file }
    }

    static let folder = "Tests/CLITests/BadInputs"

    static let cases: [Case] = {
        let url = CommandRunner.repositoryRoot.appendingPathComponent("\(folder)/cases.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(file: fields[0], runner: fields[1], status: Int32(fields[2]) ?? -1, fragment: fields[3])
        }
    }()

    /// How each kind of file is given to distill.
    static func arguments(_ item: Case, output: URL) -> [String] {
        let path = "\(folder)/\(item.file)"
        switch item.runner {
        case "surrogate": return ["emit", path, "--swift", output.appendingPathComponent("Out.swift").path]
        case "csv": return ["samples/penguins/model.json", "--data", path, "--label", "species",
                            "-o", output.appendingPathComponent("rules.txt").path]
        default: return ["inspect", path]
        }
    }

    @Test func theCorpusIsLargeAndCoversEveryFrontEnd() {
        #expect(Self.cases.count >= 60)
        #expect(Set(Self.cases.map(\.runner)) == ["model", "surrogate", "csv", "onnx"])
        let files = (try? FileManager.default.contentsOfDirectory(atPath: CommandRunner.repositoryRoot.appendingPathComponent(Self.folder).path)) ?? []
        #expect(Set(Self.cases.map(\.file)).isSubset(of: Set(files)))
    }

    @Test(arguments: cases)
    func isRefusedWithItsPlaceAndStatus(_ item: Case) throws {
        let output = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try CommandRunner.run(Self.arguments(item, output: output), timeout: 60)
        #expect(!result.timedOut, "still running after 60 s")
        #expect(result.status == item.status, "\(result.standardError)")
        #expect(result.standardError.contains("\(Self.folder)/\(item.file)"), "does not name the file: \(result.standardError)")
        #expect(result.standardError.contains(item.fragment), "expected '\(item.fragment)' in: \(result.standardError)")
        #expect(!result.standardError.contains("Fatal error") && !result.standardError.contains("Backtrace")
                && !result.standardError.contains("Sanitizer"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty, "left an output behind")
    }
}
