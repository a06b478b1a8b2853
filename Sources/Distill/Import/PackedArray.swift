import Foundation

/// A numeric array packed as base64 little-endian bytes:
/// `{"dtype": "float32" | "float64", "shape": [rows, cols] or [n], "base64": "..."}`.
struct PackedArray {
    var shape: [Int]
    var values: [Double]

    static func decode(_ reader: JSONReader) throws -> PackedArray {
        try reader.checkKeys(["dtype", "shape", "base64"])
        let dtypeReader = try reader.member("dtype")
        let dtype = try dtypeReader.string()
        let size: Int
        switch dtype {
        case "float32": size = 4
        case "float64": size = 8
        default: throw dtypeReader.error("unknown dtype \"\(dtype)\"; expected \"float32\" or \"float64\"")
        }
        let shapeReader = try reader.member("shape")
        let shape = try shapeReader.elements().map { try $0.integer() }
        guard (1...2).contains(shape.count), shape.allSatisfy({ $0 > 0 }) else {
            throw shapeReader.error("expected [n] or [rows, cols] with positive sizes, found \(shape)")
        }
        // The declared size is checked against the text before anything is allocated or multiplied out.
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Int.max / 8 else {
                throw shapeReader.error("shape \(shape) declares more values than any file can hold")
            }
            count = product
        }
        let textReader = try reader.member("base64")
        let text = try textReader.string()
        guard count * size <= 2 * text.utf8.count + 16 else {
            throw textReader.error("expected \(count * size) bytes (\(count) \(dtype) values for shape \(shape)), but the base64 text is only \(text.utf8.count) characters long")
        }
        guard let data = Base64.decode(text) else {
            throw textReader.error("invalid base64 text")
        }
        guard data.count == count * size else {
            throw textReader.error("expected \(count * size) bytes (\(count) \(dtype) values for shape \(shape)), found \(data.count)")
        }
        var values = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { bytes in
            for index in 0..<count {
                if size == 4 {
                    let bits = bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                    values[index] = Double(Float(bitPattern: UInt32(littleEndian: bits)))
                } else {
                    let bits = bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                    values[index] = Double(bitPattern: UInt64(littleEndian: bits))
                }
            }
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw textReader.error("element \(bad) is not a finite number (\(values[bad]))")
        }
        return PackedArray(shape: shape, values: values)
    }
}

/// Standard base64 decoding: canonical text (the alphabet, then at most two `=` making whole groups of
/// four) by a table, anything else (line breaks and other characters to skip) by Foundation, which
/// skips characters outside the alphabet.
enum Base64 {
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        if let bytes = text.withUTF8({ canonical($0) }) { return bytes }
        return Data(base64Encoded: text, options: [.ignoreUnknownCharacters]).map { [UInt8]($0) }
    }

    private static func canonical(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var length = text.count
        guard length % 4 == 0 else { return nil }
        var padding = 0
        while padding < 2, length > 0, text[length - 1] == 0x3D {
            padding += 1
            length -= 1
        }
        let groups = text.count / 4
        let size = groups * 3 - padding
        var invalid: UInt8 = 0
        let bytes = table.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: groups * 3) { output, initialized in
                for group in 0..<groups {
                    var bits: UInt32 = 0
                    for offset in 0..<4 {
                        let position = group * 4 + offset
                        let value = position < length ? table[Int(text[position])] : 0
                        invalid |= value
                        bits = bits << 6 | UInt32(value & 0x3F)
                    }
                    output[group * 3] = UInt8(truncatingIfNeeded: bits >> 16)
                    output[group * 3 + 1] = UInt8(truncatingIfNeeded: bits >> 8)
                    output[group * 3 + 2] = UInt8(truncatingIfNeeded: bits)
                }
                initialized = groups * 3
            }
        }
        guard invalid & 0x80 == 0 else { return nil }
        return Array(bytes.prefix(size))
    }
}

