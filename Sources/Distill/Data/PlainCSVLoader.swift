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
        guard let base = bytes.baseAddress else { return nil }
        let end = base + bytes.count
        var cursor = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? base + 3 : base
        guard memchr(cursor, 0x22, end - cursor) == nil, !hasBareCarriageReturn(cursor, end) else { return nil }
        // The header: names as the general reader keeps them (untrimmed).
        let headerEnd = lineEnd(cursor, end)
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
        // The rows in pieces of about 4 MB cut at line breaks, parsed in parallel and joined in order (the
        // values do not depend on the cuts).
        var cuts = [cursor]
        while let last = cuts.last, end - last > pieceBytes {
            let stop = lineEnd(last + pieceBytes, end)
            cuts.append(stop < end ? stop + 1 : end)
        }
        if cuts.last! < end { cuts.append(end) }
        guard cuts.count > 1, let pieces = try? Parallelism.map(cuts.count - 1, { parser.parse(cuts[$0], cuts[$0 + 1]) }),
              pieces.allSatisfy({ $0 != nil }) else { return nil }
        var parsed = pieces.map { $0! }
        let rows = parsed.reduce(0) { $0 + $1.rows }
        guard rows > 0 else { return nil }
        // Joined piece by piece, each freed once copied: the peak is the values plus one piece.
        var values: [Double] = [], classLabels: [Int] = [], targets: [Double] = []
        values.reserveCapacity(rows * schema.count)
        for index in parsed.indices {
            values.append(contentsOf: parsed[index].values)
            classLabels.append(contentsOf: parsed[index].classLabels)
            targets.append(contentsOf: parsed[index].targets)
            parsed[index] = ParsedRows()
        }
        var labels: Labels?
        if labelColumn != nil { labels = network.task == .classification ? .classes(classLabels) : .values(targets) }
        return Dataset(schema: schema, rows: rows, values: values, labels: labels)
    }

    /// The rows of one piece of the file.
    private struct ParsedRows {
        var rows = 0
        var values: [Double] = [], classLabels: [Int] = [], targets: [Double] = []
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

        /// The rows of the lines in `start..<end` (whole lines), or nil at the first the fast path declines.
        func parse(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> ParsedRows? {
            let schema = network.schema
            var result = ParsedRows()
            result.values.reserveCapacity((end - start) / max(1, 8 * columnCount) * schema.count)
            var row = [Double](repeating: 0, count: schema.count)
            var cursor = start
            while cursor < end {
                let stop = PlainCSVLoader.lineEnd(cursor, end)
                defer { cursor = stop < end ? stop + 1 : end }
                var lineStop = stop
                if lineStop > cursor && (lineStop - 1).pointee == 0x0D { lineStop -= 1 }
                if lineStop == cursor { continue }
                var column = 0, fieldStart = cursor
                while true {
                    let fieldEnd = UnsafePointer<UInt8>(memchr(fieldStart, 0x2C, lineStop - fieldStart)?.assumingMemoryBound(to: UInt8.self)) ?? lineStop
                    guard column < columnCount else { return nil }
                    let (first, last) = PlainCSVLoader.trimmed(fieldStart, fieldEnd)
                    if let feature = feeds[column] {
                        guard let value = PlainCSVLoader.cell(first, last, feature: schema.features[feature], categories: categories[feature]) else { return nil }
                        row[feature] = value
                    }
                    if column == labelColumn {
                        switch network.task {
                        case .classification:
                            guard let index = PlainCSVLoader.classIndex(first, last, classes: classes, count: network.outputs.count) else { return nil }
                            result.classLabels.append(index)
                        case .regression:
                            guard let value = PlainCSVLoader.number(first, last) else { return nil }
                            result.targets.append(value)
                        }
                    }
                    column += 1
                    if fieldEnd == lineStop { break }
                    fieldStart = fieldEnd + 1
                }
                guard column == columnCount else { return nil }
                result.values.append(contentsOf: row)
                result.rows += 1
            }
            return result
        }
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
