import Foundation
import ONNXProto

/// A constant of an ONNX graph (an initializer or a `Constant` node's value) as Doubles with its shape.
struct ONNXTensor {
    var dims: [Int]
    var values: [Double]

    /// ONNX's `TensorProto.DataType` codes this reader accepts.
    static let float32: Int32 = 1, int32: Int32 = 6, int64: Int32 = 7, string: Int32 = 8, float64: Int32 = 11

    /// Reads `tensor`: float32/float64 (and int32/int64, for shapes), from `raw_data` (little-endian), the
    /// typed fields, or a file next to the model (`external`, as `torch.onnx.export` writes its weights by
    /// default); `place` names it in diagnostics.
    init(_ tensor: Onnx_TensorProto, file: String, place: String, external: ONNXExternalData? = nil) throws {
        guard tensor.dims.allSatisfy({ $0 >= 0 }), tensor.dims.count <= 8,
              tensor.dims.reduce(Int64(1), { $0.multipliedReportingOverflow(by: $1).overflow ? Int64.max : $0 * $1 }) < 1 << 40 else {
            throw Diagnostic(file: file, at: .jsonPath(place), "tensor '\(tensor.name)' has an impossible shape \(tensor.dims)")
        }
        let dims = tensor.dims.map { Int($0) }
        self.dims = dims
        let count = dims.reduce(1, *)
        var raw = tensor.rawData
        if tensor.hasDataLocation, tensor.dataLocation == .external {
            guard let external else {
                throw Diagnostic(file: file, at: .jsonPath(place), "tensor '\(tensor.name)' is stored in an external file; expected the data inside the model")
            }
            raw = try external.bytes(of: tensor, file: file, place: place)
        }
        func fromRaw<T>(_ type: T.Type, _ convert: (T) -> Double) throws -> [Double] {
            guard raw.count == count * MemoryLayout<T>.size else {
                throw Diagnostic(file: file, at: .jsonPath(place),
                                 "raw_data holds \(raw.count) bytes; the shape \(dims) needs \(count * MemoryLayout<T>.size)")
            }
            return raw.withUnsafeBytes { bytes in (0..<count).map { convert(bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) } }
        }
        let values: [Double]
        switch tensor.dataType {
        case Self.float32:
            values = raw.isEmpty ? tensor.floatData.map(Double.init) : try fromRaw(UInt32.self) { Double(Float(bitPattern: UInt32(littleEndian: $0))) }
        case Self.float64:
            values = raw.isEmpty ? tensor.doubleData : try fromRaw(UInt64.self) { Double(bitPattern: UInt64(littleEndian: $0)) }
        case Self.int64:
            values = raw.isEmpty ? tensor.int64Data.map(Double.init) : try fromRaw(UInt64.self) { Double(Int64(bitPattern: UInt64(littleEndian: $0))) }
        case Self.int32:
            values = raw.isEmpty ? tensor.int32Data.map(Double.init) : try fromRaw(UInt32.self) { Double(Int32(bitPattern: UInt32(littleEndian: $0))) }
        default:
            throw Diagnostic(file: file, at: .jsonPath(place),
                             "tensor '\(tensor.name)' has data type \(tensor.dataType); expected float (1), double (11), int32 (6) or int64 (7)")
        }
        self.values = values
        guard values.count == count else {
            throw Diagnostic(file: file, at: .jsonPath(place), "tensor '\(tensor.name)' holds \(values.count) values; its shape \(dims) needs \(count)")
        }
    }

    init(dims: [Int], values: [Double]) {
        self.dims = dims
        self.values = values
    }
}

/// The files an ONNX model keeps tensors in (`data_location: EXTERNAL`; keys `location`, `offset`,
/// `length`), found next to the model, each read once. Locations must stay inside the model's folder.
final class ONNXExternalData {
    let modelPath: String
    private var files: [String: [UInt8]] = [:]

    init(modelPath: String) {
        self.modelPath = modelPath
    }

    func bytes(of tensor: Onnx_TensorProto, file: String, place: String) throws -> Data {
        let entries = Dictionary(tensor.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        func fail(_ message: String) -> Diagnostic {
            Diagnostic(file: file, at: .jsonPath(place), "tensor '\(tensor.name)': \(message)")
        }
        guard let location = entries["location"], !location.isEmpty else { throw fail("external data without a 'location'") }
        guard let path = FileInput.path(location, besideModel: modelPath) else {
            throw fail("external data location '\(location)' is outside the model's folder; expected a file next to the model")
        }
        if files[path] == nil {
            do {
                files[path] = try FileInput.readBytes(path: path)
            } catch let error as Diagnostic {
                throw fail("its external data file cannot be read: \(error.file): \(error.message)")
            }
        }
        let content = files[path]!
        guard let offset = Int(entries["offset"] ?? "0"), offset >= 0, offset <= content.count else {
            throw fail("external data offset '\(entries["offset"] ?? "")' is outside '\(location)' (\(content.count) bytes)")
        }
        let length = Int(entries["length"] ?? "") ?? (content.count - offset)
        guard length >= 0, offset + length <= content.count else {
            throw fail("external data length \(length) at offset \(offset) runs past the end of '\(location)' (\(content.count) bytes)")
        }
        return Data(content[offset..<(offset + length)])
    }
}
