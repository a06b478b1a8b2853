import Foundation

/// The weights of a TF.js `weightsManifest`: each group's `.bin` shards (next to the model file, read in
/// order and joined) hold its weights back to back, as float32 or int32, float16, or uint8 / uint16
/// quantised with `min + scale * q`. Weights are looked up by layer and variable name (`dense_1/kernel`,
/// with any scope before the layer name and any `:0` after it ignored).
struct TFJSWeights {
    struct Weight {
        var shape: [Int]
        var values: [Double]
    }

    private var byName: [String: Weight] = [:]
    let file: String

    init(manifest: JSONReader, file: String) throws {
        self.file = file
        for group in try manifest.elements() {
            var bytes: [UInt8] = []
            for pathReader in try group.member("paths").elements() {
                let shard = try pathReader.string()
                guard let path = FileInput.path(shard, besideModel: file) else {
                    throw pathReader.error("shard '\(shard)' is outside the model's folder; expected a file next to the model")
                }
                do {
                    bytes += try FileInput.readBytes(path: path)
                } catch let error as Diagnostic {
                    throw pathReader.error("weights shard cannot be read: \(error.file): \(error.message)")
                }
            }
            var offset = 0
            for entry in try group.member("weights").elements() {
                let name = try entry.member("name").string()
                let shapeReader = try entry.member("shape")
                let shape = try shapeReader.elements().map { try $0.integer() }
                guard shape.allSatisfy({ $0 >= 0 }), shape.count <= 4, shape.reduce(1, *) < 1 << 31 else {
                    throw shapeReader.error("impossible shape \(shape)")
                }
                let count = shape.reduce(1, *)
                let dtype = try entry.optionalMember("dtype")?.string() ?? "float32"
                let quantization = try entry.optionalMember("quantization")
                let stored = try quantization?.member("dtype").string() ?? dtype
                let size: Int
                switch stored {
                case "float32", "int32": size = 4
                case "float16", "uint16": size = 2
                case "uint8": size = 1
                default: throw entry.error("weight '\(name)' stored as \(stored); expected float32, int32, float16, uint16 or uint8")
                }
                guard offset + count * size <= bytes.count else {
                    throw entry.error("weight '\(name)' needs bytes \(offset)..<\(offset + count * size) of its group's shards, which hold \(bytes.count)")
                }
                let scale = try quantization?.optionalMember("scale")?.number() ?? 1
                let minimum = try quantization?.optionalMember("min")?.number() ?? 0
                var values = [Double](repeating: 0, count: count)
                bytes.withUnsafeBytes { raw in
                    for index in 0..<count {
                        let at = offset + index * size
                        switch stored {
                        case "float32": values[index] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))))
                        case "int32": values[index] = Double(Int32(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))))
                        case "float16": values[index] = Self.half(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
                        case "uint16": values[index] = minimum + scale * Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
                        default: values[index] = minimum + scale * Double(raw[at])
                        }
                    }
                }
                guard values.allSatisfy(\.isFinite) else { throw entry.error("weight '\(name)' holds a non-finite number") }
                offset += count * size
                byName[Self.key(name)] = Weight(shape: shape, values: values)
            }
        }
    }

    /// The weight `variable` of layer `layer` (e.g. "dense_1", "kernel").
    func take(layer: String, _ variable: String, at item: JSONReader) throws -> Weight {
        let wanted = "\(layer)/\(variable)"
        if let weight = byName[wanted] { return weight }
        if let (_, weight) = byName.first(where: { $0.key.hasSuffix("/" + wanted) }) { return weight }
        throw item.error("layer '\(layer)' has no weight '\(wanted)' in the weightsManifest")
    }

    private static func key(_ name: String) -> String {
        name.hasSuffix(":0") ? String(name.dropLast(2)) : name
    }

    /// An IEEE 754 half-precision value.
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int(bits >> 10) & 0x1F, fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
