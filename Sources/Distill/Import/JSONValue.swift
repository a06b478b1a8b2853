/// A parsed JSON value, detached from the C parser. Arrays made only of numbers are kept as a contiguous
/// `[Double]` (`.numbers`) so that large weight matrices cost eight bytes per entry.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case numbers([Double])
    case array([JSONValue])
    /// Members in document order.
    case object([(String, JSONValue)])

    /// Whether two values are the same case with equal contents (object members compared in order).
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.numbers(a), .numbers(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member named `key` of an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.last(where: { $0.0 == key })?.1
    }

    /// A short name of the value's kind for messages ("an object", "a string", ...).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .numbers, .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Element count for either array representation.
    public var arrayCount: Int? {
        switch self {
        case let .numbers(values): return values.count
        case let .array(values): return values.count
        default: return nil
        }
    }

    /// Elements for either array representation.
    public var arrayElements: [JSONValue]? {
        switch self {
        case let .numbers(values): return values.map { .number($0) }
        case let .array(values): return values
        default: return nil
        }
    }
}
