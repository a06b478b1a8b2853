@testable import Distill
import Foundation
import Testing

/// The model reader's own number and array parsing against what it replaces: `strtod` for every
/// number, json-c for every document (the same values, the same diagnostics at the same places), and
/// Foundation for base64.
struct JSONNumberTests {
    static func strtodBits(_ text: String) -> UInt64 {
        text.withCString { strtod($0, nil).bitPattern }
    }

    static func parsed(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            DecimalParser.parse(buffer.baseAddress!, end: buffer.baseAddress! + buffer.count).flatMap { $0.length == bytes.count ? $0.value : nil }
        }
    }

    /// Random doubles over every exponent, written the ways exporters write them (shortest round trip,
    /// 17 and 15 significant digits, 25 digits, which is past the fast paths), and hand-picked hard cases:
    /// bit-identical to strtod.
    @Test func numbersAreReadAsStrtodReadsThem() {
        var generator = SeededGenerator(seed: 77)
        var texts = ["0", "-0.0", "0.0", "1", "-1", "0.1", "1e23", "8.98846567431158e307", "1.7976931348623157e308",
                     "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9e-324", "5e-324", "1e-400", "2.5e-324",
                     "9007199254740993", "9007199254740993.0", "9007199254740992.5", "123456789012345678901234567890e-10",
                     "3.14159265358979323846264338327950288", "0.000001", "1E+2", "1e-7", "7.0e-10", "1.00000000000000011102230246251565404236316680908203125",
                     "2.00000000000000044408920985006261616945266723632812500000001", "4503599627370496.5", "4503599627370497.5",
                     "1448997445238699", "0.3e1", "-1.5e-5", "6.02214076e23", "1.602176634e-19", "99999999999999999999e-2"]
        for _ in 0..<40_000 {
            var value: Double
            repeat { value = Double(bitPattern: generator.next()) } while !value.isFinite
            texts += ["\(value)", String(format: "%.17g", value), String(format: "%.15e", value), String(format: "%.25e", value)]
            let weight = (generator.nextUnit() - 0.5) * 4
            texts += ["\(weight)", String(format: "%.17g", weight)]
        }
        // Digit runs of every length, zeros inside and in front, across the eight-at-a-time path.
        for _ in 0..<20_000 {
            let digits = String((0..<Int(generator.next() % 26 + 1)).map { _ in
                Character(String(generator.next() % 3 == 0 ? 0 : generator.next() % 10))
            })
            let cut = Int(generator.next() % UInt64(digits.count + 1))
            let whole = digits.drop(while: { $0 == "0" }).isEmpty ? "1" + digits : String(digits.drop(while: { $0 == "0" }))
            texts += [whole, "0.\(digits)", "-0.000\(digits)", "\(whole.prefix(max(cut, 1))).\(digits)e-3", "\(whole)e\(cut)"]
        }
        var mismatches: [String] = []
        for text in texts where Self.parsed(text)?.bitPattern != Self.strtodBits(text) { mismatches.append(text) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// Eight digits at once: the digit values where all eight bytes are digits, nil where any is not.
    @Test func eightDigitsAtOnceAreTheDigitsOneByOne() {
        var generator = SeededGenerator(seed: 8)
        for trial in 0..<50_000 {
            var bytes = (0..<8).map { _ in UInt8(0x30 + generator.next() % 10) }
            if trial % 2 == 1 { bytes[Int(generator.next() % 8)] = UInt8(truncatingIfNeeded: generator.next()) }
            let expected: UInt64? = bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                ? bytes.reduce(0) { $0 * 10 + UInt64($1 - 0x30) } : nil
            #expect(bytes.withUnsafeBufferPointer { DecimalParser.eightDigits($0.baseAddress!) } == expected, "\(bytes)")
        }
    }

    /// The fast paths answer (rather than handing every number to strtod): for weight-like numbers of
    /// 17 digits Eisel-Lemire settles all but a rare few, and each answer is strtod's.
    @Test func eiselLemireSettlesTypicalWeights() {
        var generator = SeededGenerator(seed: 5)
        var settled = 0
        let trials = 20_000
        for _ in 0..<trials {
            let text = String(format: "%.16e", (generator.nextUnit() - 0.5) * 2)
            let mantissa = UInt64(text.replacingOccurrences(of: "-", with: "").prefix(18).replacingOccurrences(of: ".", with: ""))!
            let exponent = Int(text.split(separator: "e")[1])! - 16
            if let value = DecimalParser.nearest(mantissa, exponent: exponent, negative: text.hasPrefix("-")) {
                settled += 1
                #expect(value.bitPattern == Self.strtodBits(text), "\(text)")
            }
        }
        #expect(settled >= trials * 99 / 100)
    }

    @Test func textsThatAreNotJSONNumbersAreRefused() {
        for text in ["", "-", "01", "1.", ".5", "+1", "1e", "1e+", "-.5", "0x10", "inf", "NaN"] {
            let value = Self.parsed(text)
            #expect(value == nil, "'\(text)' read as \(String(describing: value))")
        }
    }

    /// Documents parsed with the number arrays and long strings read beforehand, and entirely by json-c.
    static func bothWays(_ text: String) -> (Result<JSONValue, Diagnostic>, Result<JSONValue, Diagnostic>) {
        let bytes = Array(text.utf8)
        func parse(_ preparse: Bool) -> Result<JSONValue, Diagnostic> {
            do {
                return .success(try bytes.withUnsafeBufferPointer { try JSONDocument.parse(buffer: $0, file: "m.json", preparse: preparse) })
            } catch let diagnostic as Diagnostic {
                return .failure(diagnostic)
            } catch {
                return .failure(Diagnostic("unexpected \(error)"))
            }
        }
        return (parse(true), parse(false))
    }

    @Test func documentsReadAsJSONCReadsThem() throws {
        let long = String(repeating: "AAECAwQFBgcICQoLDA0ODw==", count: 300)
        var documents = [
            #"{"a": [1, 2.5, -0, -0.0, 1e5, 123456789012345678, 1234567890123456789], "b": [[1, 2], [3.25, -4e-3], []], "c": []}"#,
            #"{"s": "[1, 2]", "t": "a \"quoted\" [3]", "u": ["x", 1], "v": [[1], [2, "y"]], "w": [[[1, 2]], [[3]]]}"#,
            "{\"base64\": \"\(long)\", \"short\": \"AAAA\", \"escaped\": \"\(long)\\n\", \"utf8\": \"naïve \(long)\"}",
            #"{"n": [ 1 ,2 , 3 ]  , "m":[[ 1,2 ],[3 ,4]] , "e": [1E2, 1e-2, 0.5E+1]}"#,
            #"{"nul": "\u0000", "a": [1, 2]}"#,
            #"[[1, 2], [3, 4]]"#, #"[1, 2, 3]"#, "  [ ]  ",
        ]
        for sample in Fixtures.allSamples { documents.append(try String(contentsOfFile: Fixtures.sample(sample, "model.json"), encoding: .utf8)) }
        for fixture in ["all_layers", "packed32", "packed64"] {
            documents.append(try String(contentsOfFile: Fixtures.fixture("layers/\(fixture).json"), encoding: .utf8))
        }
        for document in documents {
            let (fast, plain) = Self.bothWays(document)
            #expect(try fast.get() == plain.get(), "\(document.prefix(80))")
        }
    }

    /// Malformed documents: the same message at the same line and column either way.
    @Test func diagnosticsAreThoseOfJSONC() {
        let documents = [
            "{\"a\": [1, 2,, 3]}", "{\"a\": [1, 2] \"b\": 3}", "{\"a\": [[1, 2], [3, 4]]} x", "{\"a\": [1, 2",
            "{\"a\": [01, 2]}", "{\"a\": [1e999, 2]}", "{\"a\": [[1, 2], [3, 4], 5]}", "{\n  \"a\": [1, 2],\n  \"b\": [3, 4]\n} [5]",
            "{\"a\": [1, 2]}\n\n   {", "", "   ", "{\"a\": \"\(String(repeating: "A", count: 5000))", "[[1, 2], [3, 4]",
            "{\"a\": [1, 2], \"a\": [3]}", "{\"a\": [123456789012345678901234567890]}", "{\"a\": [-]}",
            "{\"a\": [1]} \"\(String(repeating: "A", count: 5000))\"", "[1, 2] [3]", "]", "{\"a\": [1, 2]]}",
        ]
        for document in documents {
            let (fast, plain) = Self.bothWays(document)
            switch (fast, plain) {
            case let (.failure(a), .failure(b)): #expect(a == b, "\(document)")
            case let (.success(a), .success(b)): #expect(a == b, "\(document)")
            default: Issue.record("only one way failed: \(document): \(fast) vs \(plain)")
            }
        }
    }

    @Test func base64MatchesFoundation() {
        var generator = SeededGenerator(seed: 3)
        for length in [0, 1, 2, 3, 4, 5, 31, 32, 33, 1000] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let text = Data(bytes).base64EncodedString()
            #expect(Base64.decode(text) == bytes)
            #expect(Base64.decode(text + "\n") == Data(base64Encoded: text + "\n", options: [.ignoreUnknownCharacters]).map { [UInt8]($0) })
            let broken = String(text.dropLast())
            #expect(Base64.decode(broken) == Data(base64Encoded: broken, options: [.ignoreUnknownCharacters]).map { [UInt8]($0) })
        }
        #expect(Base64.decode("AACAvg") == nil)
        #expect(Base64.decode("AACA\nvg==") == [0x00, 0x00, 0x80, 0xBE])
    }
}
