#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Quoted fields on the fast path, read as `CSVReader` reads them: a field that starts with a double quote
/// runs to the matching quote (a doubled quote inside stands for one) and must end there; a quote anywhere
/// else is the general reader's error. The fast path takes quoted fields that stay on one line; a file with
/// a quoted line break, or anything else it declines, goes to the general reader.
extension PlainCSVLoader {
    static let quote: UInt8 = 0x22

    /// Whether the whole lines `start..<end` suit the fast path (nil: a bare carriage return, or a line
    /// whose quotes do not pair up, which means a quoted field runs over a line break), and whether they
    /// hold any quote.
    static func quoting(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool? {
        guard !hasBareCarriageReturn(start, end) else { return nil }
        guard let first = memchr(start, Int32(quote), end - start)?.assumingMemoryBound(to: UInt8.self) else { return false }
        // Lines before the first quote have none; from its line on, every line's quotes are counted.
        var lineStart = UnsafePointer<UInt8>(first)
        while lineStart > start && (lineStart - 1).pointee != 0x0A { lineStart -= 1 }
        while lineStart < end {
            let stop = lineEnd(lineStart, end)
            var count = 0, cursor = lineStart
            while cursor < stop, let found = memchr(cursor, Int32(quote), stop - cursor)?.assumingMemoryBound(to: UInt8.self) {
                count += 1
                cursor = UnsafePointer(found) + 1
            }
            if count % 2 == 1 { return nil }
            lineStart = stop < end ? stop + 1 : end
        }
        return true
    }

    /// The field starting at `start` of a line that ends at `stop` (its line break and carriage return
    /// excluded): its contents (inside the quotes of a quoted field), whether they hold doubled quotes, and
    /// where the field ends (at a comma or `stop`). Nil where the general reader would refuse the field.
    static func field(_ start: UnsafePointer<UInt8>, _ stop: UnsafePointer<UInt8>)
        -> (first: UnsafePointer<UInt8>, last: UnsafePointer<UInt8>, escaped: Bool, end: UnsafePointer<UInt8>)? {
        if start < stop && start.pointee == quote {
            var cursor = start + 1, escaped = false
            while true {
                guard let found = memchr(cursor, Int32(quote), stop - cursor)?.assumingMemoryBound(to: UInt8.self) else { return nil }
                let closing = UnsafePointer<UInt8>(found)
                if closing + 1 < stop && (closing + 1).pointee == quote {
                    escaped = true
                    cursor = closing + 2
                    continue
                }
                guard closing + 1 == stop || (closing + 1).pointee == 0x2C else { return nil }
                return (start + 1, closing, escaped, closing + 1)
            }
        }
        let end = UnsafePointer<UInt8>(memchr(start, 0x2C, stop - start)?.assumingMemoryBound(to: UInt8.self)) ?? stop
        guard memchr(start, Int32(quote), end - start) == nil else { return nil }
        return (start, end, false, end)
    }

    /// The header's names as the general reader keeps them (untrimmed, quotes removed, doubled quotes
    /// made single); nil where it would refuse the line.
    static func names(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> [String]? {
        var stop = end
        if stop > start && (stop - 1).pointee == 0x0D { stop -= 1 }
        var names: [String] = [], cursor = start
        while true {
            guard let field = field(cursor, stop) else { return nil }
            var bytes = Array(UnsafeBufferPointer(start: field.first, count: field.last - field.first))
            if field.escaped {
                var unescaped: [UInt8] = [], index = 0
                while index < bytes.count {
                    unescaped.append(bytes[index])
                    index += bytes[index] == quote ? 2 : 1
                }
                bytes = unescaped
            }
            names.append(String(decoding: bytes, as: UTF8.self))
            if field.end == stop { return names }
            cursor = field.end + 1
        }
    }
}
