#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The arrays of numbers in JSON text (flat, or arrays of flat arrays: weight matrices) and its long
/// plain strings (packed weights' base64), read before json-c parses the rest: numbers straight into
/// `[Double]`, strings straight into `String`. json-c makes one heap object per number (tens of bytes
/// each, most of a model file's parse time and memory) and scans and copies every string byte by byte.
///
/// Every array that is a well-formed JSON array of numbers, and every string of at least
/// `longString` printable ASCII characters without escapes, is replaced, in the text json-c parses, by
/// a placeholder string naming it; anything else (a malformed or mixed array, a number json-c would not read
/// as this reader does) is left in the text, so json-c parses it and reports its errors as before. The
/// values are the ones json-c gives: integers of up to 18 digits exactly (larger ones are left to json-c),
/// other numbers by `strtod` (correctly rounded; both read in the C locale distill runs in), non-finite
/// ones left to json-c, which rejects them.
struct PreparsedValues {
    /// The text json-c parses, in order: spans of the original and placeholders.
    enum Piece {
        case original(Range<Int>)
        /// A placeholder's bytes and the original offset of the array it stands for.
        case placeholder([UInt8], at: Int)
    }

    private(set) var pieces: [Piece] = []
    /// The values, by placeholder index: `.numbers`, `.array` of `.numbers`, or `.string`.
    private(set) var values: [JSONValue] = []

    /// Strings at least this long are read here (shorter ones are not worth a placeholder).
    static let longString = 4096

    /// How a placeholder starts: a JSON string beginning with an escaped NUL (`"\u0000`).
    private static let marker = Array("\"\\u0000".utf8)
    /// json-c's nesting limit (`JSONDocument.maximumDepth`): arrays nested deeper are left to json-c.
    private static let depthLimit = Int(JSONDocument.maximumDepth)

    /// Extracts the number arrays and long strings of `bytes`; nil when there are none (or the text holds
    /// the escape the placeholders use, so that no string of the document can be taken for one).
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard scan(bytes), !values.isEmpty else { return nil }
    }

    /// The value a placeholder string (as json-c decoded it: NUL, then the index) stands for.
    func value(forPlaceholder string: UnsafeRawBufferPointer) -> JSONValue? {
        guard string.count >= 2, string[0] == 0 else { return nil }
        var index = 0
        for byte in string.dropFirst() {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            index = index * 10 + Int(byte - 0x30)
        }
        return index < values.count ? values[index] : nil
    }

    /// The offset in the original text of byte `offset` of piece `piece`.
    func originalOffset(piece: Int, offset: Int) -> Int {
        switch pieces[piece] {
        case let .original(range): return range.lowerBound + offset
        case let .placeholder(_, at: start): return start
        }
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let count = bytes.count
        // Only values inside the top-level value are read here: what follows it is json-c's to judge.
        var index = 0, copied = 0, depth = 0
        scanning: while index < count {
            switch bytes[index] {
            case 0x22: // a string: skipped whole, escapes included; the placeholders' escape stops it all
                guard let (end, plain) = Self.endOfString(base, from: index + 1, count: count) else { return false }
                let length = end - index - 2
                if depth > 0, plain, length >= Self.longString, Self.isPrintableASCII(base + index + 1, count: length) {
                    let text = String(decoding: UnsafeBufferPointer(start: base + index + 1, count: length), as: UTF8.self)
                    replace(index..<end, by: .string(text), copied: &copied)
                }
                index = end
            case 0x7B: // {
                depth += 1
                index += 1
            case 0x5B: // [
                var reader = NumberReader(bytes: bytes, position: index)
                if depth > 0, let (value, levels) = reader.array(), depth + levels <= Self.depthLimit {
                    replace(index..<reader.position, by: value, copied: &copied)
                    index = reader.position
                } else {
                    depth += 1
                    index += 1
                }
            case 0x5D, 0x7D: // ] }
                depth -= 1
                index += 1
                if depth <= 0 { break scanning }
            default:
                index += 1
            }
        }
        if copied < count { pieces.append(.original(copied..<count)) }
        return true
    }

    /// Puts a placeholder for `value` where `span` was; `copied` is where the original text resumes.
    private mutating func replace(_ span: Range<Int>, by value: JSONValue, copied: inout Int) {
        if copied < span.lowerBound { pieces.append(.original(copied..<span.lowerBound)) }
        pieces.append(.placeholder(Self.marker + Array(String(values.count).utf8) + [0x22], at: span.lowerBound))
        values.append(value)
        copied = span.upperBound
    }

    /// Whether every byte is in 0x20...0x7E.
    private static func isPrintableASCII(_ start: UnsafePointer<UInt8>, count: Int) -> Bool {
        var outside: UInt8 = 0
        for index in 0..<count { outside |= (start[index] &- 0x20) | (start[index] &+ 1) }
        return outside & 0x80 == 0
    }

    /// The offset after the closing quote of the string whose text starts at `start` (the end of the
    /// text if it is not closed: then not plain), and whether it is plain (closed, without escapes); nil
    /// if it holds the escape `\u0000`.
    private static func endOfString(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> (Int, plain: Bool)? {
        var index = start
        var plain = true
        while index < count {
            guard let quote = memchr(base + index, 0x22, count - index) else { return (count, false) }
            let close = UnsafePointer<UInt8>(quote.assumingMemoryBound(to: UInt8.self)) - base
            guard let slash = memchr(base + index, 0x5C, close - index) else { return (close + 1, plain) }
            let escape = UnsafePointer<UInt8>(slash.assumingMemoryBound(to: UInt8.self)) - base
            if escape + 5 < count, base[escape + 1] == 0x75, base[escape + 2] == 0x30, base[escape + 3] == 0x30,
               base[escape + 4] == 0x30, base[escape + 5] == 0x30 { return nil }
            plain = false
            index = escape + 2
        }
        return (count, false)
    }
}

