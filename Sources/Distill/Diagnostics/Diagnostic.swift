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

    /// The location as diagnostics print it ("3:14", a JSON path, "row 2 (line 3), column 1 'age'"); empty for `none`.
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
    /// What kind of failure it is, which decides the exit status.
    public var failure: Failure

    /// The kinds of failure, with the exit status of each (BSD's sysexits.h).
    public enum Failure: Int32, Sendable {
        /// A flag or argument the command cannot take (EX_USAGE).
        case usage = 64
        /// An input's contents are wrong: a model, a saved surrogate, a CSV (EX_DATAERR).
        case data = 65
        /// An input cannot be opened: missing, a directory, not a regular file, unreadable (EX_NOINPUT).
        case noInput = 66
        /// Something distill itself got wrong (EX_SOFTWARE).
        case `internal` = 70
        /// An output cannot be created or replaced (EX_CANTCREAT).
        case cannotCreate = 73
        /// Reading or writing failed part way (EX_IOERR).
        case inputOutput = 74
    }

    /// `failure`: by default a problem with an option when the message starts with one (`{samples} must
    /// be ...`), else with an input's contents.
    ///
    /// An option of the library's settings is written in the message as its field name in braces
    /// (`{testFraction}`): `description` shows the field name (`testFraction`), and the command-line tool
    /// shows its flag instead (`rendered(naming:)`).
    public init(file: String = "", at location: InputLocation = .none, _ message: String, notes: [String] = [],
                failure: Failure? = nil) {
        self.file = file
        self.location = location
        self.message = message
        self.notes = notes
        self.failure = failure ?? (message.hasPrefix("--") || Self.optionFields.contains { message.hasPrefix("{\($0)}") } ? .usage : .data)
    }

    /// `file: location: message`, the form printed on standard error, options named by their fields.
    public var description: String { rendered { $0 } }

    /// The settings fields messages may name in braces. Only these are read as options, so text from an
    /// input that happens to hold braces is shown as it is.
    public static let optionFields: Set<String> = [
        "baseline", "certify", "className", "dataPath", "explainRows", "integrationSteps", "kind", "label", "leaves", "maximumBytes",
        "morrisTrajectories", "occlusionPatch", "samples", "saveSurrogate", "sobolSamples", "streaming", "testFraction",
    ]

    /// The options the message names (the fields in braces), in order.
    public var options: [String] {
        message.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap { part in
            part.firstIndex(of: "}").map { String(part[..<$0]) }
        }.filter(Self.optionFields.contains)
    }

    /// `file: location: message`, each option named by `naming` (given its field name, e.g. a flag).
    public func rendered(naming: (String) -> String) -> String {
        var text = message
        for option in options { text = text.replacingOccurrences(of: "{\(option)}", with: naming(option)) }
        var parts: [String] = []
        if !file.isEmpty { parts.append(file) }
        let place = location.description
        if !place.isEmpty { parts.append(place) }
        parts.append(text)
        return ([parts.joined(separator: ": ")] + notes).joined(separator: "\n")
    }

    /// The same diagnostic attributed to `file` when it has none yet.
    public func inFile(_ file: String) -> Diagnostic {
        var copy = self
        if copy.file.isEmpty { copy.file = file }
        return copy
    }
}
