import Foundation

extension Activation {
    /// `values[r, j] = f(values[r, j] + bias[j])` in place on a block of `rows x width` values (softmax:
    /// the bias added, then each row normalised): one pass over the block, the case chosen once, the
    /// exponential functions and erfc from `VectorMath` (softplus and SELU from the C library).
    func applyBiased(_ values: UnsafeMutablePointer<Double>, rows: Int, width: Int, bias: UnsafePointer<Double>) {
        switch self {
        case .identity:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 }
        case .relu:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 > 0 ? $0 : 0 }
        case let .leakyReLU(alpha):
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 > 0 ? $0 : alpha * $0 }
        case .sigmoid, .tanh, .elu, .silu, .gelu:
            for row in 0..<rows { vectorized(values + row * width, count: width, bias: bias) }
        case .softplus, .selu, .hardSigmoid:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { scalar($0) }
        case .softmax:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 }
            Self.softmax(values, rows: rows, width: width, vectorized: true)
        }
    }

    /// The activation in place on a block of `rows x width` values: the C library's functions (the
    /// reference interpreter), or `VectorMath`'s where `vectorized`.
    func apply(_ values: UnsafeMutablePointer<Double>, rows: Int, width: Int, vectorized: Bool) {
        let count = rows * width
        switch self {
        case .identity:
            return
        case .softmax:
            Self.softmax(values, rows: rows, width: width, vectorized: vectorized)
        case .relu:
            for index in 0..<count { values[index] = values[index] > 0 ? values[index] : 0 }
        case .sigmoid where vectorized, .tanh where vectorized, .elu where vectorized, .silu where vectorized,
             .gelu where vectorized:
            self.vectorized(values, count: count, bias: nil)
        default:
            for index in 0..<count { values[index] = scalar(values[index]) }
        }
    }

    /// The activation by `VectorMath`, eight values at a time (sigmoid, tanh, ELU and SiLU), after adding
    /// `bias` when given.
    private func vectorized(_ values: UnsafeMutablePointer<Double>, count: Int, bias: UnsafePointer<Double>?) {
        switch self {
        case .sigmoid: VectorMath.map(values, count: count, adding: bias) { VectorMath.logistic($0) }
        case .tanh: VectorMath.map(values, count: count, adding: bias) { VectorMath.tanh($0) }
        case let .elu(alpha):
            VectorMath.map(values, count: count, adding: bias) { x in
                x.replacing(with: VectorMath.expm1(x) * alpha, where: x .<= 0)
            }
        case .silu: VectorMath.map(values, count: count, adding: bias) { $0 * VectorMath.logistic($0) }
        case .gelu: VectorMath.map(values, count: count, adding: bias) { VectorMath.gelu($0) }
        default: preconditionFailure("no vectorized form of \(name)")
        }
    }

    /// Each row's softmax, shifted by its largest value.
    private static func softmax(_ values: UnsafeMutablePointer<Double>, rows: Int, width: Int, vectorized: Bool) {
        for row in 0..<rows {
            let base = values + row * width
            var largest = -Double.infinity
            for index in 0..<width { largest = Swift.max(largest, base[index]) }
            if vectorized {
                for index in 0..<width { base[index] -= largest }
                VectorMath.map(base, count: width, adding: nil) { VectorMath.exp($0) }
            } else {
                for index in 0..<width { base[index] = Foundation.exp(base[index] - largest) }
            }
            var total = 0.0
            for index in 0..<width { total += base[index] }
            for index in 0..<width { base[index] /= total }
        }
    }

    @inline(__always)
    private static func eachBiased(_ values: UnsafeMutablePointer<Double>, rows: Int, width: Int, bias: UnsafePointer<Double>,
                                   _ f: (Double) -> Double) {
        for row in 0..<rows {
            let base = values + row * width
            for index in 0..<width { base[index] = f(base[index] + bias[index]) }
        }
    }
}
