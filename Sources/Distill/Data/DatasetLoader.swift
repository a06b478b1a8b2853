/// Turns a CSV table into a `Dataset` for a network: columns are matched to the model's inputs by name
/// (any order, extra columns ignored), cells are checked and converted, and the optional label column is
/// mapped to class indices or target values.
public enum DatasetLoader {
    /// Reads `path` and converts it for `network`; `label` names the ground-truth column, if any. A plain
    /// file (no quotes, every needed cell well formed) is read straight into the values (`PlainCSVLoader`);
    /// any other goes through the CSV table, which gives the same values or the diagnostic.
    ///
    /// - Parameters:
    ///   - path: a CSV file with a header row naming the columns (any order; extra columns are ignored).
    ///   - network: the network whose inputs the columns are matched to, by name.
    ///   - label: the ground-truth column, kept as `Dataset.labels` and not read as an input; nil for none.
    /// - Returns: the raw rows, one value per input feature (a categorical value as its category index).
    /// - Throws: a `Diagnostic` naming the file, the row and column, and what was expected (a missing
    ///   column, a value that is not a number, an unknown category).
    /// - Complexity: linear in the file's size, in two parallel passes over the mapped file.
    public static func load(path: String, network: Network, label: String?) throws -> Dataset {
        try loadParts(path: path, network: network, label: label, partition: { _ in nil }).first
    }

    /// `load` on bytes already in memory; `file` names them in diagnostics. The same two paths, so the
    /// same values or the same diagnostic as `load` on a file holding `bytes`.
    public static func decode(_ bytes: [UInt8], file: String, network: Network, label: String?) throws -> Dataset {
        if let plain = bytes.withUnsafeBufferPointer({ PlainCSVLoader.load($0, network: network, label: label) }) {
            return plain
        }
        return try convert(try CSVReader.parse(bytes, file: file), file: file, network: network, label: label)
    }

    /// `load` in two parts: `partition` gets the number of rows and returns a flag per row (`true`: the
    /// second part) or nil (all in the first). A plain file is parsed straight into the two parts (its
    /// rows are never held twice); any other is loaded whole and then partitioned.
    static func loadParts(path: String, network: Network, label: String?,
                          partition: (Int) -> [Bool]?) throws -> (first: Dataset, second: Dataset) {
        if let plain = try FileInput.withContents(path: path, limited: false, { bytes, mapped in
            try PlainCSVLoader.loadParts(bytes, network: network, label: label, releasePages: mapped, check: { rows in
                try ResourceLimit.checkValues(rows: rows, columns: network.schema.count + (label == nil ? 0 : 1), file: path)
            }, partition: partition)
        }) {
            return plain
        }
        let data = try convert(try CSVReader.read(path: path), file: path, network: network, label: label)
        guard let flags = partition(data.rows) else { return (data, Dataset(schema: data.schema, rows: 0, values: [])) }
        let (first, second) = data.partitioned(by: flags)
        return (first, second)
    }

    /// At most `rows` evenly spaced rows of `path` (all when it has no more), and how many the file has;
    /// a plain file's other rows are skipped unparsed.
    static func loadEvenlySpaced(path: String, network: Network, label: String?, rows: Int) throws -> (data: Dataset, fileRows: Int) {
        func kept(_ count: Int) -> [Bool] {
            var flags = [Bool](repeating: false, count: count)
            for index in 0..<min(rows, count) { flags[index * count / min(rows, count)] = true }
            return flags
        }
        if let plain = try FileInput.withContents(path: path, limited: false, { bytes, mapped -> (Dataset, Int)? in
            guard let scan = PlainCSVLoader.Scan(bytes, network: network, label: label, releasePages: mapped),
                  let parts = scan.parts(roles: kept(scan.rows).map { $0 ? 0 : 1 }, count: 1) else { return nil }
            return (parts[0], scan.rows)
        }) {
            return plain
        }
        let data = try load(path: path, network: network, label: label)
        let flags = kept(data.rows)
        return (data.subset(flags.indices.filter { flags[$0] }), data.rows)
    }

    /// Cells read as a missing value (compared in lower case).
    static let missingValueWords: Set<String> = ["na", "nan", "null", "none", "?"]

