import Foundation

/// A cursor into a `JSONValue` that knows its JSON path, so every check can throw a located diagnostic
/// (`layers[2].weights[3]: expected 30 numbers, found 29`).
struct JSONReader {
    let value: JSONValue
    let path: String
    let file: String

    init(_ value: JSONValue, path: String = "", file: String) {
        self.value = value
        self.path = path
        self.file = file
    }

    /// The path shown for this value ("(root)" for the document itself).
    var displayPath: String { path.isEmpty ? "(root)" : path }

    func error(_ message: String) -> Diagnostic {
        Diagnostic(file: file, at: .jsonPath(displayPath), message)
    }

    func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The member `key`, which must exist.
    func member(_ key: String) throws -> JSONReader {
        guard case .object = value else { throw error("expected an object, found \(value.kindDescription)") }
        guard let found = value[key] else { throw error("missing required member \"\(key)\"") }
        return JSONReader(found, path: child(key), file: file)
    }

    /// The member `key` if present (and not null).
    func optionalMember(_ key: String) throws -> JSONReader? {
        guard case .object = value else { throw error("expected an object, found \(value.kindDescription)") }
        guard let found = value[key], found != .null else { return nil }
        return JSONReader(found, path: child(key), file: file)
    }

    /// Rejects members other than `allowed`, naming the first unknown one.
    func checkKeys(_ allowed: Set<String>) throws {
        guard case let .object(members) = value else {
            throw error("expected an object, found \(value.kindDescription)")
        }
        for (key, _) in members where !allowed.contains(key) {
            let known = allowed.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            throw JSONReader(.null, path: child(key), file: file).error("unknown member; expected one of \(known)")
        }
    }

    func string() throws -> String {
        guard case let .string(text) = value else { throw error("expected a string, found \(value.kindDescription)") }
        return text
    }

    func number() throws -> Double {
        guard case let .number(number) = value else { throw error("expected a number, found \(value.kindDescription)") }
        return number
    }

    func integer() throws -> Int {
        let number = try number()
        guard number.rounded() == number else { throw error("expected an integer, found \(number)") }
        guard abs(number) < 1e15 else { throw error("integer \(number) is too large; expected at most 10^15 in magnitude") }
        return Int(number)
    }

    /// The elements of an array, each with its indexed path.
    func elements() throws -> [JSONReader] {
        guard let items = value.arrayElements else { throw error("expected an array, found \(value.kindDescription)") }
        return items.enumerated().map { JSONReader($1, path: "\(path)[\($0)]", file: file) }
    }

    /// An array of strings.
    func strings() throws -> [String] { try elements().map { try $0.string() } }

    /// A vector of `expected` numbers (any count when nil): a plain array or a packed array of shape [n].
    func vector(count expected: Int?) throws -> [Double] {
        if case .object = value {
            let packed = try PackedArray.decode(self)
            guard packed.shape.count == 1 else {
                throw error("expected a packed vector (shape [n]), found shape \(packed.shape)")
            }
            if let expected, packed.values.count != expected {
                throw error("expected \(expected) numbers, found \(packed.values.count)")
            }
            return packed.values
        }
        let numbers: [Double]
        switch value {
        case let .numbers(values): numbers = values
        case let .array(items):
            numbers = try items.enumerated().map { index, item in
                guard case let .number(number) = item else {
                    throw JSONReader(item, path: "\(path)[\(index)]", file: file)
                        .error("expected a number, found \(item.kindDescription)")
                }
                return number
            }
        default: throw error("expected an array of numbers, found \(value.kindDescription)")
        }
        if let expected, numbers.count != expected {
            throw error("expected \(expected) numbers, found \(numbers.count)")
        }
        return numbers
    }

    /// A `rows x columns` matrix, row-major: an array of row arrays or a packed array of shape [rows, cols].
    /// `rows` or `columns` may be nil when only the other is known; returns the shape found.
    func matrix(rows: Int?, columns: Int?) throws -> (values: [Double], rows: Int, columns: Int) {
        if case .object = value {
            let packed = try PackedArray.decode(self)
            guard packed.shape.count == 2 else {
                throw error("expected a packed matrix (shape [rows, cols]), found shape \(packed.shape)")
            }
            if let rows, packed.shape[0] != rows {
                throw error("expected \(rows) rows, found \(packed.shape[0]) (shape \(packed.shape))")
            }
            if let columns, packed.shape[1] != columns {
                throw error("expected \(columns) columns, found \(packed.shape[1]) (shape \(packed.shape))")
            }
            return (packed.values, packed.shape[0], packed.shape[1])
        }
        let items = try elements()
        if let rows, items.count != rows { throw error("expected \(rows) rows, found \(items.count)") }
        guard !items.isEmpty else { throw error("expected a non-empty array of rows") }
        var width = columns
        var values: [Double] = []
        for item in items {
            if case .numbers = item.value {} else if case .array = item.value {} else {
                throw item.error("expected an array of numbers (one matrix row), found \(item.value.kindDescription)")
            }
            let row = try item.vector(count: width)
            width = row.count
            values.append(contentsOf: row)
        }
        return (values, items.count, width ?? 0)
    }
}
