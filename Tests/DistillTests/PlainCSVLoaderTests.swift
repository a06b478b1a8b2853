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

    /// Parsed straight into two parts, the rows are those of the whole file split afterwards, for any
    /// piece size, with and without labels, for classification and regression.
    @Test(arguments: [1, 7, 64, 1000, 1 << 22])
    func partsAreTheRowsOfTheWholeFileSplit(pieceBytes: Int) throws {
        for (sample, label) in [("penguins", "species"), ("diabetes", "progression")] {
            let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
            let path = Fixtures.sample(sample, "train.csv")
            for label in [label, nil] {
                let whole = try generalFile(path, network: network, label: label)
                let expected = whole.split(testFraction: 0.3, seed: 11)
                var asked: Int?
                let parts = try #require(try FileInput.withContents(path: path, limited: false) { bytes, mapped in
                    PlainCSVLoader.loadParts(bytes, network: network, label: label, pieceBytes: pieceBytes, releasePages: mapped, check: { _ in }) { rows in
                        asked = rows
                        return Dataset.heldOut(rows: rows, testFraction: 0.3, seed: 11)
                    }
                })
                #expect(asked == whole.rows)
                #expect(parts.first == expected.train)
                #expect(parts.second == expected.test)
                #expect(parts.first.rows + parts.second.rows == whole.rows && parts.second.rows == Int((Double(whole.rows) * 0.3).rounded(.up)))
            }
        }
        // Blank lines are not rows: the flags are indexed by rows, not lines.
        let text = "a,b,c,y\n\n0,1,x,yes\r\n\r\n1,2,y,no\n\n0.5,3,x,1\n2,4,x,0\n"
        let flags = [false, true, false, true]
        let parts = try #require(Array(text.utf8).withUnsafeBufferPointer {
            PlainCSVLoader.loadParts($0, network: network, label: "y", pieceBytes: pieceBytes, check: { _ in }) { rows in rows == 4 ? flags : nil }
        })
        let expected = try general(text, label: "y").partitioned(by: flags)
        #expect(parts.first == expected.unflagged && parts.second == expected.flagged)
        #expect(parts.second.values == [1, 2, 1, 2, 4, 0] && parts.second.labels == .classes([0, 0]))
    }

    /// The split of `TrainingData` is the seeded split of the whole file, whichever path reads it.
    @Test func trainingDataSplitsTheFileAsDatasetSplitDoes() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let path = Fixtures.sample("iris", "train.csv")
        let options = TrainingData.Options(dataPath: path, label: "species", testFraction: 0.2, seed: 5)
        let data = try TrainingData.prepare(network: network, modelPath: "model.json", options: options)
        var generator = SeededGenerator(seed: 5)
        let expected = try generalFile(path, network: network, label: "species").split(testFraction: 0.2, seed: generator.next())
        #expect(data.train == expected.train && data.test == expected.test)
        #expect(data.trainSource == RowSource(rows: expected.train.rows, of: expected.train.rows + expected.test.rows, origin: .file(path)))
        #expect(data.testSource == RowSource(rows: expected.test.rows, origin: .file(path),
                                             split: RowSource.Split(fraction: 0.2, seed: 5, whole: expected.train.rows + expected.test.rows)))
    }

    @Test func byteOrderMarkCRLFBlankLinesAndSpacesAreReadAlike() throws {
        let text = "\u{FEFF}c,extra,b,a,truth\r\n y ,9,\t2.5,0.25 , yes\r\n\r\nx,,-1,1e0,0\r\n\n"
        let fast = plain(text, label: "truth")
        #expect(fast == (try general(text, label: "truth")))
        #expect(fast?.values == [0.25, 2.5, 1, 1, -1, 0])
        #expect(fast?.labels == .classes([1, 0]))
    }

    /// Quoted fields on one line (every field quoted as R's `write.csv` and spreadsheets write them, or
    /// some) take the fast path and give the general path's values, for any piece size.
    @Test(arguments: [1, 7, 64, 1 << 22])
    func quotedFieldsOnOneLineAreReadAsTheGeneralPathReadsThem(pieceBytes: Int) throws {
        for (sample, label) in [("penguins", "species"), ("wage", "wage_band")] {
            let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
            let source = try String(contentsOfFile: Fixtures.sample(sample, "train.csv"), encoding: .utf8)
            let quoted = source.split(separator: "\n").enumerated().map { index, line in
                line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                    .map { column, field in (index + column) % 3 == 0 ? String(field) : "\"\(field)\"" }.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
            #expect(quoted.contains("\""))
            let fast = Array(quoted.utf8).withUnsafeBufferPointer {
                PlainCSVLoader.load($0, network: network, label: label, pieceBytes: pieceBytes)
            }
            #expect(fast != nil, "\(sample) should take the fast path")
            #expect(fast == (try general(quoted, network: network, label: label)))
            #expect(fast == (try generalFile(Fixtures.sample(sample, "train.csv"), network: network, label: label)))
        }
        let text = "\"a\",\"b \"\"2\"\"\",c,y\r\n\" 0.5 \",1,\"x\",\"yes\"\r\n\"\",\n1,\"2\",y,no\n"
        let network = try Fixtures.decode(ModelDecoderTests.valid.replacingOccurrences(of: "\"name\": \"b\"", with: "\"name\": \"b \\\"2\\\"\""))
        let fast = Array(text.utf8).withUnsafeBufferPointer { PlainCSVLoader.load($0, network: network, label: "y", pieceBytes: pieceBytes) }
        #expect(fast == nil, "a line that is one empty quoted field goes to the general path")
        let kept = text.replacingOccurrences(of: "\"\",\n", with: "")
        let read = Array(kept.utf8).withUnsafeBufferPointer { PlainCSVLoader.load($0, network: network, label: "y", pieceBytes: pieceBytes) }
        #expect(read == (try general(kept, network: network, label: "y")))
        #expect(read?.values == [0.5, 1, 0, 1, 2, 1])
        // Doubled quotes in a column nobody reads are fine.
        let extra = "a,\"b \"\"2\"\"\",c,note\n0,1,x,\"say \"\"hi\"\", twice\"\n"
        let withNote = Array(extra.utf8).withUnsafeBufferPointer { PlainCSVLoader.load($0, network: network, label: nil, pieceBytes: pieceBytes) }
        #expect(withNote != nil)
        #expect(withNote == (try general(extra, network: network)))
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
        "a,b,c\n\"0\n\",1,x\n",        // a quoted line break
        "a,b,c\n\"0\" ,1,x\n",         // text after a closing quote: the general path's diagnostic
        "a,b,c\n0\"1,1,x\n",           // a quote inside an unquoted field: the same
        "a,b,c\n \"0\",1,x\n",         // a quote after a space: the same
        "a,b,c\n\"\"\n0,1,x\n",         // a line of one empty quoted field, which the general path drops
        "a,b,c\n0,1,\"x\"\"\"\n",        // a doubled quote inside a value
        "a,b,c\n\"0,1,x\n",            // an unterminated quote
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
