#if canImport(Accelerate)
import Accelerate
#endif

/// The dense-layer products every forward and backward pass goes through, on a block of rows held in
/// row-major buffers.
///
/// - `reference`: the interpreter's loop (per row and unit: the bias, then each input's product in input
///   order). Kept as the reference the fast kernel is tested against.
/// - `blas`: a matrix product by BLAS `dgemm` (OpenBLAS on Linux, Accelerate on macOS), one thread per
///   call; callers spread row blocks over the cores (`Parallelism`). Agrees with `reference` to rounding
///   (the sums are taken in another order). `NetworkEvaluator.predictedClasses` and `drawnOutputs`
///   also multiply by `sgemm` (`BLAS.multiply` on `Float`) on wide networks.
public enum DenseKernel: String, CaseIterable, Sendable {
    case reference
    case blas

    /// The kernel passes use unless told otherwise.
    public static let fast: DenseKernel = .blas

    /// The library behind `blas`, e.g. "OpenBLAS (Cooperlake kernels)" or "Accelerate"; nil when none
    /// could be loaded (`blas` then computes as `reference`).
    public static var blasLibrary: String? { BLAS.libraryName }

    /// `output[r, u] = sum_i weights[u, i] input[r, i]` (plus `bias[u]` when `addBias`) for `rows`
    /// rows: `input` is `rows x layer.inputs`, `output` is `rows x layer.units`.
    public func forward(_ layer: DenseLayer, input: UnsafePointer<Double>, rows: Int,
                        output: UnsafeMutablePointer<Double>, addBias: Bool) {
        let units = layer.units, inputs = layer.inputs
        guard rows > 0, units > 0 else { return }
        layer.weights.withUnsafeBufferPointer { w in
            layer.bias.withUnsafeBufferPointer { bias in
                switch self {
                case .reference:
                    for row in 0..<rows {
                        let x = input + row * inputs
                        for unit in 0..<units {
                            let wBase = unit * inputs
                            var sum = addBias ? bias[unit] : 0
                            for index in 0..<inputs { sum += w[wBase + index] * x[index] }
                            output[row * units + unit] = sum
                        }
                    }
                case .blas:
                    guard inputs > 0 else {
                        for row in 0..<rows { for unit in 0..<units { output[row * units + unit] = addBias ? bias[unit] : 0 } }
                        return
                    }
                    guard BLAS.multiply(rows: rows, columns: units, depth: inputs, input, w.baseAddress!, transposingB: true, into: output) else {
                        return DenseKernel.reference.forward(layer, input: input, rows: rows, output: output, addBias: addBias)
                    }
                    if addBias {
                        for row in 0..<rows {
                            let out = output + row * units
                            for unit in 0..<units { out[unit] += bias[unit] }
                        }
                    }
                }
            }
        }
    }

    /// `input[r, i] = sum_u gradient[r, u] weights[u, i]`: the gradient with respect to the layer's input
    /// from the gradient with respect to its pre-activation (`gradient` is `rows x units`).
    public func backward(_ layer: DenseLayer, gradient: UnsafePointer<Double>, rows: Int,
                         input: UnsafeMutablePointer<Double>) {
        let units = layer.units, inputs = layer.inputs
        guard rows > 0, inputs > 0 else { return }
        layer.weights.withUnsafeBufferPointer { w in
            switch self {
            case .reference:
                for row in 0..<rows {
                    let dx = input + row * inputs
                    for index in 0..<inputs { dx[index] = 0 }
                    for unit in 0..<units {
                        let dz = gradient[row * units + unit]
                        guard dz != 0 else { continue }
                        let wBase = unit * inputs
                        for index in 0..<inputs { dx[index] += w[wBase + index] * dz }
                    }
                }
            case .blas:
                guard units > 0 else {
                    for index in 0..<(rows * inputs) { input[index] = 0 }
                    return
                }
                guard BLAS.multiply(rows: rows, columns: inputs, depth: units, gradient, w.baseAddress!, transposingB: false, into: input) else {
                    return DenseKernel.reference.backward(layer, gradient: gradient, rows: rows, input: input)
                }
            }
        }
    }

