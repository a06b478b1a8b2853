/// Turns arbitrary names (feature names, class names, model names) into valid, distinct Swift identifiers.
public enum SwiftIdentifier {
    /// Swift keywords that need backticks when used as an identifier.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "async", "some", "any", "consume", "borrowing", "consuming", "each", "macro", "package",
    ]

    /// Names that compile but would shadow or confuse members of the generated types.
    static let avoided: Set<String> = ["self", "Self", "super", "Type", "Protocol", "init", "allCases", "rawValue", "hashValue", "description"]

    /// The words of `name`: runs of ASCII letters and digits; other characters separate words, except
    /// non-ASCII letters, which become `uXXXX` so that distinct names stay distinct.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !scalar.isASCII, scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current += "u" + String(scalar.value, radix: 16, uppercase: true)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// lowerCamelCase (`sepal length (cm)` → `sepalLengthCm`), prefixed with `prefix` when it would
    /// start with a digit or be empty.
    public static func lowerCamel(_ name: String, prefix: String) -> String {
        let parts = words(name)
        var text = ""
        for (index, word) in parts.enumerated() {
            if index == 0 {
                text = word.allSatisfy({ $0.isUppercase || $0.isNumber }) && word.count > 1 ? word.lowercased() : lowerFirst(word)
            } else {
                text += upperFirst(word)
            }
        }
        if text.isEmpty { return prefix }
        if text.first!.isNumber { return prefix + text }
        return text
    }

    /// UpperCamelCase (`iris-mlp` → `IrisMlp`), prefixed with `prefix` when it would start with a digit
    /// or be empty.
    public static func upperCamel(_ name: String, prefix: String) -> String {
        let text = words(name).map(upperFirst).joined()
        if text.isEmpty { return prefix }
        if text.first!.isNumber { return prefix + text }
        return text
    }

    /// Makes every name of `names` distinct by appending 2, 3, ... to later duplicates, avoiding `taken`.
    public static func distinct(_ names: [String], avoiding taken: Set<String> = []) -> [String] {
        var used = taken
        return names.map { name in
            var candidate = name
            var counter = 2
            while used.contains(candidate) || avoided.contains(candidate) {
                candidate = name + String(counter)
                counter += 1
            }
            used.insert(candidate)
            return candidate
        }
    }

    /// The identifier as written in source: backticked when it is a keyword.
    public static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// A Swift string literal for `text`.
    public static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || !scalar.properties.isAlphabetic && !scalar.isASCII {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// `text` made safe for one line of a `///` doc comment (line breaks and control characters escaped).
    public static func commentText(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func upperFirst(_ word: String) -> String { word.prefix(1).uppercased() + word.dropFirst() }
    private static func lowerFirst(_ word: String) -> String { word.prefix(1).lowercased() + word.dropFirst() }
}
