@testable import Distill
import Foundation
import Testing

/// VectorMath's branch-free exp, expm1, tanh and logistic against the C library over their whole ranges.
struct VectorMathTests {
    /// Inputs: evenly spread over each function's range, clustered near zero (where expm1 and tanh must
    /// keep their relative accuracy), tiny, huge and special.
    static func inputs(_ range: ClosedRange<Double>) -> [Double] {
        var generator = SeededGenerator(seed: 12)
        var values = (0..<200_000).map { _ in range.lowerBound + generator.nextUnit() * (range.upperBound - range.lowerBound) }
        values += (0..<50_000).map { _ in (generator.nextUnit() - 0.5) * pow(10, -Double(generator.nextInt(below: 300))) }
        values += [0, -0.0, Double.leastNormalMagnitude / 8, -Double.leastNormalMagnitude / 8, 0.5 * log(2), -0.5 * log(2), 1, -1, 709.78, 709.7, -745.1, -708.4, 20, -20, 19.5]
        return values.filter { range.contains($0) }
    }

    /// Largest error in units of the reference's last place.
    static func worstUlps(_ f: (Double) -> Double, _ reference: (Double) -> Double, _ values: [Double]) -> Double {
        var worst = 0.0
        for x in values {
            let a = f(x), b = reference(x)
            if a == b { continue }
            guard b.isFinite, b != 0 else { worst = .infinity; continue }
            worst = max(worst, abs(a - b) / b.magnitude.ulp)
        }
        return worst
    }

    // The polynomial's own error is below 2^-56 relative; argument reduction and the final operations add
    // a few roundings: 4 ulps is ample, and far inside the forward pass's 1e-12.
    static let ulps = 4.0

    @Test func expMatchesTheCLibrary() {
        #expect(Self.worstUlps(VectorMath.exp, Foundation.exp, Self.inputs(-708...709.7)) <= Self.ulps)
        #expect(VectorMath.exp(-800) == 0 && VectorMath.exp(800) == .infinity && VectorMath.exp(.nan).isNaN)
        #expect(VectorMath.exp(-745) > 0 && VectorMath.exp(-745) == Foundation.exp(-745), "subnormal results")
    }

    @Test func expm1MatchesTheCLibrary() {
        #expect(Self.worstUlps(VectorMath.expm1, Foundation.expm1, Self.inputs(-40...40)) <= Self.ulps)
        #expect(VectorMath.expm1(1e-300) == 1e-300 && VectorMath.expm1(-100) == -1)
    }

    @Test func tanhMatchesTheCLibrary() {
        #expect(Self.worstUlps(VectorMath.tanh, Foundation.tanh, Self.inputs(-30...30)) <= Self.ulps)
        #expect(VectorMath.tanh(1e6) == 1 && VectorMath.tanh(-1e6) == -1 && VectorMath.tanh(.nan).isNaN)
    }

    /// erfc and GELU: the C library's erfc is within 1 ulp; the Chebyshev series and e^(-a^2) add a few.
    /// GELU is checked where its result is a normal number (below x = -37.5 it is subnormal, and a few
    /// roundings there cost tens of subnormal ulps: 4e-14 of a value below 1e-308).
    @Test func erfcAndGeluMatchTheCLibrary() {
        let worstErfc = Self.worstUlps(VectorMath.erfc, Foundation.erfc, Self.inputs(-27...27))
        #expect(worstErfc <= 8, "erfc: \(worstErfc) ulps")
        let worstGelu = Self.worstUlps(VectorMath.gelu, Activation.gelu.scalar, Self.inputs(-37...38))
        #expect(worstGelu <= 8, "gelu: \(worstGelu) ulps")
        #expect(abs(VectorMath.erfc(0) - 1) <= 1.0.ulp && VectorMath.erfc(30) == 0 && VectorMath.erfc(-30) == 2)
        #expect(VectorMath.erfc(.nan).isNaN && VectorMath.erfc(.infinity) == 0 && VectorMath.erfc(-.infinity) == 2)
        #expect(VectorMath.gelu(1e6) == 1e6 && VectorMath.gelu(-1e6) == 0 && VectorMath.gelu(0) == 0)
    }

    @Test func logisticMatchesTheReference() {
        #expect(Self.worstUlps(VectorMath.logistic, Activation.logistic, Self.inputs(-700...700)) <= Self.ulps)
        #expect(VectorMath.logistic(-800) == 0 && VectorMath.logistic(800) == 1)
    }
}
