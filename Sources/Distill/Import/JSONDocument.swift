import CJSONC

/// Parses JSON text with json-c (strict mode, bounded depth) into a `JSONValue`. The only file that
/// touches json-c: the C tree is converted at once and released.
public enum JSONDocument {
    /// Nesting limit handed to the tokener; the model format needs about six levels.
    public static let maximumDepth: Int32 = 64

    /// Parses `bytes`; `file` names the source in diagnostics.
    /// - Throws: `Diagnostic` with line:column for syntax errors and trailing data.
    public static func parse(_ bytes: [UInt8], file: String) throws -> JSONValue {
        guard let tokener = json_tokener_new_ex(maximumDepth) else {
            throw Diagnostic(file: file, "could not create a JSON parser")
        }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, Int32(JSON_TOKENER_STRICT))

        let root: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                json_tokener_parse_ex(tokener, chars.baseAddress, Int32(chars.count))
            }
        }
        let error = json_tokener_get_error(tokener)
        let end = Int(json_tokener_get_parse_end(tokener))
        guard let root, error == json_tokener_success else {
            let message: String
            if error == json_tokener_continue || error == json_tokener_success {
                message = "unexpected end of file: the JSON value is incomplete"
            } else {
                message = "JSON syntax error: " + String(cString: json_tokener_error_desc(error))
            }
            let offset = max(0, min(end, bytes.count))
            throw syntaxError(message, at: offset, in: bytes, file: file)
        }
        defer { json_object_put(root) }
        if let extra = bytes[end...].firstIndex(where: { !isWhitespace($0) }) {
            throw syntaxError("unexpected data after the JSON value", at: extra, in: bytes, file: file)
        }
        return try convert(root, path: "", file: file)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func convert(_ object: OpaquePointer?, path: String, file: String) throws -> JSONValue {
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
            return .string(String(decoding: bytes, as: UTF8.self))
        case json_type_array:
            return try convertArray(object, path: path, file: file)
        case json_type_object:
            var members: [(String, JSONValue)] = []
            var iterator = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iterator, &end) == 0 {
                let name = String(cString: json_object_iter_peek_name(&iterator))
                let child = json_object_iter_peek_value(&iterator)
                let childPath = path.isEmpty ? name : path + "." + name
                members.append((name, try convert(child, path: childPath, file: file)))
                json_object_iter_next(&iterator)
            }
            return .object(members)
        default:
            return .null
        }
    }

    private static func convertArray(_ object: OpaquePointer, path: String, file: String) throws -> JSONValue {
        let count = Int(json_object_array_length(object))
        var numbers: [Double] = []
        numbers.reserveCapacity(count)
        var index = 0
        while index < count {
            let element = json_object_array_get_idx(object, index)
            let type = json_object_get_type(element)
            guard type == json_type_int || type == json_type_double else { break }
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
            values.append(try convert(json_object_array_get_idx(object, index), path: "\(path)[\(index)]", file: file))
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
