/// exp, expm1, tanh and the logistic function on eight values at a time (`SIMD8<Double>`), without
/// branches or library calls: the fast forward pass's activations. Each agrees with the C library's
/// function to a few ulps (tested over the whole range). Range reduction x = k ln 2 + r with
/// |r| <= ln 2 / 2 (ln 2 in two parts, Cody and Waite), expm1(r) by its degree-13 Taylor polynomial in
/// Estrin's form (short dependency chains; the remainder is below 2^-56 of the result), then scaling by
/// 2^k through the exponent bits, in two factors so that subnormal and overflowing results round once.
/// NaN stays NaN.
enum VectorMath {
    typealias Lanes = SIMD8<Double>

    private static let log2e = Lanes(repeating: 1.4426950408889634)
    private static let ln2High = Lanes(repeating: 0.693147180369123816490)
    private static let ln2Low = Lanes(repeating: 1.90821492927058770002e-10)
    /// 1.5 x 2^52: adding it rounds to an integer, which then sits in the low bits of the sum.
    private static let roundingShift = Lanes(repeating: 6755399441055744.0)

    /// expm1(r) for |r| <= ln 2 / 2: r + r^2 (1/2! + r/3! + ... + r^11/13!).
    @inline(__always)
    private static func expm1Reduced(_ r: Lanes) -> Lanes {
        let r2 = r * r, r4 = r2 * r2, r8 = r4 * r4
        let p01 = Lanes(repeating: 1.0 / 2) + Lanes(repeating: 1.0 / 6) * r
        let p23 = Lanes(repeating: 1.0 / 24) + Lanes(repeating: 1.0 / 120) * r
        let p45 = Lanes(repeating: 1.0 / 720) + Lanes(repeating: 1.0 / 5_040) * r
        let p67 = Lanes(repeating: 1.0 / 40_320) + Lanes(repeating: 1.0 / 362_880) * r
        let p89 = Lanes(repeating: 1.0 / 3_628_800) + Lanes(repeating: 1.0 / 39_916_800) * r
        let p1011 = Lanes(repeating: 1.0 / 479_001_600) + Lanes(repeating: 1.0 / 6_227_020_800) * r
        let q = ((p01 + p23 * r2) + (p45 + p67 * r2) * r4) + (p89 + p1011 * r2) * r8
        return r + r2 * q
    }

    /// x limited to `low...high` (NaN stays NaN).
    @inline(__always)
    private static func clamp(_ x: Lanes, _ low: Double, _ high: Double) -> Lanes {
        x.replacing(with: Lanes(repeating: low), where: x .< Lanes(repeating: low))
            .replacing(with: Lanes(repeating: high), where: x .> Lanes(repeating: high))
    }

    /// x = k ln 2 + r, and 2^k as the factors 2^round(k/2) and 2^(k - round(k/2)), each normal for
    /// |k| <= 1076.
    @inline(__always)
    private static func reduce(_ x: Lanes) -> (r: Lanes, a: Lanes, b: Lanes) {
        let k = (x * log2e + roundingShift) - roundingShift
        let r = (x - k * ln2High) - k * ln2Low
        let half = (k * Lanes(repeating: 0.5) + roundingShift) - roundingShift
        let bias = Lanes(repeating: 1023) + roundingShift
        let a = unsafeBitCast(unsafeBitCast(half + bias, to: SIMD8<UInt64>.self) &<< 52, to: Lanes.self)
        let b = unsafeBitCast(unsafeBitCast((k - half) + bias, to: SIMD8<UInt64>.self) &<< 52, to: Lanes.self)
        return (r, a, b)
    }

    /// e^x (0 below about -745.8, +infinity above about 709.78).
    @inline(__always)
    static func exp(_ x: Lanes) -> Lanes {
        let (r, a, b) = reduce(clamp(x, -746, 710))
        return ((expm1Reduced(r) + 1) * a) * b
    }

    /// e^x - 1, accurate near zero, for x <= 40 (what tanh and ELU need; -1 below -40).
    @inline(__always)
    static func expm1(_ x: Lanes) -> Lanes {
        let (r, a, b) = reduce(clamp(x, -40, 40))
        let scale = a * b
        return expm1Reduced(r) * scale + (scale - 1)
    }

    /// tanh(x) = sign(x) (e^2|x| - 1) / (e^2|x| - 1 + 2); exactly +-1 past |x| = 20.
    @inline(__always)
    static func tanh(_ x: Lanes) -> Lanes {
        let bits = unsafeBitCast(x, to: SIMD8<UInt64>.self)
        let magnitude = unsafeBitCast(bits & SIMD8(repeating: 0x7FFF_FFFF_FFFF_FFFF), to: Lanes.self)
        let limited = magnitude.replacing(with: Lanes(repeating: 20), where: magnitude .> Lanes(repeating: 20))
        let e = expm1(limited + limited)
        let value = e / (e + 2)
        return unsafeBitCast(unsafeBitCast(value, to: SIMD8<UInt64>.self) | (bits & SIMD8(repeating: 0x8000_0000_0000_0000)),
                             to: Lanes.self)
    }

    /// 1 / (1 + e^-x) from e^-|x| on either side (no overflow).
    @inline(__always)
    static func logistic(_ x: Lanes) -> Lanes {
        let bits = unsafeBitCast(x, to: SIMD8<UInt64>.self)
        let e = exp(unsafeBitCast(bits | SIMD8(repeating: 0x8000_0000_0000_0000), to: Lanes.self))
        return Lanes(repeating: 1).replacing(with: e, where: x .< Lanes(repeating: 0)) / (1 + e)
    }

    /// The same functions on one value (tests, and the tails of blocks).
    static func exp(_ x: Double) -> Double { exp(Lanes(repeating: x))[0] }
    static func expm1(_ x: Double) -> Double { expm1(Lanes(repeating: x))[0] }
    static func tanh(_ x: Double) -> Double { tanh(Lanes(repeating: x))[0] }
    static func logistic(_ x: Double) -> Double { logistic(Lanes(repeating: x))[0] }

    /// `values[i] = f(values[i] + bias[i])` for `count` values, eight at a time.
    @inline(__always)
    static func map(_ values: UnsafeMutablePointer<Double>, count: Int, adding bias: UnsafePointer<Double>?,
                    _ f: (Lanes) -> Lanes) {
        var index = 0
        while index + 8 <= count {
            var x = UnsafeRawPointer(values + index).loadUnaligned(as: Lanes.self)
            if let bias { x += UnsafeRawPointer(bias + index).loadUnaligned(as: Lanes.self) }
            UnsafeMutableRawPointer(values + index).storeBytes(of: f(x), as: Lanes.self)
            index += 8
        }
        guard index < count else { return }
        var x = Lanes(repeating: 0)
        for lane in 0..<(count - index) { x[lane] = bias.map { values[index + lane] + $0[index + lane] } ?? values[index + lane] }
        let y = f(x)
        for lane in 0..<(count - index) { values[index + lane] = y[lane] }
    }
}
