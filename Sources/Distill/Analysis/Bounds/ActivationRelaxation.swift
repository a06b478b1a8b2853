import Foundation

/// Sound linear bounds of an element-wise activation over an interval of its input: for every x in
/// [l, u], `slope·x + lower <= f(x) <= slope·x + upper`. The slope is the chord's, (f(u) − f(l)) / (u − l),
/// and the offsets are the exact extremes of g(x) = f(x) − slope·x on [l, u] (Fast-Lin's parallel bounds,
/// for every activation of the model format): g's extremes lie at l, u, a kink of f, or a point where
/// f'(x) = slope, found in closed form (tanh, sigmoid, ELU) or by bisection on each piece where f' is
/// monotone; a margin covers the bisection's width and rounding. With slope 0 the offsets are f's range on [l, u] (interval bounds). For ReLU and
/// leaky ReLU (0 <= alpha <= 1) across 0 the lower line is CROWN's instead: through the origin with slope 1
/// or alpha, whichever side of 0 the interval reaches further (`lowerSlope`).
struct ActivationRelaxation: Equatable, Sendable {
    var slope: Double
    var lower: Double
    var upper: Double
    /// The lower line's slope (the chord's but for ReLU and leaky ReLU across 0).
    var lowerSlope: Double

    /// Chord-slope bounds of `activation` on [l, u] (softmax is not element-wise: use `SoftmaxBounds`).
    init(_ activation: Activation, l: Double, u: Double) {
        guard l.isFinite, u.isFinite else {
            self.init(slope: 0, lower: -.infinity, upper: .infinity)
            return
        }
        let width = u - l
        let slope = width > 1e-12 * max(1, abs(l), abs(u)) ? (activation.scalar(u) - activation.scalar(l)) / width : 0
        let (low, high) = Self.extremes(activation, slope: slope, l: l, u: u)
        self.init(slope: slope, lower: low, upper: high)
        let alpha: Double? = switch activation {
        case .relu: 0
        case let .leakyReLU(value) where value >= 0 && value <= 1: value
        default: nil
        }
        if let alpha, l < 0, u > 0 {
            // max(x, alpha x) >= x and >= alpha x everywhere: either line through the origin is below.
            lowerSlope = u > -l ? 1 : alpha
            lower = -1e-300
        }
    }

    init(slope: Double, lower: Double, upper: Double) {
        self.slope = slope
        self.lower = lower
        self.upper = upper
        lowerSlope = slope
    }

    /// f's range on [l, u], widened by the rounding margin.
    static func range(_ activation: Activation, l: Double, u: Double) -> (lower: Double, upper: Double) {
        guard l.isFinite, u.isFinite else { return (-.infinity, .infinity) }
        let (low, high) = extremes(activation, slope: 0, l: l, u: u)
        return (low, high)
    }

    /// The smallest and largest values of f(x) − slope·x on [l, u], widened by a margin for the roots'
    /// bisection width and for rounding.
    private static func extremes(_ activation: Activation, slope: Double, l: Double, u: Double) -> (min: Double, max: Double) {
        var low = Double.infinity, high = -Double.infinity
        func visit(_ x: Double) {
            let g = activation.scalar(x) - slope * x
            low = min(low, g)
            high = max(high, g)
        }
        visit(l)
        visit(u)
        // On each piece between breaks f' is monotone, so f'(x) = slope has at most one root there.
        var start = l
        for point in activation.derivativeBreaks where point > l && point < u {
            visit(point)
            if let root = Self.root(activation, slope: slope, from: start, to: point) { visit(root) }
            start = point
        }
        if let root = Self.root(activation, slope: slope, from: start, to: u) { visit(root) }
        let margin = 1e-10 * (1 + abs(low) + abs(high) + abs(slope) * max(abs(l), abs(u)))
        return (low - margin, high + margin)
    }

    /// A root of f'(x) − slope in (a, b), when f'(a) − slope and f'(b) − slope differ in sign: in closed
    /// form where f' can be inverted (`inverseDerivative`), else by bisection.
    private static func root(_ activation: Activation, slope: Double, from a: Double, to b: Double) -> Double? {
        var low = a, high = b
        let atLow = activation.derivative(low) - slope, atHigh = activation.derivative(high) - slope
        guard atLow != 0, atHigh != 0, (atLow < 0) != (atHigh < 0) else { return nil }
        if let root = inverseDerivative(activation, slope: slope, negative: b <= 0) { return min(max(root, a), b) }
        for _ in 0..<200 {
            let middle = 0.5 * (low + high)
            guard middle > low, middle < high else { break }
            if (activation.derivative(middle) - slope < 0) == (atLow < 0) { low = middle } else { high = middle }
        }
        return 0.5 * (low + high)
    }

    /// The x on the negative side of 0 (`negative`) or the positive one where f'(x) = slope, for tanh
    /// (sech²x = s: |x| = acosh(1/√s)), the logistic sigmoid (σ(1 − σ) = s: |x| = 2 log(1 + r) − log 4s
    /// with r = √(1 − 4s)) and ELU below 0 (α eˣ = s); nil for the others, or when there is no such x.
    /// Rounding moves the root (by up to about 1e-8 where s is near f's largest slope, and the square root
    /// or acosh is ill-conditioned), but g = f − s·x is flat there (g' = 0): g's value moves by about
    /// f''·Δx², far less than the rounding margin.
    static func inverseDerivative(_ activation: Activation, slope s: Double, negative: Bool) -> Double? {
        let side = negative ? -1.0 : 1.0
        switch activation {
        case .tanh:
            guard s > 0, s < 1 else { return nil }
            return side * Foundation.acosh(1 / s.squareRoot())
        case .sigmoid:
            guard s > 0, s < 0.25 else { return nil }
            let r = (1 - 4 * s).squareRoot()
            return side * (2 * Foundation.log1p(r) - Foundation.log(4 * s))
        case let .elu(alpha) where negative:
            guard alpha > 0, s > 0, s < alpha else { return nil }
            return Foundation.log(s / alpha)
        default:
            return nil
        }
    }
}

extension Activation {
    /// Where f has a kink or f' changes direction: between these points f' is monotone (the pieces on
    /// which f'(x) = s has at most one root).
    var derivativeBreaks: [Double] {
        switch self {
        case .identity, .softmax, .softplus: return []
        case .relu, .leakyReLU, .elu, .selu, .sigmoid, .tanh: return [0]
        case .gelu: return [-2.0.squareRoot(), 2.0.squareRoot()]
        // SiLU'' = σ(1 − σ)(2 + x(1 − 2σ)) is zero at ±2.399357280515467.
        case .silu: return [-2.399357280515467, 2.399357280515467]
        case let .hardSigmoid(alpha): return alpha == 0 ? [] : [-0.5 / alpha, 0.5 / alpha].sorted()
        }
    }

}
