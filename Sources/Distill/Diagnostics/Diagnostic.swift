/// Where in an input a problem was found.
public enum InputLocation: Equatable, Sendable, CustomStringConvertible {
    /// No particular place (the file as a whole, or no file at all).
    case none
    /// A line and column (1-based), e.g. a JSON syntax error.
    case lineColumn(line: Int, column: Int)
    /// A JSON path such as `layers[2].weights[3]`.
    case jsonPath(String)
    /// A CSV data row (1-based, not counting the header), the file line it starts on, and the column
    /// (1-based position and header name).
    case csvCell(row: Int, line: Int, column: Int, name: String)
    /// A CSV line (1-based, counting the header), e.g. a quoting error.
    case csvLine(Int)

    public var description: String {
        switch self {
        case .none: return ""
        case let .lineColumn(line, column): return "\(line):\(column)"
        case let .jsonPath(path): return path
        case let .csvCell(row, line, column, name): return "row \(row) (line \(line)), column \(column) '\(name)'"
        case let .csvLine(line): return "line \(line)"
        }
    }
}

/// A problem with the user's input or request: an error value carrying the file, the place in it and a
/// message saying what was expected. Thrown by the library and rendered once by the command-line tool.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file the problem is in, as the user named it (empty when no file is involved).
    public var file: String
    /// The place in that file.
    public var location: InputLocation
    /// What is wrong and what was expected.
    public var message: String
    /// Optional extra lines (an excerpt with a caret, a hint).
    public var notes: [String]

    public init(file: String = "", at location: InputLocation = .none, _ message: String, notes: [String] = []) {
        self.file = file
        self.location = location
        self.message = message
        self.notes = notes
    }

    /// `file: location: message`, the form printed on standard error.
    public var description: String {
        var parts: [String] = []
        if !file.isEmpty { parts.append(file) }
        let place = location.description
        if !place.isEmpty { parts.append(place) }
        parts.append(message)
        return ([parts.joined(separator: ": ")] + notes).joined(separator: "\n")
    }

    /// The same diagnostic attributed to `file` when it has none yet.
    public func inFile(_ file: String) -> Diagnostic {
        var copy = self
        if copy.file.isEmpty { copy.file = file }
        return copy
    }
}
