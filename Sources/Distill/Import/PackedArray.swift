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
        let count = shape.reduce(1, *)
        let textReader = try reader.member("base64")
        let text = try textReader.string()
        guard let data = Data(base64Encoded: text, options: [.ignoreUnknownCharacters]) else {
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
