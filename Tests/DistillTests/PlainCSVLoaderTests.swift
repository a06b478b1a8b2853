@testable import Distill
import Foundation
import Testing

/// The fast CSV path must give exactly the general path's `Dataset` on every file it accepts, and decline
/// (nil) every file the general path would read differently or reject, so that path's diagnostics stand.
struct PlainCSVLoaderTests {
    let network = try! Fixtures.decode(ModelDecoderTests.valid)

    func plain(_ text: String, network: Network? = nil, label: String? = nil) -> Dataset? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { PlainCSVLoader.load($0, network: network ?? self.network, label: label) }
    }

    func general(_ text: String, network: Network? = nil, label: String? = nil) throws -> Dataset {
        let table = try CSVReader.parse(Array(text.utf8), file: "rows.csv")
        return try DatasetLoader.convert(table, file: "rows.csv", network: network ?? self.network, label: label)
    }

    func generalFile(_ path: String, network: Network, label: String?) throws -> Dataset {
        try DatasetLoader.convert(try CSVReader.read(path: path), file: path, network: network, label: label)
    }

    func plainFile(_ path: String, network: Network, label: String?) throws -> Dataset? {
        try FileInput.withContents(path: path) { PlainCSVLoader.load($0, network: network, label: label) }
    }

    @Test(arguments: [("penguins", "species"), ("iris", "species"), ("breast_cancer", "diagnosis"),
                      ("checkerboard", "cell"), ("diabetes", "progression")])
    func samplesReadAsTheGeneralPathReadsThem(sample: String, label: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        for file in ["train.csv", "test.csv"] {
            let path = Fixtures.sample(sample, file)
            let fast = try plainFile(path, network: network, label: label)
            #expect(fast != nil, "\(sample)/\(file) should take the fast path")
            #expect(fast == (try generalFile(path, network: network, label: label)))
            #expect(try plainFile(path, network: network, label: nil) == (try generalFile(path, network: network, label: nil)))
        }
    }

    @Test(arguments: ["classifier", "binary", "all_layers", "packed32", "packed64"])
    func fixturesReadAsTheGeneralPathReadsThem(name: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.fixture("layers/\(name).json"))
        let path = Fixtures.fixture("layers/\(name)_inputs.csv")
        let fast = try plainFile(path, network: network, label: nil)
        #expect(fast != nil)
        #expect(fast == (try generalFile(path, network: network, label: nil)))
    }

    @Test(arguments: [1, 7, 64, 1000])
    func piecesOfAnySizeJoinToTheSameRows(pieceBytes: Int) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("penguins", "model.json"))
        let path = Fixtures.sample("penguins", "train.csv")
        let pieces = try FileInput.withContents(path: path) {
            PlainCSVLoader.load($0, network: network, label: "species", pieceBytes: pieceBytes)
        }
        #expect(pieces == (try generalFile(path, network: network, label: "species")))
        let crlf = "a,b,c,y\r\n0,1,x,yes\r\n\r\n1,2,y,no\r\n0.5,3,x,1"
        let fast = Array(crlf.utf8).withUnsafeBufferPointer { PlainCSVLoader.load($0, network: self.network, label: "y", pieceBytes: pieceBytes) }
        #expect(fast == (try general(crlf, label: "y")))
        #expect(fast?.rows == 3)
    }

    @Test func byteOrderMarkCRLFBlankLinesAndSpacesAreReadAlike() throws {
        let text = "\u{FEFF}c,extra,b,a,truth\r\n y ,9,\t2.5,0.25 , yes\r\n\r\nx,,-1,1e0,0\r\n\n"
        let fast = plain(text, label: "truth")
        #expect(fast == (try general(text, label: "truth")))
        #expect(fast?.values == [0.25, 2.5, 1, 1, -1, 0])
        #expect(fast?.labels == .classes([1, 0]))
    }

    @Test func numbersAreTheValuesSwiftParses() throws {
        let cells = ["0.1", "-0", "1e-310", "2.2250738585072014e-308", "123456789012345678901234567890",
                     "0.30000000000000004", "4.9406564584124654e-324", "-17.25E+2", "9007199254740993"]
        var text = "a,b,c\n"
        for cell in cells { text += "\(cell),1,x\n" }
        let fast = try #require(plain(text))
        #expect(fast == (try general(text)))
        #expect((0..<cells.count).map { fast[$0, 0].bitPattern } == cells.map { Double($0)!.bitPattern })
    }

    @Test(arguments: [
        "a,b,c\n\"0\",1,x\n",          // a quote: the CSV table unquotes
        "a,b,c\n+1,1,x\n",             // accepted by Double(String), not by JSON's grammar
        "a,b,c\n.5,1,x\n",
        "a,b,c\nnan,1,x\n",            // a missing value: the general path's diagnostic
        "a,b,c\n0,1,NA\n",
        "a,b,c\n0,1,z\n",              // unknown category
        "a,b,c\n,1,x\n",               // empty cell
        "a,a,b,c\n0,0,1,x\n",          // duplicate header name
        "a,b,c\r0,1,x\r",              // old-Mac line ends
        "a,b,c\n0,1\n",                // short row
        "a,b,c\n0,1,x,9\n",            // long row
        "a,b,c\n",                     // no data rows
        "a,c\n0,x\n",                  // missing column
    ])
    func filesTheGeneralPathReadsDifferentlyAreDeclined(text: String) {
        #expect(plain(text) == nil)
    }

    @Test func labelsTheGeneralPathRejectsAreDeclined() throws {
        #expect(plain("a,b,c,y\n0,1,x,maybe\n", label: "y") == nil)
        #expect(plain("a,b,c,y\n0,1,x,2.5\n", label: "y") == nil)
        #expect(plain("a,b,c\n0,1,x\n", label: "y") == nil)
        let byIndex = "a,b,c,y\n0,1,x,1\n0,1,x,0.0\n"
        #expect(plain(byIndex, label: "y") == (try general(byIndex, label: "y")))
    }

    @Test func declinedFilesStillGetTheGeneralDiagnostic() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("rows.csv")
        try "a,b,c\n0,1,x\n0,1,z\n".write(to: url, atomically: true, encoding: .utf8)
        let diagnostic = expectDiagnostic { _ = try DatasetLoader.load(path: url.path, network: network, label: nil) }
        #expect(diagnostic?.location == .csvCell(row: 2, line: 3, column: 3, name: "c"))
    }
}
