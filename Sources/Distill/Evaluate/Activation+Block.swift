import Foundation

extension Activation {
    /// `values[r, j] = f(values[r, j] + bias[j])` in place on a block of `rows x width` values (softmax:
    /// the bias added, then each row normalised). One pass over the block, with the case chosen once.
    func applyBiased(_ values: UnsafeMutablePointer<Double>, rows: Int, width: Int, bias: UnsafePointer<Double>) {
        switch self {
        case .identity:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 }
        case .relu:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 > 0 ? $0 : 0 }
        case let .leakyReLU(alpha):
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 > 0 ? $0 : alpha * $0 }
        case .sigmoid:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { Activation.logistic($0) }
        case .tanh:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { Foundation.tanh($0) }
        case let .elu(alpha):
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 > 0 ? $0 : alpha * Foundation.expm1($0) }
        case .gelu, .softplus, .silu:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { scalar($0) }
        case .softmax:
            Self.eachBiased(values, rows: rows, width: width, bias: bias) { $0 }
            Activation.softmax.apply(values, rows: rows, width: width)
        }
    }

    /// The activation in place on a block of `rows x width` values.
    func apply(_ values: UnsafeMutablePointer<Double>, rows: Int, width: Int) {
        switch self {
        case .identity:
            return
        case .softmax:
            for row in 0..<rows {
                let base = values + row * width
                var largest = -Double.infinity
                for index in 0..<width { largest = Swift.max(largest, base[index]) }
                var total = 0.0
                for index in 0..<width {
                    let e = Foundation.exp(base[index] - largest)
                    base[index] = e
                    total += e
                }
                for index in 0..<width { base[index] /= total }
            }
        case .relu:
            for index in 0..<(rows * width) { values[index] = values[index] > 0 ? values[index] : 0 }
        default:
            for index in 0..<(rows * width) { values[index] = scalar(values[index]) }
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