/// Reads one JSON array of numbers, or of arrays of numbers, at a position of the text.
private struct NumberReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int

    /// The array starting at `position` (a `[`) and its nesting levels; `position` then follows it.
    /// Nil when it is anything else.
    mutating func array() -> (JSONValue, Int)? {
        position += 1
        skipSpace()
        guard position < bytes.count else { return nil }
        if bytes[position] != 0x5B {
            guard let numbers = restOfFlat() else { return nil }
            return (.numbers(numbers), 1)
        }
        var rows: [JSONValue] = []
        while true {
            guard position < bytes.count, bytes[position] == 0x5B else { return nil }
            position += 1
            skipSpace()
            guard let row = restOfFlat() else { return nil }
            rows.append(.numbers(row))
            skipSpace()
            guard position < bytes.count else { return nil }
            if bytes[position] == 0x5D {
                position += 1
                return (.array(rows), 2)
            }
            guard bytes[position] == 0x2C else { return nil }
            position += 1
            skipSpace()
        }
    }

    /// The numbers of a flat array after its `[` and white space, through its `]`.
    private mutating func restOfFlat() -> [Double]? {
        var numbers: [Double] = []
        guard position < bytes.count else { return nil }
        if bytes[position] == 0x5D {
            position += 1
            return numbers
        }
        while true {
            guard let number = number() else { return nil }
            numbers.append(number)
            skipSpace()
            guard position < bytes.count else { return nil }
            if bytes[position] == 0x5D {
                position += 1
                return numbers
            }
            guard bytes[position] == 0x2C else { return nil }
            position += 1
            skipSpace()
        }
    }

    private mutating func skipSpace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// One number; integers as json-c reads them (exactly, -0 as 0), and longer than 18 digits left to it.
    private mutating func number() -> Double? {
        guard let base = bytes.baseAddress,
              let (value, length, isInteger) = DecimalParser.parse(base + position, end: base + bytes.count),
              value.isFinite else { return nil }
        if isInteger {
            let digits = bytes[position] == 0x2D ? length - 1 : length
            guard digits <= 18 else { return nil }
            position += length
            return value == 0 ? 0 : value
        }
        position += length
        return value
    }
}