    /// The whole-matrix form of `forward`: `rows` rows of `input` through the layer (bias added).
    public func forward(_ layer: DenseLayer, _ input: [Double], rows: Int) -> [Double] {
        var output = [Double](repeating: 0, count: rows * layer.units)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { out in
                guard let source = x.baseAddress, let target = out.baseAddress else { return }
                forward(layer, input: source, rows: rows, output: target, addBias: true)
            }
        }
        return output
    }
}

/// The matrix product of the BLAS kernel: Accelerate's `cblas_dgemm` on macOS, OpenBLAS's on Linux
/// (`OpenBLASLibrary`, loaded at first use, one thread per call).
enum BLAS {
    /// `c = a b` (`a`: rows x depth; `b`: depth x columns, or columns x depth when `transposingB`; all
    /// row-major and contiguous). False when no BLAS library could be loaded (nothing is written).
    static func multiply(rows: Int, columns: Int, depth: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                         transposingB: Bool, into c: UnsafeMutablePointer<Double>) -> Bool {
        let ldb = Int32(transposingB ? depth : columns)
        #if canImport(Accelerate)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, transposingB ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
                    Int32(depth), 1, a, Int32(depth), b, ldb, 0, c, Int32(columns))
        return true
        #else
        guard let library = OpenBLASLibrary.shared else { return false }
        library.dgemm(OpenBLASLibrary.rowMajor, OpenBLASLibrary.noTranspose,
                      transposingB ? OpenBLASLibrary.transpose : OpenBLASLibrary.noTranspose, Int32(rows), Int32(columns),
                      Int32(depth), 1, a, Int32(depth), b, ldb, 0, c, Int32(columns))
        return true
        #endif
    }

    /// `c = aᵀ b` (`a`: depth x rows; `b`: depth x columns; `c`: rows x columns; all row-major and
    /// contiguous): a Gram matrix when `b` is `a` or a weighted `a`. False when no BLAS library could be
    /// loaded (nothing is written).
    static func multiplyTransposed(rows: Int, columns: Int, depth: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
                                   into c: UnsafeMutablePointer<Double>) -> Bool {
        #if canImport(Accelerate)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(depth), 1, a, Int32(rows),
                    b, Int32(columns), 0, c, Int32(columns))
        return true
        #else
        guard let library = OpenBLASLibrary.shared else { return false }
        library.dgemm(OpenBLASLibrary.rowMajor, OpenBLASLibrary.transpose, OpenBLASLibrary.noTranspose, Int32(rows), Int32(columns),
                      Int32(depth), 1, a, Int32(rows), b, Int32(columns), 0, c, Int32(columns))
        return true
        #endif
    }

    /// `multiply` in single precision: false when the library has no single-precision product.
    static func multiply(rows: Int, columns: Int, depth: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                         transposingB: Bool, into c: UnsafeMutablePointer<Float>) -> Bool {
        let ldb = Int32(transposingB ? depth : columns)
        #if canImport(Accelerate)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposingB ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns),
                    Int32(depth), 1, a, Int32(depth), b, ldb, 0, c, Int32(columns))
        return true
        #else
        guard let sgemm = OpenBLASLibrary.shared?.sgemm else { return false }
        sgemm(OpenBLASLibrary.rowMajor, OpenBLASLibrary.noTranspose,
              transposingB ? OpenBLASLibrary.transpose : OpenBLASLibrary.noTranspose, Int32(rows), Int32(columns),
              Int32(depth), 1, a, Int32(depth), b, ldb, 0, c, Int32(columns))
        return true
        #endif
    }

    /// Whether `multiply` can run (a BLAS library is loaded).
    static var isAvailable: Bool {
        #if canImport(Accelerate)
        return true
        #else
        return OpenBLASLibrary.shared != nil
        #endif
    }

    /// Whether `multiply` in single precision can run (a library with `sgemm` is loaded).
    static var hasSinglePrecision: Bool {
        #if canImport(Accelerate)
        return true
        #else
        return OpenBLASLibrary.shared?.sgemm != nil
        #endif
    }

    /// The library in use, e.g. "OpenBLAS (Cooperlake kernels)"; nil when there is none.
    static var libraryName: String? {
        #if canImport(Accelerate)
        return "Accelerate"
        #else
        return OpenBLASLibrary.shared.map { "OpenBLAS (\($0.coreName) kernels)" }
        #endif
    }
}
