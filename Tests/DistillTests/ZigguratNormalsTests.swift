@testable import Distill
import Foundation
import Testing

/// The ziggurat's layers have the area it assumes, and its values follow the standard normal law
/// (checked against the closed-form distribution function, Φ(x) = erfc(-x/√2)/2).
struct ZigguratNormalsTests {
    static func phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    @Test func everyLayerHasTheSameArea() {
        let x = ZigguratNormals.edges, area = ZigguratNormals.layerArea, r = ZigguratNormals.tailStart
        let density = { (t: Double) in exp(-0.5 * t * t) }
        // The base layer: the rectangle under f(r) out to r, and the tail beyond r (∫ f = √(π/2) erfc(r/√2)).
        let tail = (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        #expect(abs(r * density(r) + tail - area) < 1e-9)
        #expect(abs(x[0] * density(r) - area) < 1e-15)
        // Layer i (1...126) is the rectangle of width x_i between f(x_i) and f(x_{i+1}) (so the recursion
        // was followed; the informative checks are the base layer's tail and the top layer).
        for layer in 1..<127 {
            #expect(abs(x[layer] * (density(x[layer + 1]) - density(x[layer])) - area) < 1e-12)
        }
        // The top layer reaches the density's peak (to the precision of the published r and v).
        #expect(abs(x[127] * (1 - density(x[127])) - area) < 1e-6)
        #expect(x[128] == 0)
        #expect((1..<128).allSatisfy { x[$0] < x[$0 - 1] })
    }

    @Test func valuesFollowTheStandardNormal() {
        var normals = ZigguratNormals(generator: SeededGenerator(seed: 4))
        let count = 400_000
        let values = (0..<count).map { _ in normals.next() }
        let n = Double(count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let fourth = values.reduce(0) { $0 + pow($1 - mean, 4) } / n
        #expect(abs(mean) < 4 / n.squareRoot())
        #expect(abs(variance - 1) < 4 * (2 / n).squareRoot())
        // The fourth moment is 3 (its variance is 96/n).
        #expect(abs(fourth - 3) < 4 * (96 / n).squareRoot())
        // Kolmogorov-Smirnov against Φ: the 0.1% critical value is 1.95/√n.
        let sorted = values.sorted()
        var distance = 0.0
        for (index, value) in sorted.enumerated() {
            let cdf = Self.phi(value)
            distance = max(distance, abs(cdf - Double(index) / n), abs(Double(index + 1) / n - cdf))
        }
        #expect(distance < 1.95 / n.squareRoot())
        // The shares beyond 1.96 (the rectangles and wedges) and beyond r (the tail path), against Φ.
        for cut in [1.959964, ZigguratNormals.tailStart] {
            let expected = 2 * (1 - Self.phi(cut))
            let share = Double(values.filter { abs($0) > cut }.count) / n
            #expect(abs(share - expected) < 4 * (expected * (1 - expected) / n).squareRoot() + 1e-6)
        }
        // Consecutive values are uncorrelated, and the signs balance.
        let lagged = zip(values, values.dropFirst()).reduce(0.0) { $0 + $1.0 * $1.1 } / (n - 1)
        #expect(abs(lagged) < 4 / n.squareRoot())
        let positive = Double(values.filter { $0 > 0 }.count) / n
        #expect(abs(positive - 0.5) < 4 * 0.5 / n.squareRoot())
    }

    /// The values of an independent Python implementation (`Fixtures/ziggurat/make_reference.py`): the
    /// first six exactly, and the sums of the first 2,000 (wedges and the tail included).
    @Test func matchesAPythonReference() {
        var normals = ZigguratNormals(generator: SeededGenerator(seed: 9))
        let values = (0..<2000).map { _ in normals.next() }
        #expect(Array(values.prefix(6)) == [0.37597004229688, 0.5324288038004635, -0.7847902738830281, 0.6221577826240878,
                                            -0.9526992455735009, -0.279695429334536])
        #expect(abs(values.reduce(0, +) - -14.212631299800753) < 1e-9)
        #expect(abs(values.reduce(0) { $0 + $1 * $1 } - 2035.0136341104699) < 1e-9)
    }
}
