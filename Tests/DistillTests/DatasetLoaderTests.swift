@testable import Distill
import Testing

struct DatasetLoaderTests {
    let network = try! Fixtures.decode(ModelDecoderTests.valid)

    func load(_ text: String, label: String? = nil) throws -> Dataset {
        let table = try CSVReader.parse(Array(text.utf8), file: "rows.csv")
        return try DatasetLoader.convert(table, file: "rows.csv", network: network, label: label)
    }

    @Test func columnsAreMatchedByNameAndCategoriesByValue() throws {
        let data = try load("c,extra,b,a,truth\ny,9,2.5,0.25,yes\nx,9,-1,1,0\n", label: "truth")
        #expect(data.rows == 2)
        #expect(data.values == [0.25, 2.5, 1, 1, -1, 0])
        #expect(data.labels == .classes([1, 0]))
        #expect(network.schema.encode(data.values, rows: 2) == [0.25, 2.5, 0, 1, 1, -1, 1, 0])
    }

    @Test func unknownCategoryNamesRowAndColumn() {
        let diagnostic = expectDiagnostic { _ = try load("a,b,c\n0,1,x\n0,1,z\n") }
        #expect(diagnostic?.description == "rows.csv: row 2 (line 3), column 3 'c': unknown category 'z'; expected one of: x, y")
    }

    @Test func nonNumericCell() {
        let diagnostic = expectDiagnostic { _ = try load("a,b,c\n0,abc,x\n") }
        #expect(diagnostic?.location == .csvCell(row: 1, line: 2, column: 2, name: "b"))
        #expect(diagnostic?.message == "'abc' is not a finite number; expected a number")
    }

    @Test func missingValue() {
        let diagnostic = expectDiagnostic { _ = try load("a,b,c\n0,1,x\n,1,x\n") }
        #expect(diagnostic?.location == .csvCell(row: 2, line: 3, column: 1, name: "a"))
        #expect(diagnostic?.message == "missing value; expected a number")
    }

    @Test func missingColumn() {
        let diagnostic = expectDiagnostic { _ = try load("a,c\n0,x\n") }
        #expect(diagnostic?.message.hasPrefix("missing column 'b' (the model's inputs[1])") == true)
    }

    @Test func unknownLabel() {
        let diagnostic = expectDiagnostic { _ = try load("a,b,c,y\n0,1,x,maybe\n", label: "y") }
        #expect(diagnostic?.location == .csvCell(row: 1, line: 2, column: 4, name: "y"))
        #expect(diagnostic?.message.hasPrefix("unknown class 'maybe'") == true)
    }

    @Test func missingLabelColumn() {
        let diagnostic = expectDiagnostic { _ = try load("a,b,c\n0,1,x\n", label: "y") }
        #expect(diagnostic?.message.hasPrefix("missing label column 'y'") == true)
    }

    @Test func domainSamplingNeedsMinAndMax() {
        let diagnostic = expectDiagnostic { _ = try DomainSampler(schema: network.schema, file: "model.json") }
        #expect(diagnostic?.location == .jsonPath("inputs[1]"))
        #expect(diagnostic?.message.contains("declares no min") == true)
    }

    @Test func domainSamplingStaysInsideTheDomainAndIsSeeded() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("penguins", "model.json"))
        let sampler = try DomainSampler(schema: network.schema, file: "model.json")
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7)
        let data = sampler.sample(rows: 500, generator: &first)
        #expect(data == sampler.sample(rows: 500, generator: &second))
        for (index, feature) in network.schema.features.enumerated() {
            let column = (0..<data.rows).map { data[$0, index] }
            switch feature.kind {
            case let .continuous(low, high): #expect(column.allSatisfy { $0 >= low! && $0 <= high! })
            case .binary: #expect(column.allSatisfy { $0 == 0 || $0 == 1 })
            case let .categorical(values): #expect(Set(column) == Set((0..<values.count).map(Double.init)))
            }
        }
    }

    @Test func splitIsSeededAndPartitionsTheRows() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample("iris", "train.csv"), network: network, label: "species")
        let parts = data.split(testFraction: 0.25, seed: 3)
        let (train, test) = (parts.train, parts.test)
        #expect(test.rows == 28 && train.rows == 84)
        let again = data.split(testFraction: 0.25, seed: 3)
        #expect(again.train == train && again.test == test)
        #expect(data.split(testFraction: 0.25, seed: 4).test != test)
    }
}
