#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fast path of `DatasetLoader`: a CSV whose every row is one line (quoted fields without line breaks
/// or doubled quotes are fine) and whose every needed cell is well formed is read straight from the file's
/// bytes into the row-major values (numbers by `DecimalParser`, the same values `Double(String)` gives;
/// categories and classes by name), with no table of strings in between. Anything else (a quoted line
/// break, a short row, a cell the general path would convert differently or reject) returns nil,
/// and the general path reads the file and gives its answer or its diagnostic, so both paths accept the
/// same files with the same values.
enum PlainCSVLoader {
    /// `pieceBytes`: the size of the pieces parsed in parallel (tests make them small).
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, network: Network, label: String?, pieceBytes: Int = 1 << 22) -> Dataset? {
        loadParts(bytes, network: network, label: label, pieceBytes: pieceBytes, check: { _ in }, partition: { _ in nil })?.first
    }

    /// The rows in two parts: `partition` gets the number of rows and returns a flag per row (`true`: the
    /// second part), or nil for all rows in the first. The file is read twice: once to count its rows,
    /// once to parse them, each row written straight to its place in its part (the pieces in parallel),
    /// so the values are held once and never joined or copied. `releasePages`: `bytes` is a file's
    /// read-only mapping, whose pages are handed back to the page cache once read (the file is never
    /// resident as a whole). `check` gets the number of rows before their values are allocated.
    static func loadParts(_ bytes: UnsafeBufferPointer<UInt8>, network: Network, label: String?, pieceBytes: Int = 1 << 22,
                          releasePages: Bool = false, check: (Int) throws -> Void,
                          partition: (Int) -> [Bool]?) rethrows -> (first: Dataset, second: Dataset)? {
        guard let scan = Scan(bytes, network: network, label: label, pieceBytes: pieceBytes, releasePages: releasePages) else { return nil }
        try check(scan.rows)
        let roles = partition(scan.rows).map { flags in flags.map { $0 ? UInt8(1) : 0 } }
        guard let parts = scan.parts(roles: roles, count: 2) else { return nil }
        return (parts[0], parts[1])
    }

    /// A plain file's header matched to the network and its rows counted, in pieces of about `pieceBytes`
    /// cut at line breaks (the first of the two reads), ready to be parsed in parts or in blocks.
    struct Scan {
        let network: Network
        fileprivate let parser: RowParser
        /// Where each piece starts, then the end.
        private let cuts: [UnsafePointer<UInt8>]
        /// Rows per piece.
        private let counts: [Int]
        /// Whether each piece holds quotes (its fields are then read one by one as `CSVReader` reads them).
        private let quoted: [Bool]
        let rows: Int
        let hasLabels: Bool
        private let releasePages: Bool

        /// Nil when the file is not plain or does not fit the network (the general path then decides).
        init?(_ bytes: UnsafeBufferPointer<UInt8>, network: Network, label: String?, pieceBytes: Int = 1 << 22, releasePages: Bool = false) {
            guard let base = bytes.baseAddress else { return nil }
            let end = base + bytes.count
            var cursor = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? base + 3 : base
            // The header: names as the general reader keeps them (untrimmed).
            let headerEnd = lineEnd(cursor, end)
            guard quoting(cursor, headerEnd < end ? headerEnd + 1 : end) != nil, let header = names(cursor, headerEnd) else { return nil }
            cursor = headerEnd < end ? headerEnd + 1 : end
            var columnOf: [String: Int] = [:]
            for (index, name) in header.enumerated() { columnOf[name] = index }
            guard columnOf.count == header.count else { return nil }
            var columns: [Int] = []
            for feature in network.schema.features {
                guard let column = columnOf[feature.name] else { return nil }
                columns.append(column)
            }
            let labelColumn = label.flatMap { columnOf[$0] }
            if label != nil && labelColumn == nil { return nil }
            // Per column, what it feeds: a feature (by index) or the label.
            var feeds = [Int?](repeating: nil, count: header.count)
            for (feature, column) in columns.enumerated() { feeds[column] = feature }
            // The rows in pieces cut at line breaks (the values do not depend on the cuts).
            var cuts = [cursor]
            while let last = cuts.last, end - last > pieceBytes {
                let stop = lineEnd(last + pieceBytes, end)
                cuts.append(stop < end ? stop + 1 : end)
            }
            if cuts.last! < end { cuts.append(end) }
            let pieces = cuts.count - 1
            // Each piece free of quotes and bare carriage returns, and its rows counted.
            guard pieces > 0, let found = try? Parallelism.map(pieces, { piece -> (rows: Int, quoted: Bool)? in
                defer { if releasePages { FileInput.releasePages(cuts[piece], cuts[piece + 1]) } }
                return quoting(cuts[piece], cuts[piece + 1]).map { (rowCount(cuts[piece], cuts[piece + 1]), $0) }
            }), found.allSatisfy({ $0 != nil }) else { return nil }
            counts = found.map { $0!.rows }
            quoted = found.map { $0!.quoted }
            rows = counts.reduce(0, +)
            guard rows > 0 else { return nil }
            self.network = network
            parser = RowParser(network: network, feeds: feeds, labelColumn: labelColumn, columnCount: header.count)
            self.cuts = cuts
            hasLabels = labelColumn != nil
            self.releasePages = releasePages
        }

        /// The rows in `count` parts: row r goes to part `roles[r]` (all to the first when `roles` is nil);
        /// a row whose role is `count` or more is skipped unparsed. Each row is written straight to its
        /// place in its part, the pieces in parallel. Nil at the first row the fast path declines.
        func parts(roles: [UInt8]?, count: Int) -> [Dataset]? {
            let pieces = counts.count, width = network.schema.count
            // Where each piece's rows start in each part.
            var starts = [[Int]](repeating: [], count: pieces)
            var sizes = [Int](repeating: 0, count: count), row = 0
            for piece in 0..<pieces {
                starts[piece] = sizes
                if let roles { for index in row..<(row + counts[piece]) where Int(roles[index]) < count { sizes[Int(roles[index])] += 1 } }
                else { sizes[0] += counts[piece] }
                row += counts[piece]
            }
            var firstRows = [Int](repeating: 0, count: pieces)
            for piece in 1..<max(pieces, 1) { firstRows[piece] = firstRows[piece - 1] + counts[piece - 1] }
            var values = sizes.map { [Double](repeating: 0, count: $0 * width) }
            var labels = sizes.map { [Double](repeating: 0, count: hasLabels ? $0 : 0) }
            let valueBases = (0..<count).map { values[$0].withUnsafeMutableBufferPointer { $0.baseAddress } }
            let labelBases = (0..<count).map { labels[$0].withUnsafeMutableBufferPointer { $0.baseAddress } }
            // The buffers are not moved or resized while the pieces write to them.
            let targets = UncheckedBox((valueBases, labelBases))
            let parsed = try? Parallelism.map(pieces) { piece -> Bool in
                defer { if releasePages { FileInput.releasePages(cuts[piece], cuts[piece + 1]) } }
                var sink = RowSink(width: width, values: targets.value.0, labels: targets.value.1, next: starts[piece],
                                   roles: roles, row: firstRows[piece])
                return parser.parse(cuts[piece], cuts[piece + 1], quoted: quoted[piece], into: &sink) == counts[piece]
            }
            guard let parsed, parsed.allSatisfy({ $0 }) else { return nil }
            return (0..<count).map { part in
                let kept: Labels? = !hasLabels ? nil
                    : network.task == .classification ? .classes(labels[part].map { Int($0) }) : .values(labels[part])
                return Dataset(schema: network.schema, rows: sizes[part], values: values[part], labels: kept)
            }
        }

        /// Parses the file piece by piece (the pieces in parallel) and hands each piece's rows to `body`
        /// with the file row its first row is; the piece's values are freed when `body` returns. False at
        /// the first row the fast path declines.
        func forEachBlock(_ body: (_ firstRow: Int, _ block: Dataset) -> Void) -> Bool {
            let pieces = counts.count, width = network.schema.count
            var firstRows = [Int](repeating: 0, count: pieces)
            for piece in 1..<max(pieces, 1) { firstRows[piece] = firstRows[piece - 1] + counts[piece - 1] }
            let parsed = try? Parallelism.map(pieces) { piece -> Bool in
                defer { if releasePages { FileInput.releasePages(cuts[piece], cuts[piece + 1]) } }
                var values = [Double](repeating: 0, count: counts[piece] * width)
                var labels = [Double](repeating: 0, count: hasLabels ? counts[piece] : 0)
                let rows = values.withUnsafeMutableBufferPointer { values in
                    labels.withUnsafeMutableBufferPointer { labels in
                        var sink = RowSink(width: width, values: [values.baseAddress], labels: [labels.baseAddress],
                                           next: [0], roles: nil, row: 0)
                        return parser.parse(cuts[piece], cuts[piece + 1], quoted: quoted[piece], into: &sink)
                    }
                }
                guard let rows, rows == counts[piece] else { return false }
                let kept: Labels? = !hasLabels ? nil
                    : network.task == .classification ? .classes(labels.map { Int($0) }) : .values(labels)
                body(firstRows[piece], Dataset(schema: network.schema, rows: rows, values: values, labels: kept))
                return true
            }
            return parsed?.allSatisfy { $0 } ?? false
        }
    }

    /// The rows in `start..<end` (whole lines): the lines that are not empty.
    fileprivate static func rowCount(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int {
        var rows = 0, cursor = start
        while cursor < end {
            let stop = lineEnd(cursor, end)
            if stop > cursor && !(stop - cursor == 1 && cursor.pointee == 0x0D) { rows += 1 }
            cursor = stop < end ? stop + 1 : end
        }
        return rows
    }

    /// Where a piece writes its rows: each part's buffers (values; labels, class indices as numbers),
    /// the next place in each, and which part each row of the file goes to.
    fileprivate struct RowSink {
        let width: Int
        let values: [UnsafeMutablePointer<Double>?]
        let labels: [UnsafeMutablePointer<Double>?]
        var next: [Int]
        let roles: [UInt8]?
        /// The row of the file the next line is.
        var row: Int

        /// The values and the label of the next row; nil when the row is skipped.
        mutating func place() -> (values: UnsafeMutablePointer<Double>, label: UnsafeMutablePointer<Double>?)? {
            defer { row += 1 }
            let part = roles.map { Int($0[row]) } ?? 0
            guard part < next.count else { return nil }
            defer { next[part] += 1 }
            return (values[part]! + next[part] * width, labels[part].map { $0 + next[part] })
        }
    }

    /// Reads rows: what each column feeds, the category and class names.
    fileprivate struct RowParser {
        let network: Network
        let feeds: [Int?]
        let labelColumn: Int?
        let columnCount: Int
        let categories: [[String: Int]]
        let classes: [String: Int]

        init(network: Network, feeds: [Int?], labelColumn: Int?, columnCount: Int) {
            self.network = network
            self.feeds = feeds
            self.labelColumn = labelColumn
            self.columnCount = columnCount
            categories = network.schema.features.map { feature in
                Dictionary(uniqueKeysWithValues: (feature.categories ?? []).enumerated().map { ($1, $0) })
            }
            classes = Dictionary(uniqueKeysWithValues: network.outputs.enumerated().map { ($1, $0) })
        }

        /// Parses the lines in `start..<end` (whole lines; `quoted`: with quotes) into `sink`; the number of
        /// rows, or nil at the first line the fast path declines.
        func parse(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, quoted: Bool, into sink: inout RowSink) -> Int? {
            let schema = network.schema
            var rows = 0
            var cursor = start
            while cursor < end {
                let stop = PlainCSVLoader.lineEnd(cursor, end)
                defer { cursor = stop < end ? stop + 1 : end }
                var lineStop = stop
                if lineStop > cursor && (lineStop - 1).pointee == 0x0D { lineStop -= 1 }
                if lineStop == cursor { continue }
                // The general reader drops a line of one empty quoted field as blank.
                if quoted && lineStop - cursor == 2 && cursor.pointee == PlainCSVLoader.quote && cursor[1] == PlainCSVLoader.quote { return nil }
                guard let place = sink.place() else {
                    rows += 1
                    continue
                }
                var column = 0, fieldStart = cursor
                while true {
                    let fieldEnd: UnsafePointer<UInt8>, first: UnsafePointer<UInt8>, last: UnsafePointer<UInt8>
                    if quoted {
                        // Doubled quotes inside a value that is read are left to the general reader.
                        guard let field = PlainCSVLoader.field(fieldStart, lineStop) else { return nil }
                        if field.escaped && (column >= columnCount || feeds[column] != nil || column == labelColumn) { return nil }
                        fieldEnd = field.end
                        (first, last) = PlainCSVLoader.trimmed(field.first, field.last)
                    } else {
                        fieldEnd = UnsafePointer<UInt8>(memchr(fieldStart, 0x2C, lineStop - fieldStart)?.assumingMemoryBound(to: UInt8.self)) ?? lineStop
                        (first, last) = PlainCSVLoader.trimmed(fieldStart, fieldEnd)
                    }
                    guard column < columnCount else { return nil }
                    if let feature = feeds[column] {
                        guard let value = PlainCSVLoader.cell(first, last, feature: schema.features[feature], categories: categories[feature]) else { return nil }
                        place.values[feature] = value
                    }
                    if column == labelColumn {
                        switch network.task {
                        case .classification:
                            guard let index = PlainCSVLoader.classIndex(first, last, classes: classes, count: network.outputs.count) else { return nil }
                            place.label?.pointee = Double(index)
                        case .regression:
                            guard let value = PlainCSVLoader.number(first, last) else { return nil }
                            place.label?.pointee = value
                        }
                    }
                    column += 1
                    if fieldEnd == lineStop { break }
                    fieldStart = fieldEnd + 1
                }
                guard column == columnCount else { return nil }
                rows += 1
            }
            return rows
        }
    }

    /// Whether a carriage return ends a line on its own (the general reader's old-Mac line end).
    static func hasBareCarriageReturn(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        var cursor = start
        while cursor < end, let found = memchr(cursor, 0x0D, end - cursor)?.assumingMemoryBound(to: UInt8.self) {
            let next = UnsafePointer<UInt8>(found) + 1
            if next == end || next.pointee != 0x0A { return true }
            cursor = next
        }
        return false
    }

    static func lineEnd(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        UnsafePointer(memchr(start, 0x0A, end - start)?.assumingMemoryBound(to: UInt8.self)) ?? end
    }

    /// The span without leading and trailing spaces and tabs (as `trimmingSpaces`).
    fileprivate static func trimmed(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>) {
        var first = start, last = end
        while first < last, first.pointee == 0x20 || first.pointee == 0x09 { first += 1 }
        while last > first, (last - 1).pointee == 0x20 || (last - 1).pointee == 0x09 { last -= 1 }
        return (first, last)
    }

    /// A finite number in JSON's grammar, the whole span; nil for anything else.
    fileprivate static func number(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        guard let (value, length, _) = DecimalParser.parse(start, end: end), length == end - start, value.isFinite else { return nil }
        return value
    }

    fileprivate static func cell(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, feature: Feature,
                             categories: [String: Int]) -> Double? {
        switch feature.kind {
        case .continuous:
            return number(start, end)
        case .binary:
            guard let value = number(start, end), value == 0 || value == 1 else { return nil }
            return value
        case .categorical:
            let name = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
            // The general path reads these words as a missing value, even where a category has the name.
            guard end - start > 4 || !DatasetLoader.missingValueWords.contains(name.lowercased()) else { return nil }
            return categories[name].map(Double.init)
        }
    }

    /// A class by name, or by index as a whole number in range (as the general path reads it).
    fileprivate static func classIndex(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, classes: [String: Int], count: Int) -> Int? {
        if let index = classes[String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)] { return index }
        guard let value = number(start, end), value.rounded() == value, value >= 0, value < Double(count) else { return nil }
        return Int(value)
    }
}
