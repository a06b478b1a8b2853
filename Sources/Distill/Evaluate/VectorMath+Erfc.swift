/// erfc and the exact GELU on eight values at a time: erfc(a) for a >= 0 as y(t) e^(-a^2) / (1 + 2a) with
/// y one polynomial of degree 26 in t = (a - 3.75) / (a + 3.75) (`ErfcChebyshev`: a Chebyshev series turned
/// into powers, evaluated in Estrin's form), e^(-a^2) with a^2 split exactly into two parts (Veltkamp's
/// split, no fused multiply-add needed), and erfc(-a) = 2 - erfc(a). Within a few ulps of the C library
/// (tested); no branches.
extension VectorMath {
    /// erfc(z); 0 past z = 27.3, 2 below -27.3; NaN stays NaN.
    @inline(__always)
    static func erfc(_ z: Lanes) -> Lanes {
        let a = Self.minimum(z.replacing(with: -z, where: z .< 0), 40)
        let k = Lanes(repeating: ErfcChebyshev.scale)
        let t = (a - k) / (a + k)
        let series = ErfcChebyshev.series(t)
        // a^2 = high + low exactly: a split into 26-bit halves.
        let spread = a * Lanes(repeating: 134_217_729)
        let aHigh = spread - (spread - a), aLow = a - aHigh
        let high = a * a
        let low = ((aHigh * aHigh - high) + (aHigh * aLow + aHigh * aLow)) + aLow * aLow
        let positive = series / (Lanes(repeating: 1) + a + a) * (exp(-high) * (Lanes(repeating: 1) - low))
        return positive.replacing(with: Lanes(repeating: 2) - positive, where: z .< 0)
    }

    /// The exact GELU, x Φ(x) = x erfc(-x / √2) / 2, with the argument rounded as the reference rounds it.
    @inline(__always)
    static func gelu(_ x: Lanes) -> Lanes {
        Lanes(repeating: 0.5) * x * erfc(-x / Lanes(repeating: 2.0.squareRoot()))
    }

    static func erfc(_ z: Double) -> Double { erfc(Lanes(repeating: z))[0] }
    static func gelu(_ x: Double) -> Double { gelu(Lanes(repeating: x))[0] }

    /// x limited to at most `high` (NaN stays NaN).
    @inline(__always)
    private static func minimum(_ x: Lanes, _ high: Double) -> Lanes {
        x.replacing(with: Lanes(repeating: high), where: x .> Lanes(repeating: high))
    }
}
