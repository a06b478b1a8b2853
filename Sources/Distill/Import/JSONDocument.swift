import CJSONC
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses JSON text with json-c (strict mode, bounded depth) into a `JSONValue`. The only file that
/// touches json-c: the C tree is converted at once and released. Arrays of numbers and long plain strings
/// are read beforehand by `PreparsedValues` (json-c sees a placeholder for each), which keeps large
/// weight matrices at eight bytes a number; positions in diagnostics are those of the original text.
public enum JSONDocument {
    /// Nesting limit handed to the tokener; the model format needs about six levels.
    public static let maximumDepth: Int32 = 64

    /// Parses `bytes`; `file` names the source in diagnostics.
    /// - Throws: `Diagnostic` with line:column for syntax errors and trailing data.
    public static func parse(_ bytes: [UInt8], file: String) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse(buffer: $0, file: file) }
    }

    /// Parses the bytes of `buffer` (a file's mapped contents, say); `preparse: false` leaves every value
    /// to json-c (for tests that compare the two).
    static func parse(buffer bytes: UnsafeBufferPointer<UInt8>, file: String, preparse: Bool = true) throws -> JSONValue {
        // A UTF-8 byte order mark is skipped (editors on Windows write one); UTF-16 is named as such.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try parse(buffer: UnsafeBufferPointer(rebasing: bytes[3...]), file: file, preparse: preparse)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
            || (bytes.count >= 2 && (bytes[0] == 0) != (bytes[1] == 0)) {
            throw Diagnostic(file: file, "is UTF-16 (or UTF-32) text; distill reads JSON as UTF-8: save the file as UTF-8")
        }
        // json-c would stop at a NUL byte and call the text incomplete.
        if let base = bytes.baseAddress, let found = memchr(base, 0, bytes.count) {
            let nul = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
            let line = bytes[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let column = nul - (bytes[..<nul].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            throw Diagnostic(file: file, at: .lineColumn(line: line, column: column),
                             "a NUL byte (0x00): expected JSON text, and this looks binary (an ONNX model is read as such when its name ends in .onnx)")
        }
        guard let tokener = json_tokener_new_ex(maximumDepth) else {
            throw Diagnostic(file: file, "could not create a JSON parser")
        }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT))

        // json-c reads the text piece by piece: spans of the original, and a placeholder for each array
        // of numbers or long string read beforehand.
        let preparsed = preparse ? PreparsedValues(bytes) : nil
        let pieces = preparsed?.pieces ?? [.original(0..<bytes.count)]
        var root: OpaquePointer?
        var piece = 0
        var parsedEnd = 0
        while piece < pieces.count {
            root = withBytes(of: pieces[piece], in: bytes) { chunk in
                chunk.withMemoryRebound(to: CChar.self) { json_tokener_parse_ex(tokener, $0.baseAddress, Int32($0.count)) }
            }
            parsedEnd = Int(json_tokener_get_parse_end(tokener))
            if root != nil || json_tokener_get_error(tokener) != json_tokener_continue { break }
            piece += 1
        }
        let error = json_tokener_get_error(tokener)
        guard let root, error == json_tokener_success else {
            let message: String
            if error == json_tokener_continue || error == json_tokener_success {
                message = "unexpected end of file: the JSON value is incomplete"
            } else {
                message = "JSON syntax error: " + String(cString: json_tokener_error_desc(error))
            }
            let offset = piece < pieces.count ? (preparsed?.originalOffset(piece: piece, offset: parsedEnd) ?? parsedEnd) : bytes.count
            throw syntaxError(message, at: max(0, min(offset, bytes.count)), in: Array(bytes), file: file)
        }
        defer { json_object_put(root) }
        // Only white space may follow the value: in the rest of this piece and in every later one.
        for later in piece..<pieces.count {
            let skip = later == piece ? parsedEnd : 0
            let extra: Int? = withBytes(of: pieces[later], in: bytes) { chunk in
                chunk[skip...].firstIndex(where: { !isWhitespace($0) })
            }
            if let extra {
                let offset = preparsed?.originalOffset(piece: later, offset: extra) ?? extra
                throw syntaxError("unexpected data after the JSON value", at: offset, in: Array(bytes), file: file)
            }
        }
        return try convert(root, path: "", file: file, preparsed: preparsed)
    }

    /// Calls `body` with the bytes of a piece of the text.
    private static func withBytes<Result>(of piece: PreparsedValues.Piece, in bytes: UnsafeBufferPointer<UInt8>,
                                          _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch piece {
        case let .original(range): return body(UnsafeBufferPointer(rebasing: bytes[range]))
        case let .placeholder(text, _): return text.withUnsafeBufferPointer(body)
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func convert(_ object: OpaquePointer?, path: String, file: String, preparsed: PreparsedValues?) throws -> JSONValue {
        guard let object else { return .null }
        switch json_object_get_type(object) {
        case json_type_null:
            return .null
        case json_type_boolean:
            return .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            let value = json_object_get_int64(object)
            guard value != Int64.max, value != Int64.min else {
                throw Diagnostic(file: file, at: .jsonPath(path.isEmpty ? "(root)" : path),
                                 "integer out of range: write large values as decimals (e.g. 1e19)")
            }
            return .number(Double(value))
        case json_type_double:
            let value = json_object_get_double(object)
            guard value.isFinite else {
                throw Diagnostic(file: file, at: .jsonPath(path.isEmpty ? "(root)" : path),
                                 "number out of range: expected a finite number")
            }
            return .number(value)
        case json_type_string:
            let length = Int(json_object_get_string_len(object))
            let pointer = json_object_get_string(object)!
            let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
            if let preparsed, let value = preparsed.value(forPlaceholder: bytes) { return value }
            return .string(String(decoding: bytes, as: UTF8.self))
        case json_type_array:
            return try convertArray(object, path: path, file: file, preparsed: preparsed)
        case json_type_object:
            var members: [(String, JSONValue)] = []
            var iterator = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iterator, &end) == 0 {
                let name = String(cString: json_object_iter_peek_name(&iterator))
                let child = json_object_iter_peek_value(&iterator)
                let childPath = path.isEmpty ? name : path + "." + name
                members.append((name, try convert(child, path: childPath, file: file, preparsed: preparsed)))
                json_object_iter_next(&iterator)
            }
            return .object(members)
        default:
            return .null
        }
    }

    private static func convertArray(_ object: OpaquePointer, path: String, file: String, preparsed: PreparsedValues?) throws -> JSONValue {
        let count = Int(json_object_array_length(object))
        var numbers: [Double] = []
        numbers.reserveCapacity(count)
        var index = 0
        while index < count {
            let element = json_object_array_get_idx(object, index)
            let type = json_object_get_type(element)
            guard type == json_type_int || type == json_type_double else { break }
            // json-c clamps an integer literal beyond 64 bits to Int64's ends instead of failing.
            if type == json_type_int, json_object_get_int64(element) == Int64.max || json_object_get_int64(element) == Int64.min {
                throw Diagnostic(file: file, at: .jsonPath("\(path)[\(index)]"),
                                 "integer out of range: write large values as decimals (e.g. 1e19)")
            }
            let value = json_object_get_double(element)
            guard value.isFinite else {
                throw Diagnostic(file: file, at: .jsonPath("\(path)[\(index)]"),
                                 "number out of range: expected a finite number")
            }
            numbers.append(value)
            index += 1
        }
        if index == count { return .numbers(numbers) }
        var values = numbers.map { JSONValue.number($0) }
        values.reserveCapacity(count)
        while index < count {
            values.append(try convert(json_object_array_get_idx(object, index), path: "\(path)[\(index)]", file: file, preparsed: preparsed))
            index += 1
        }
        return .array(values)
    }

    private static func syntaxError(_ message: String, at offset: Int, in bytes: [UInt8], file: String) -> Diagnostic {
        let (line, column, lineText) = TextPosition.locate(offset: offset, in: bytes)
        // A window of at most 120 characters around the column, so long (e.g. one-line) files still point right.
        let start = max(0, min(column - 1 - 60, lineText.count - 120))
        let excerpt = (start > 0 ? "..." : "") + String(lineText.dropFirst(start).prefix(120))
        let caret = String(repeating: " ", count: column - 1 - start + (start > 0 ? 3 : 0)) + "^"
        return Diagnostic(file: file, at: .lineColumn(line: line, column: column), message,
                          notes: ["  " + excerpt, "  " + caret])
    }
}

/// Converts a byte offset into a 1-based line and column (columns count characters, not bytes).
enum TextPosition {
    static func locate(offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int, lineText: String) {
        let clamped = max(0, min(offset, bytes.count))
        var line = 1
        var lineStart = 0
        for index in 0..<clamped where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        var lineEnd = lineStart
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, bytes[lineEnd] != 0x0D { lineEnd += 1 }
        let before = String(decoding: bytes[lineStart..<clamped], as: UTF8.self)
        let text = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        return (line, before.count + 1, text)
    }
}
