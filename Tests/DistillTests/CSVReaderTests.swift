@testable import Distill
import Testing

struct CSVReaderTests {
    func parse(_ text: String) throws -> CSVTable { try CSVReader.parse(Array(text.utf8), file: "data.csv") }

    @Test func quotedFieldsFollowRFC4180() throws {
        let table = try parse("name,\"note, with comma\"\r\n\"a \"\"b\"\"\",\"two\nlines\"\r\nc,\r\n")
        #expect(table.header == ["name", "note, with comma"])
        #expect(table.rows == [["a \"b\"", "two\nlines"], ["c", ""]])
        #expect(table.lines == [2, 4])
    }

    @Test func byteOrderMarkAndMissingFinalNewline() throws {
        let table = try parse("\u{FEFF}x,y\n1,2")
        #expect(table.header == ["x", "y"])
        #expect(table.rows == [["1", "2"]])
    }

    @Test func wrongFieldCountNamesTheLine() {
        let diagnostic = expectDiagnostic { _ = try parse("x,y\n1,2\n3\n") }
        #expect(diagnostic?.description == "data.csv: line 3: expected 2 fields as in the header, found 1")
    }

    @Test func unterminatedQuote() {
        let diagnostic = expectDiagnostic { _ = try parse("x,y\n1,\"2\n") }
        #expect(diagnostic?.location == .csvLine(2))
        #expect(diagnostic?.message.contains("unterminated quoted field") == true)
    }

    @Test func strayQuote() {
        let diagnostic = expectDiagnostic { _ = try parse("x,y\n1,2\"3\n") }
        #expect(diagnostic?.location == .csvLine(2))
    }

    @Test func duplicateHeader() {
        let diagnostic = expectDiagnostic { _ = try parse("x,x\n1,2\n") }
        #expect(diagnostic?.message == "duplicate column name 'x' in the header")
    }

    @Test func emptyFile() {
        let diagnostic = expectDiagnostic { _ = try parse("") }
        #expect(diagnostic?.message.contains("empty file") == true)
    }
}