    /// Converts a parsed table; `file` names the source in diagnostics.
    public static func convert(_ table: CSVTable, file: String, network: Network, label: String?) throws -> Dataset {
        let schema = network.schema
        var columnOf: [String: Int] = [:]
        for (index, name) in table.header.enumerated() { columnOf[name] = index }
        let columns = try schema.features.enumerated().map { index, feature in
            guard let column = columnOf[feature.name] else {
                throw Diagnostic(file: file, at: .csvLine(1),
                                 "missing column '\(feature.name)' (the model's inputs[\(index)]); \(HeaderDescription.describe(table.header, missing: feature.name, taken: Set(schema.features.map(\.name) + [label].compactMap { $0 })))")
            }
            return column
        }
        var labelColumn: Int?
        if let label {
            guard let column = columnOf[label] else {
                throw Diagnostic(file: file, at: .csvLine(1),
                                 "missing label column '\(label)' named by {label}; \(HeaderDescription.describe(table.header, missing: label, taken: Set(schema.features.map(\.name))))")
            }
            labelColumn = column
        }
        guard !table.rows.isEmpty else { throw Diagnostic(file: file, "no data rows after the header") }

        var values = [Double]()
        values.reserveCapacity(table.rows.count * schema.count)
        var categoryIndex: [[String: Int]] = schema.features.map { feature in
            var map: [String: Int] = [:]
            for (index, value) in (feature.categories ?? []).enumerated() { map[value] = index }
            return map
        }
        for (rowIndex, row) in table.rows.enumerated() {
            for (featureIndex, feature) in schema.features.enumerated() {
                let column = columns[featureIndex]
                let location = InputLocation.csvCell(row: rowIndex + 1, line: table.lines[rowIndex],
                                                      column: column + 1, name: feature.name)
                values.append(try cellValue(row[column], feature: feature, categories: &categoryIndex[featureIndex],
                                            file: file, location: location))
            }
        }
        var labels: Labels?
        if let labelColumn {
            labels = try convertLabels(table, column: labelColumn, file: file, network: network)
        }
        return Dataset(schema: schema, rows: table.rows.count, values: values, labels: labels)
    }

    private static func cellValue(_ text: String, feature: Feature, categories: inout [String: Int],
                                  file: String, location: InputLocation) throws -> Double {
        let cell = text.trimmingSpaces()
        guard !cell.isEmpty, !missingValueWords.contains(cell.lowercased()) else {
            throw Diagnostic(file: file, at: location, "missing value; expected \(expectation(feature))")
        }
        switch feature.kind {
        case .continuous:
            guard let value = decimal(cell), value.isFinite else {
                throw Diagnostic(file: file, at: location, "\(shown(cell)) is not a finite number; expected \(expectation(feature))")
            }
            return value
        case .binary:
            guard let value = decimal(cell), value == 0 || value == 1 else {
                throw Diagnostic(file: file, at: location, "\(shown(cell)) is not 0 or 1; expected \(expectation(feature))")
            }
            return value
        case let .categorical(values):
            guard let index = categories[cell] else {
                throw Diagnostic(file: file, at: location,
                                 "unknown category \(shown(cell)); expected one of: \(values.joined(separator: ", "))")
            }
            return Double(index)
        }
    }

    /// A cell as a message quotes it: whole up to 60 characters, else its start and its length.
    static func shown(_ cell: String) -> String {
        cell.count <= 60 ? "'\(cell)'" : "'\(cell.prefix(50))...' (\(cell.count) characters)"
    }

    /// A number as CSV cells write it: decimal digits with an optional sign, point and exponent (`12`,
    /// `-0.5`, `.5`, `1e-3`); not hexadecimal (`0x1p3`), `inf` or `nan`, which `Double(String)` would take.
    static func decimal(_ cell: String) -> Double? {
        guard cell.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) else {
            return nil
        }
        return Double(cell)
    }

    private static func expectation(_ feature: Feature) -> String {
        switch feature.kind {
        case .continuous: return "a number"
        case .binary: return "0 or 1"
        case let .categorical(values): return "one of: \(values.joined(separator: ", "))"
        }
    }

    private static func convertLabels(_ table: CSVTable, column: Int, file: String, network: Network) throws -> Labels {
        let name = table.header[column]
        var classIndex: [String: Int] = [:]
        for (index, output) in network.outputs.enumerated() { classIndex[output] = index }
        var classes: [Int] = []
        var targets: [Double] = []
        for (rowIndex, row) in table.rows.enumerated() {
            let cell = row[column].trimmingSpaces()
            let location = InputLocation.csvCell(row: rowIndex + 1, line: table.lines[rowIndex], column: column + 1, name: name)
            switch network.task {
            case .classification:
                if let index = classIndex[cell] {
                    classes.append(index)
                } else if let number = decimal(cell), number.rounded() == number, number >= 0,
                          number < Double(network.outputs.count) {
                    classes.append(Int(number))
                } else {
                    throw Diagnostic(file: file, at: location,
                                     "unknown class \(shown(cell)); expected a class name (\(network.outputs.joined(separator: ", "))) or an index 0..<\(network.outputs.count)")
                }
            case .regression:
                guard let value = decimal(cell), value.isFinite else {
                    throw Diagnostic(file: file, at: location, "\(shown(cell)) is not a finite number; expected the target value")
                }
                targets.append(value)
            }
        }
        return network.task == .classification ? .classes(classes) : .values(targets)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
