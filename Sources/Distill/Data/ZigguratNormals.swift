import Foundation

/// Standard normal values by Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) in Doornik's
/// form (2005): 128 layers of equal area under the density; a value costs one 64-bit draw, a multiply
/// and a comparison in about 97% of the draws, where a Box-Muller pair costs a logarithm, a sine and a
/// cosine. The low 7 bits of the draw choose the layer, its high 53 bits the position, so the two are
/// independent; the rest (the wedges and the tail beyond `tailStart`) is exact rejection sampling.
struct ZigguratNormals {
    var generator: SeededGenerator

    init(generator: SeededGenerator) {
        self.generator = generator
    }

    /// Where the tail begins: the right edge of the base layer's rectangle (r for 128 layers).
    static let tailStart = 3.442619855899
    /// The area of every layer (the base layer's rectangle and the tail beyond `tailStart` together).
    static let layerArea = 9.91256303526217e-3

    /// Layer edges x₀ > x₁ = `tailStart` > ... > x₁₂₇ > x₁₂₈ = 0, x₀ the base layer's width as a rectangle.
    static let edges: [Double] = {
        var x = [Double](repeating: 0, count: 129)
        var density = exp(-0.5 * tailStart * tailStart)
        x[0] = layerArea / density
        x[1] = tailStart
        for layer in 2..<128 {
            x[layer] = (-2 * log(layerArea / x[layer - 1] + density)).squareRoot()
            density = exp(-0.5 * x[layer] * x[layer])
        }
        return x
    }()

    /// Per layer i, x_i and then x_{i+1} / x_i (the share of its rectangle that lies wholly under the
    /// density), with x₁₂₈ = 0 at the end: read in place, allocated once for the process.
    nonisolated(unsafe) private static let table: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 257)
        for layer in 0..<128 {
            table[2 * layer] = edges[layer]
            table[2 * layer + 1] = edges[layer + 1] / edges[layer]
        }
        table[256] = 0
        return UnsafePointer(table)
    }()

    /// The next standard normal value.
    @inline(__always)
    mutating func next() -> Double {
        let table = Self.table
        while true {
            let bits = generator.next()
            let layer = Int(truncatingIfNeeded: bits & 0x7F)
            let u = Double(bits >> 11) * 0x1.0p-52 - 1  // in [-1, 1)
            let edge = table[2 &* layer]
            if abs(u) < table[2 &* layer &+ 1] { return u * edge }
            if layer == 0 { return tail(negative: u < 0) }
            let x = u * edge, nextEdge = table[2 &* layer &+ 2]
            // Under the density when a uniform height in the wedge falls below it (both relative to x's).
            let outer = exp(-0.5 * (edge * edge - x * x))
            let inner = exp(-0.5 * (nextEdge * nextEdge - x * x))
            if inner + generator.nextUnit() * (outer - inner) < 1 { return x }
        }
    }

    /// A value beyond `tailStart` (Marsaglia's tail method), on the side `negative` says.
    private mutating func tail(negative: Bool) -> Double {
        while true {
            let a = -log(max(generator.nextUnit(), .leastNonzeroMagnitude)) / Self.tailStart
            let b = -log(max(generator.nextUnit(), .leastNonzeroMagnitude))
            if b + b >= a * a { return negative ? -(Self.tailStart + a) : Self.tailStart + a }
        }
    }
}
