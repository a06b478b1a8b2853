#if canImport(Accelerate)
import Accelerate
#elseif canImport(COpenBLAS)
import COpenBLAS
import Glibc
#endif

/// The dense-layer products every forward and backward pass goes through, on a block of rows held in
/// row-major buffers.
///
/// - `reference`: the interpreter's loop (per row and unit: the bias, then each input's product in input
///   order). Kept as the reference the fast kernel is tested against.
/// - `blas`: a matrix product by BLAS `dgemm` (OpenBLAS on Linux, Accelerate on macOS), one thread per
///   call; callers spread row blocks over the cores (`Parallelism`). Agrees with `reference` to rounding
///   (the sums are taken in another order).
public enum DenseKernel: String, CaseIterable, Sendable {
    case reference
    case blas

    /// The kernel passes use unless told otherwise.
    public static let fast: DenseKernel = .blas

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
                    BLAS.configure
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(units), Int32(inputs),
                                1, input, Int32(inputs), w.baseAddress, Int32(inputs), 0, output, Int32(units))
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
                BLAS.configure
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(inputs), Int32(units),
                            1, gradient, Int32(units), w.baseAddress, Int32(inputs), 0, input, Int32(inputs))
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

/// One-time BLAS set-up: OpenBLAS runs every call on the calling thread, since distill spreads its own
/// row blocks over the cores (and a result must not depend on how many threads BLAS would use). Its
/// thread pool, started when the library loads, is shut down: idle, its threads spin for a while and
/// take turns on the cores distill's own workers need.
enum BLAS {
    static let configure: Void = {
        #if canImport(COpenBLAS) && !canImport(Accelerate)
        openblas_set_num_threads(1)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "blas_thread_shutdown_") {
            typealias Shutdown = @convention(c) () -> Int32
            _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
        #endif
    }()
}
