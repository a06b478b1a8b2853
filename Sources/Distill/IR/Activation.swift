import Foundation

/// An element-wise (or, for softmax, row-wise) activation function of the model format.
public enum Activation: Equatable, Sendable {
    case identity
    case relu
    case leakyReLU(alpha: Double)
    case sigmoid
    case tanh
    case softmax
    case elu(alpha: Double)
    /// The exact GELU, x·Φ(x) with Φ the standard normal CDF (PyTorch's default).
    case gelu
    case softplus
    case silu
    /// SELU with PyTorch's and Keras's constants: λ·x for x > 0, else λ·α·(e^x − 1).
    case selu
    /// max(0, min(1, alpha·x + 0.5)): ONNX's HardSigmoid (alpha 0.2), PyTorch's and Keras 3's (alpha 1/6).
    case hardSigmoid(alpha: Double)

    /// SELU's α and λ (Klambauer et al. 2017, as PyTorch and ONNX fix them).
    public static let seluAlpha = 1.6732632423543772848170429916717
    /// SELU's λ, the scale applied to both branches.
    public static let seluScale = 1.0507009873554804934193349852946

    /// The activation's own numbers (alpha), empty for those without.
    public var parameters: [Double] {
        switch self {
        case let .leakyReLU(alpha), let .elu(alpha), let .hardSigmoid(alpha): return [alpha]
        default: return []
        }
    }

    /// The name used in the model format.
    public var name: String {
        switch self {
        case .identity: return "identity"
        case .relu: return "relu"
        case .leakyReLU: return "leaky_relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .softmax: return "softmax"
        case .elu: return "elu"
        case .gelu: return "gelu"
        case .softplus: return "softplus"
        case .silu: return "silu"
        case .selu: return "selu"
        case .hardSigmoid: return "hard_sigmoid"
        }
    }

    /// Every name the model format accepts.
    public static let knownNames = ["identity", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "elu",
                                    "gelu", "softplus", "silu", "selu", "hard_sigmoid"]

    /// Applies the activation in place to `rows` rows of `width` values.
    public func apply(to values: inout [Double], rows: Int, width: Int) {
        switch self {
        case .identity:
            return
        case .softmax:
            values.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<rows {
                    let base = row * width
                    var largest = -Double.infinity
                    for index in base..<(base + width) { largest = Swift.max(largest, buffer[index]) }
                    var total = 0.0
                    for index in base..<(base + width) {
                        let e = Foundation.exp(buffer[index] - largest)
                        buffer[index] = e
                        total += e
                    }
                    for index in base..<(base + width) { buffer[index] /= total }
                }
            }
        case .relu:
            // Its own loop, which the compiler vectorizes (the general one switches on every element).
            values.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = buffer[index] > 0 ? buffer[index] : 0 }
            }
        default:
            values.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = scalar(buffer[index]) }
            }
        }
    }

    /// The element-wise function (not defined for softmax, which needs the whole row).
    @inline(__always)
    public func scalar(_ x: Double) -> Double {
        switch self {
        case .identity, .softmax: return x
        case .relu: return x > 0 ? x : 0
        case let .leakyReLU(alpha): return x > 0 ? x : alpha * x
        case .sigmoid: return Activation.logistic(x)
        case .tanh: return Foundation.tanh(x)
        case let .elu(alpha): return x > 0 ? x : alpha * Foundation.expm1(x)
        case .gelu: return 0.5 * x * Foundation.erfc(-x / 2.0.squareRoot())
        case .softplus: return x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
        case .silu: return x * Activation.logistic(x)
        case .selu: return Activation.seluScale * (x > 0 ? x : Activation.seluAlpha * Foundation.expm1(x))
        case let .hardSigmoid(alpha): return Swift.max(0, Swift.min(1, alpha * x + 0.5))
        }
    }

    /// 1 / (1 + e^-x), evaluated without overflow for large |x|.
    @inline(__always)
    static func logistic(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}
