#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fast path of `DatasetLoader`: a CSV without quotes whose every needed cell is well formed is read
/// straight from the file's bytes into the row-major values (numbers by `DecimalParser`, the same values
/// `Double(String)` gives; categories and classes by name), with no table of strings in between. Anything
/// else (a quote, a short row, a cell the general path would convert differently or reject) returns nil,
/// and the general path reads the file and gives its answer or its diagnostic, so both paths accept the
/// same files with the same values.
enum PlainCSVLoader {
    /// `pieceBytes`: the size of the pieces parsed in parallel (tests make them small).
    static func load(_ bytes: UnsafeBufferPointer<UInt8>, network: Network, label: String?, pieceBytes: Int = 1 << 22) -> Dataset? {
        loadParts(bytes, network: network, label: label, pieceBytes: pieceBytes, partition: { _ in nil })?.first
    }

    /// The rows in two parts: `partition` gets the number of rows and returns a flag per row (`true`: the
    /// second part), or nil for all rows in the first. The file is read twice: once to count its rows,
    /// once to parse them, each row written straight to its place in its part (the pieces in parallel),
    /// so the values are held once and never joined or copied. `releasePages`: `bytes` is a file's
    /// read-only mapping, whose pages are handed back to the page cache once read (the file is never
    /// resident as a whole).
    static func loadParts(_ bytes: UnsafeBufferPointer<UInt8>, network: Network, label: String?, pieceBytes: Int = 1 << 22,
                          releasePages: Bool = false, partition: (Int) -> [Bool]?) -> (first: Dataset, second: Dataset)? {
        guard let base = bytes.baseAddress else { return nil }
        let end = base + bytes.count
        var cursor = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? base + 3 : base
        // The header: names as the general reader keeps them (untrimmed).
        let headerEnd = lineEnd(cursor, end)
        guard isPlain(cursor, headerEnd < end ? headerEnd + 1 : end) else { return nil }
        let header = fields(cursor, headerEnd).map { String(decoding: UnsafeBufferPointer(start: $0.0, count: $0.1 - $0.0), as: UTF8.self) }
        cursor = headerEnd < end ? headerEnd + 1 : end
        var columnOf: [String: Int] = [:]
        for (index, name) in header.enumerated() { columnOf[name] = index }
        guard columnOf.count == header.count else { return nil }
        let schema = network.schema
        var columns: [Int] = []
        for feature in schema.features {
            guard let column = columnOf[feature.name] else { return nil }
            columns.append(column)
        }
        let labelColumn = label.flatMap { columnOf[$0] }
        if label != nil && labelColumn == nil { return nil }
        // Per column, what it feeds: a feature (by index) or the label.
        var feeds = [Int?](repeating: nil, count: header.count)
        for (feature, column) in columns.enumerated() { feeds[column] = feature }
        let parser = RowParser(network: network, feeds: feeds, labelColumn: labelColumn, columnCount: header.count)
        // The rows in pieces of about 4 MB cut at line breaks (the values do not depend on the cuts).
        var cuts = [cursor]
        while let last = cuts.last, end - last > pieceBytes {
            let stop = lineEnd(last + pieceBytes, end)
            cuts.append(stop < end ? stop + 1 : end)
        }
        if cuts.last! < end { cuts.append(end) }
        let pieces = cuts.count - 1
        // First pass: each piece free of quotes and bare carriage returns, and its rows counted.
        guard pieces > 0, let found = try? Parallelism.map(pieces, { piece -> Int? in
            defer { if releasePages { FileInput.releasePages(cuts[piece], cuts[piece + 1]) } }
            return isPlain(cuts[piece], cuts[piece + 1]) ? rowCount(cuts[piece], cuts[piece + 1]) : nil
        }), found.allSatisfy({ $0 != nil }) else { return nil }
        let counts = found.map { $0! }
        let rows = counts.reduce(0, +)
        guard rows > 0 else { return nil }
        let flags = partition(rows)
        // Where each piece's rows start in each part.
        var starts = [(row: Int, first: Int, second: Int)](repeating: (0, 0, 0), count: pieces)
        var row = 0, secondRows = 0
        for piece in 0..<pieces {
            starts[piece] = (row, row - secondRows, secondRows)
            if let flags { for index in row..<(row + counts[piece]) where flags[index] { secondRows += 1 } }
            row += counts[piece]
        }
        let width = schema.count
        var values = ([Double](repeating: 0, count: (rows - secondRows) * width), [Double](repeating: 0, count: secondRows * width))
        var labels = ([Double](repeating: 0, count: labelColumn == nil ? 0 : rows - secondRows),
                      [Double](repeating: 0, count: labelColumn == nil ? 0 : secondRows))
        let parsed = values.0.withUnsafeMutableBufferPointer { firstValues in
            values.1.withUnsafeMutableBufferPointer { secondValues in
                labels.0.withUnsafeMutableBufferPointer { firstLabels in
                    labels.1.withUnsafeMutableBufferPointer { secondLabels in
                        let parts = UncheckedBox((firstValues, firstLabels, secondValues, secondLabels))
                        return try? Parallelism.map(pieces) { piece -> Bool in
                            defer { if releasePages { FileInput.releasePages(cuts[piece], cuts[piece + 1]) } }
                            var sink = RowSink(width: width, parts: parts.value, next: (starts[piece].first, starts[piece].second),
                                               flags: flags, row: starts[piece].row)
                            return parser.parse(cuts[piece], cuts[piece + 1], into: &sink) == counts[piece]
                        }
                    }
                }
            }
        }
        guard let parsed, parsed.allSatisfy({ $0 }) else { return nil }
        func part(_ values: [Double], _ labels: [Double]) -> Dataset {
            let kept: Labels? = labelColumn == nil ? nil
                : network.task == .classification ? .classes(labels.map { Int($0) }) : .values(labels)
            return Dataset(schema: schema, rows: values.count / max(width, 1), values: values, labels: kept)
        }
        return (part(values.0, labels.0), part(values.1, labels.1))
    }

