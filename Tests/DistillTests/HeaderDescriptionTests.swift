@testable import Distill
import Foundation
import Testing

/// A missing column's diagnostic names the header briefly and the name the user probably meant.
struct HeaderDescriptionTests {
    @Test func shortHeadersAreListedWhole() {
        #expect(HeaderDescription.describe(["a", "b", "c"], missing: "x") == "the header has: a, b, c")
    }

    @Test func longHeadersShowTheirCountAndEnds() {
        let header = (0..<785).map { "p\($0)" }
        #expect(HeaderDescription.describe(header, missing: "label")
            == "the header has 785 columns: p0, p1, p2, p3, p4, p5, p6, p7, ..., p783, p784")
    }

    @Test func aCloseNameIsSuggested() {
        // Case and spaces first, wherever they stand; then within two edits (worked out by hand).
        #expect(HeaderDescription.closest(to: "label", in: ["lable", "x", " Label "]) == " Label ")
        #expect(HeaderDescription.closest(to: "species", in: ["x", "specie", "y"]) == "specie")
        #expect(HeaderDescription.closest(to: "species", in: ["spices"]) == "spices")
        #expect(HeaderDescription.closest(to: "species", in: ["spice"]) == nil)  // three edits
        #expect(HeaderDescription.closest(to: "age", in: ["ago"]) == nil)  // too short to guess
        // The nearest, not the first; one edit only for names of 4 or 5 characters.
        #expect(HeaderDescription.closest(to: "species", in: ["spices", "specie"]) == "specie")
        #expect(HeaderDescription.closest(to: "label", in: ["lable", "labels"]) == "labels")
        #expect(HeaderDescription.closest(to: "label", in: ["lable"]) == nil)
        #expect(HeaderDescription.describe(["sepal", "Species"], missing: "species")
            == "the header has: sepal, Species; did you mean 'Species'?")
    }

    @Test func aColumnAnotherInputReadsIsNeverSuggested() {
        // "sepal width (cm)" is two edits from "petal width (cm)", but the model reads it already.
        let header = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)"]
        #expect(HeaderDescription.describe(header, missing: "petal width (cm)").hasSuffix("did you mean 'sepal width (cm)'?"))
        #expect(HeaderDescription.describe(header, missing: "petal width (cm)", taken: Set(header)) == "the header has: " + header.joined(separator: ", "))
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        func distance(_ a: String, _ b: String) -> Int { HeaderDescription.editDistance(Array(a), Array(b)) }
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("", "abc") == 3)
        #expect(distance("flaw", "lawn") == 2)
        #expect(distance("same", "same") == 0)
    }

    @Test func theLoaderUsesIt() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let header = network.schema.features.map(\.name) + ["Species"]
        let file = directory.appendingPathComponent("rows.csv")
        try (header.joined(separator: ",") + "\n" + Array(repeating: "1", count: header.count).joined(separator: ",") + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let diagnostic = expectDiagnostic { _ = try DatasetLoader.load(path: file.path, network: network, label: "species") }
        #expect(diagnostic?.message.contains("did you mean 'Species'?") == true, "\(String(describing: diagnostic))")
        // An input's column left out: the other inputs' columns are not offered for it.
        let inputs = network.schema.features.map(\.name)
        let partial = directory.appendingPathComponent("partial.csv")
        try (inputs.dropLast().joined(separator: ",") + "\n" + Array(repeating: "1", count: inputs.count - 1).joined(separator: ",") + "\n")
            .write(to: partial, atomically: true, encoding: .utf8)
        let missing = expectDiagnostic { _ = try DatasetLoader.load(path: partial.path, network: network, label: nil) }
        #expect(missing?.message.contains("missing column '\(inputs.last!)'") == true, "\(String(describing: missing))")
        #expect(missing?.message.contains("did you mean") == false, "\(String(describing: missing))")
    }
}
