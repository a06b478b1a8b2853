import Foundation
import ONNXProto

/// A constant of an ONNX graph (an initializer or a `Constant` node's value) as Doubles with its shape.
struct ONNXTensor {
    var dims: [Int]
    var values: [Double]

    /// ONNX's `TensorProto.DataType` codes this reader accepts.
    static let float32: Int32 = 1, int32: Int32 = 6, int64: Int32 = 7, float64: Int32 = 11

    /// Reads `tensor`: float32/float64 (and int32/int64, for shapes), from `raw_data` (little-endian) or
    /// the typed fields; `place` names it in diagnostics.
    init(_ tensor: Onnx_TensorProto, file: String, place: String) throws {
        if tensor.hasDataLocation, tensor.dataLocation == .external {
            throw Diagnostic(file: file, at: .jsonPath(place), "tensor '\(tensor.name)' is stored in an external file; expected the data inside the model")
        }
        guard tensor.dims.allSatisfy({ $0 >= 0 }) else {
            throw Diagnostic(file: file, at: .jsonPath(place), "tensor '\(tensor.name)' has a negative dimension in \(tensor.dims)")
        }
        let dims = tensor.dims.map { Int($0) }
        self.dims = dims
        let count = dims.reduce(1, *)
        let raw = tensor.rawData
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
