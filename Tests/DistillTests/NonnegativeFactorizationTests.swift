import Foundation
import Testing
@testable import Distill

/// Non-negative factorisation against a matrix made of known non-negative parts.
struct NonnegativeFactorizationTests {
    @Test func aMatrixOfTwoPartsIsExplainedByTwo() {
        var generator = SeededGenerator(seed: 4)
        let rows = 120, columns = 6
        // Two parts on disjoint columns: A = W H exactly, W and H non-negative.
        let h: [Double] = [1, 0.8, 0.5, 0, 0, 0, 0, 0, 0, 0.9, 1, 0.3]
        let w = (0..<(rows * 2)).map { _ in Double.random(in: 0...2, using: &generator) }
        var matrix = [Double](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for j in 0..<columns {
                let first: Double = w[row * 2] * h[j]
                matrix[row * columns + j] = first + w[row * 2 + 1] * h[columns + j]
            }
        }
        let one = NonnegativeFactorization(matrix, rows: rows, columns: columns, rank: 1)
        let two = NonnegativeFactorization(matrix, rows: rows, columns: columns, rank: 2, iterations: 2000)
        #expect(two.explainedVariance >= 0.999)
        #expect(one.explainedVariance < two.explainedVariance)
        #expect(two.w.allSatisfy { $0 >= 0 } && two.h.allSatisfy { $0 >= 0 })
        // Each found part lives on one block of columns: at most 5% of its weight on the other (the
        // multiplicative updates approach exact zeros slowly).
        for k in 0..<2 {
            let first = (0..<3).reduce(0.0) { $0 + two.h[k * columns + $1] }, second = (3..<6).reduce(0.0) { $0 + two.h[k * columns + $1] }
            #expect(min(first, second) <= 0.05 * max(first, second), "part \(k): \(first) vs \(second)")
        }
        // Extending a factorisation part by part never explains less.
        var chain = [NonnegativeFactorization(matrix, rows: rows, columns: columns, rank: 1)]
        for _ in 0..<4 { chain.append(NonnegativeFactorization(matrix, extending: chain.last!)) }
        for (before, after) in zip(chain, chain.dropFirst()) { #expect(after.explainedVariance >= before.explainedVariance - 1e-12) }
        #expect(chain[1].explainedVariance >= 0.99)
        // A row placed on the found parts gets back its own coefficients (a row of W, up to the fit), and a
        // row of one part only gets no weight on the other.
        for row in [0, 41, 119] {
            let placed = two.coefficients(for: Array(matrix[(row * columns)..<((row + 1) * columns)]), iterations: 2000)
            for k in 0..<2 { #expect(abs(placed[k] - two.w[row * 2 + k]) <= 1e-3 * max(1, two.w[row * 2 + k]), "row \(row) part \(k)") }
        }
        let pure = two.coefficients(for: (0..<columns).map { 2 * h[$0] }, iterations: 2000)
        let onFirst = (0..<3).reduce(0.0) { $0 + two.h[$1] } > (3..<6).reduce(0.0) { $0 + two.h[$1] }
        #expect(pure[onFirst ? 1 : 0] <= 0.05 * pure[onFirst ? 0 : 1])
        // Deterministic.
        #expect(NonnegativeFactorization(matrix, rows: rows, columns: columns, rank: 2, iterations: 2000).h == two.h)
    }
}
