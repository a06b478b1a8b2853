import Distill
import Foundation
import Testing

/// Paths to the repository's samples and test fixtures.
enum Fixtures {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample(_ name: String, _ file: String) -> String {
        repositoryRoot.appendingPathComponent("samples/\(name)/\(file)").path
    }

    static func fixture(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/DistillTests/Fixtures/\(relative)").path
    }

    static let classificationSamples = ["iris", "breast_cancer", "penguins"]
    static let allSamples = classificationSamples + ["diabetes"]
    /// The samples that make surrogates work hard (10 classes over 64 pixels; binary and categorical
    /// survey answers with a noisy target; an additive regression target), checked where the tests are cheap.
    static let hardSamples = ["digits", "wage", "friedman"]

    /// A numeric CSV (header + rows) read as row-major Doubles, with non-numeric columns dropped.
    static func numericTable(_ path: String) throws -> (header: [String], rows: [[Double]], text: [[String]]) {
        let table = try CSVReader.read(path: path)
        return (table.header, table.rows.map { $0.map { Double($0) ?? .nan } }, table.rows)
    }

    /// Decodes a model from JSON text (for malformed-model tests).
    static func decode(_ text: String, file: String = "model.json") throws -> Network {
        try ModelDecoder.decode(Array(text.utf8), file: file)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("distill-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Expects `body` to throw a `Diagnostic` and returns it.
func expectDiagnostic(sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> Diagnostic? {
    do {
        try body()
        Issue.record("expected a diagnostic, nothing was thrown", sourceLocation: sourceLocation)
    } catch let diagnostic as Diagnostic {
        return diagnostic
    } catch {
        Issue.record("expected a Diagnostic, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
