/// A minimal JSON value for writing machine-readable results with members in a fixed order.
indirect enum JSONOutput: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    /// A number already written as JSON text (e.g. a UInt64).
    case literal(String)
    case string(String)
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    /// Pretty-printed text (two-space indent) ending in a newline.
    func render() -> String {
        var text = ""
        write(into: &text, indent: "")
        return text + "\n"
    }

    private func write(into text: inout String, indent: String) {
        switch self {
        case .null: text += "null"
        case let .bool(value): text += value ? "true" : "false"
        case let .number(value): text += value.isFinite ? NumberText.shortest(value) : "null"
        case let .int(value): text += String(value)
        case let .literal(value): text += value
        case let .string(value): text += JSONOutput.quote(value)
        case let .array(values):
            if values.isEmpty { text += "[]"; return }
            let inner = indent + "  "
            text += "["
            for (index, value) in values.enumerated() {
                text += (index == 0 ? "\n" : ",\n") + inner
                value.write(into: &text, indent: inner)
            }
            text += "\n" + indent + "]"
        case let .object(members):
            if members.isEmpty { text += "{}"; return }
            let inner = indent + "  "
            text += "{"
            for (index, (key, value)) in members.enumerated() {
                text += (index == 0 ? "\n" : ",\n") + inner + JSONOutput.quote(key) + ": "
                value.write(into: &text, indent: inner)
            }
            text += "\n" + indent + "}"
        }
    }

    /// A JSON string literal.
    static func quote(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