    /// The rows in `start..<end` (whole lines): the lines that are not empty.
    private static func rowCount(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int {
        var rows = 0, cursor = start
        while cursor < end {
            let stop = lineEnd(cursor, end)
            if stop > cursor && !(stop - cursor == 1 && cursor.pointee == 0x0D) { rows += 1 }
            cursor = stop < end ? stop + 1 : end
        }
        return rows
    }

    /// Where a piece writes its rows: the parts' buffers (values; labels, class indices as numbers), the
    /// next place in each, and which part each row of the file goes to.
    private struct RowSink {
        let width: Int
        let parts: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                    UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>)
        var next: (first: Int, second: Int)
        let flags: [Bool]?
        /// The row of the file the next line is.
        var row: Int

        /// The values and the label of the next row.
        mutating func place() -> (values: UnsafeMutablePointer<Double>, label: UnsafeMutablePointer<Double>?) {
            defer { row += 1 }
            if flags?[row] == true {
                defer { next.second += 1 }
                return (parts.2.baseAddress! + next.second * width, parts.3.baseAddress.map { $0 + next.second })
            }
            defer { next.first += 1 }
            return (parts.0.baseAddress! + next.first * width, parts.1.baseAddress.map { $0 + next.first })
        }
    }

    /// Reads rows: what each column feeds, the category and class names.
    private struct RowParser {
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

        /// Parses the lines in `start..<end` (whole lines) into `sink`; the number of rows, or nil at the
        /// first line the fast path declines.
        func parse(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, into sink: inout RowSink) -> Int? {
            let schema = network.schema
            var rows = 0
            var cursor = start
            while cursor < end {
                let stop = PlainCSVLoader.lineEnd(cursor, end)
                defer { cursor = stop < end ? stop + 1 : end }
                var lineStop = stop
                if lineStop > cursor && (lineStop - 1).pointee == 0x0D { lineStop -= 1 }
                if lineStop == cursor { continue }
                let place = sink.place()
                var column = 0, fieldStart = cursor
                while true {
                    let fieldEnd = UnsafePointer<UInt8>(memchr(fieldStart, 0x2C, lineStop - fieldStart)?.assumingMemoryBound(to: UInt8.self)) ?? lineStop
                    guard column < columnCount else { return nil }
                    let (first, last) = PlainCSVLoader.trimmed(fieldStart, fieldEnd)
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

    /// Whether `start..<end` (whole lines) has no quote and no bare carriage return: the fast path's files.
    private static func isPlain(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        memchr(start, 0x22, end - start) == nil && !hasBareCarriageReturn(start, end)
    }

    /// Whether a carriage return ends a line on its own (the general reader's old-Mac line end).
    private static func hasBareCarriageReturn(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        var cursor = start
        while cursor < end, let found = memchr(cursor, 0x0D, end - cursor)?.assumingMemoryBound(to: UInt8.self) {
            let next = UnsafePointer<UInt8>(found) + 1
            if next == end || next.pointee != 0x0A { return true }
            cursor = next
        }
        return false
    }

    fileprivate static func lineEnd(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        UnsafePointer(memchr(start, 0x0A, end - start)?.assumingMemoryBound(to: UInt8.self)) ?? end
    }

    /// The comma-separated spans of one line (its line break excluded, a carriage return dropped).
    private static func fields(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> [(UnsafePointer<UInt8>, UnsafePointer<UInt8>)] {
        var stop = end
        if stop > start && (stop - 1).pointee == 0x0D { stop -= 1 }
        var result: [(UnsafePointer<UInt8>, UnsafePointer<UInt8>)] = []
        var fieldStart = start
        while true {
            let fieldEnd = UnsafePointer<UInt8>(memchr(fieldStart, 0x2C, stop - fieldStart)?.assumingMemoryBound(to: UInt8.self)) ?? stop
            result.append((fieldStart, fieldEnd))
            if fieldEnd == stop { return result }
            fieldStart = fieldEnd + 1
        }
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
