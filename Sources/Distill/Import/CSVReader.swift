/// A CSV file split into fields (RFC 4180: comma separated, double-quoted fields may hold commas, quotes
/// written twice and line breaks; CRLF or LF line ends; a UTF-8 byte order mark is skipped).
public struct CSVTable: Sendable {
    /// The fields of the first line.
    public var header: [String]
    /// Data rows, each with as many fields as the header.
    public var rows: [[String]]
    /// The 1-based file line on which each data row starts.
    public var lines: [Int]
}

/// Parses CSV text into a `CSVTable`, with diagnostics naming the file and line.
public enum CSVReader {
    /// Reads and parses the CSV file at `path`.
    public static func read(path: String) throws -> CSVTable {
        try parse(try FileInput.readBytes(path: path), file: path)
    }

    /// Parses CSV bytes; `file` names the source in diagnostics.
    public static func parse(_ bytes: [UInt8], file: String) throws -> CSVTable {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Diagnostic(file: file, at: .csvLine(1), "the file is UTF-16 text; expected UTF-8 (save it as \"CSV UTF-8\")")
        }
        var records: [[String]] = []
        var recordLines: [Int] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var recordLine = 1
        var quoted = false
        var fieldWasQuoted = false
        let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, newline: UInt8 = 0x0A, carriage: UInt8 = 0x0D

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(fields)
                recordLines.append(recordLine)
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == quote {
                    if index + 1 < bytes.count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case quote:
                    guard field.isEmpty, !fieldWasQuoted else {
                        throw Diagnostic(file: file, at: .csvLine(line),
                                         "unexpected '\"' inside an unquoted field; quote the whole field and double the quote")
                    }
                    quoted = true
                    fieldWasQuoted = true
                case comma:
                    endField()
                case newline:
                    endRecord()
                    line += 1
                    recordLine = line
                case carriage:
                    if index + 1 < bytes.count, bytes[index + 1] == newline { break }
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    if fieldWasQuoted {
                        throw Diagnostic(file: file, at: .csvLine(line),
                                         "unexpected text after a closing quote; expected ',' or the end of the line")
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        if quoted {
            throw Diagnostic(file: file, at: .csvLine(recordLine), "unterminated quoted field (missing closing '\"')")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }

        guard let header = records.first else { throw Diagnostic(file: file, "empty file: expected a header row") }
        var seen = Set<String>()
        for name in header where !seen.insert(name).inserted {
            throw Diagnostic(file: file, at: .csvLine(recordLines[0]), "duplicate column name '\(name)' in the header")
        }
        for (offset, record) in records.dropFirst().enumerated() where record.count != header.count {
            throw Diagnostic(file: file, at: .csvLine(recordLines[offset + 1]),
                             "expected \(header.count) fields as in the header, found \(record.count)")
        }
        return CSVTable(header: header, rows: Array(records.dropFirst()), lines: Array(recordLines.dropFirst()))
    }
}
