import Foundation

/// Non-negative matrix factorisation A ≈ W H of a non-negative `rows x columns` matrix (row-major) into
/// `rank` parts: W (`rows x rank`) and H (`rank x columns`), both non-negative, by Lee and Seung's
/// multiplicative updates for the squared error (NIPS 2000), from NNDSVD-style deterministic starts
/// (Boutsidis and Gallopoulos 2008, replaced by the rows' and columns' means scaled to the data where a
/// part is degenerate) so that the same matrix gives the same factors. Used to find groups of neurons
/// that fire together (Olah et al., "The Building Blocks of Interpretability", 2018).
public struct NonnegativeFactorization: Sendable {
    /// The coefficients W, `rows x rank`, row-major.
    public var w: [Double]
    /// The parts H, `rank x columns`, row-major.
    public var h: [Double]
    /// Rows of the factorised matrix.
    public let rows: Int
    /// Columns of the factorised matrix.
    public let columns: Int
    /// Parts in the factorisation.
    public let rank: Int
    /// 1 - ||A - W H||² / ||A - column means||²: the share of the matrix's variance the parts explain.
    public var explainedVariance: Double

    /// Factorises `matrix` with one part more than `previous` (a factorisation of the same matrix): its
    /// parts are kept and a new one starts where the residual is positive (its column means, each row's
    /// projection on them). The multiplicative updates never raise the error, so the parts explain at
    /// least as much as `previous`'s, up to the new part's small start.
    public init(_ matrix: [Double], extending previous: NonnegativeFactorization, iterations: Int = 400) {
        let rows = previous.rows, columns = previous.columns, rank = previous.rank + 1
        var residual = [Double](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for j in 0..<columns {
                var product = 0.0
                for k in 0..<previous.rank { product += previous.w[row * previous.rank + k] * previous.h[k * columns + j] }
                residual[row * columns + j] = max(matrix[row * columns + j] - product, 0)
            }
        }
        let newH = (0..<columns).map { j in (0..<rows).reduce(0.0) { $0 + residual[$1 * columns + j] } / Double(max(rows, 1)) + 1e-9 }
        let norm = newH.reduce(0) { $0 + $1 * $1 }
        var w = [Double](repeating: 0, count: rows * rank)
        for row in 0..<rows {
            for k in 0..<previous.rank { w[row * rank + k] = previous.w[row * previous.rank + k] }
            w[row * rank + previous.rank] = (0..<columns).reduce(0.0) { $0 + residual[row * columns + $1] * newH[$1] } / norm + 1e-9
        }
        self.init(matrix, rows: rows, columns: columns, w: w, h: previous.h + newH, rank: rank, iterations: iterations)
    }

    /// Factorises `matrix`; `iterations` multiplicative updates of H then W.
    public init(_ matrix: [Double], rows: Int, columns: Int, rank: Int, iterations: Int = 400) {
        precondition(matrix.count == rows * columns && rank >= 1, "matrix size and rank")
        // Start: W from the leading rows of a seeded-free deterministic spread, H from column profiles.
        // Each part k starts as the column means weighted toward the k-th block of columns ordered by
        // variance, which separates parts without randomness.
        let means = (0..<columns).map { j in (0..<rows).reduce(0.0) { $0 + matrix[$1 * columns + j] } / Double(max(rows, 1)) }
        let variances = (0..<columns).map { j in (0..<rows).reduce(0.0) { $0 + pow(matrix[$1 * columns + j] - means[j], 2) } }
        let order = (0..<columns).sorted { variances[$0] > variances[$1] || (variances[$0] == variances[$1] && $0 < $1) }
        var h = [Double](repeating: 0, count: rank * columns)
        for (position, column) in order.enumerated() {
            for k in 0..<rank { h[k * columns + column] = means[column] * (position % rank == k ? 1 : 0.1) + 1e-9 }
        }
        let scale = max(means.reduce(0, +) / Double(max(columns, 1)), 1e-9)
        var w = [Double](repeating: 0, count: rows * rank)
        for row in 0..<rows {
            for k in 0..<rank {
                // The row's mean over part k's columns, relative to the overall mean.
                var total = 0.0, count = 0
                for (position, column) in order.enumerated() where position % rank == k { total += matrix[row * columns + column]; count += 1 }
                w[row * rank + k] = max(total / Double(max(count, 1)) / scale, 1e-3)
            }
        }
        self.init(matrix, rows: rows, columns: columns, w: w, h: h, rank: rank, iterations: iterations)
    }

    /// The multiplicative updates from `w` and `h`.
    init(_ matrix: [Double], rows: Int, columns: Int, w start: [Double], h hStart: [Double], rank: Int, iterations: Int) {
        self.rows = rows
        self.columns = columns
        self.rank = rank
        var w = start, h = hStart
        let means = (0..<columns).map { j in (0..<rows).reduce(0.0) { $0 + matrix[$1 * columns + j] } / Double(max(rows, 1)) }
        let epsilon = 1e-12
        for _ in 0..<iterations {
            // H <- H * (Wᵀ A) / (Wᵀ W H)
            var wtw = [Double](repeating: 0, count: rank * rank), wta = [Double](repeating: 0, count: rank * columns)
            for row in 0..<rows {
                for a in 0..<rank {
                    let wa = w[row * rank + a]
                    for b in 0..<rank { wtw[a * rank + b] += wa * w[row * rank + b] }
                    for j in 0..<columns { wta[a * columns + j] += wa * matrix[row * columns + j] }
                }
            }
            for a in 0..<rank {
                for j in 0..<columns {
                    var denominator = 0.0
                    for b in 0..<rank { denominator += wtw[a * rank + b] * h[b * columns + j] }
                    h[a * columns + j] *= wta[a * columns + j] / (denominator + epsilon)
                }
            }
            // W <- W * (A Hᵀ) / (W H Hᵀ)
            var hht = [Double](repeating: 0, count: rank * rank)
            for a in 0..<rank { for b in 0..<rank { for j in 0..<columns { hht[a * rank + b] += h[a * columns + j] * h[b * columns + j] } } }
            for row in 0..<rows {
                var aht = [Double](repeating: 0, count: rank)
                for a in 0..<rank { for j in 0..<columns { aht[a] += matrix[row * columns + j] * h[a * columns + j] } }
                let current = Array(w[(row * rank)..<((row + 1) * rank)])
                for a in 0..<rank {
                    var denominator = 0.0
                    for b in 0..<rank { denominator += current[b] * hht[b * rank + a] }
                    w[row * rank + a] = current[a] * aht[a] / (denominator + epsilon)
                }
            }
        }
        self.w = w
        self.h = h
        var residual = 0.0, spread = 0.0
        for row in 0..<rows {
            for j in 0..<columns {
                var product = 0.0
                for k in 0..<rank { product += w[row * rank + k] * h[k * columns + j] }
                residual += pow(matrix[row * columns + j] - product, 2)
                spread += pow(matrix[row * columns + j] - means[j], 2)
            }
        }
        explainedVariance = spread > 0 ? 1 - residual / spread : 1
    }

    /// The non-negative coefficients w (one per part) that best rebuild `row` (a row of `columns` values) from
    /// the parts H: min ||row - w H||² over w >= 0, by the same multiplicative updates with H fixed, from
    /// equal starts. A row of the factorised matrix gets back (near) its own row of W.
    public func coefficients(for row: [Double], iterations: Int = 400) -> [Double] {
        precondition(row.count == columns, "row width")
        var hht = [Double](repeating: 0, count: rank * rank), aht = [Double](repeating: 0, count: rank)
        for a in 0..<rank {
            for j in 0..<columns { aht[a] += row[j] * h[a * columns + j] }
            for b in 0..<rank { for j in 0..<columns { hht[a * rank + b] += h[a * columns + j] * h[b * columns + j] } }
        }
        var w = [Double](repeating: 1, count: rank)
        for _ in 0..<iterations {
            let current = w
            for a in 0..<rank {
                var denominator = 0.0
                for b in 0..<rank { denominator += current[b] * hht[b * rank + a] }
                w[a] = current[a] * aht[a] / (denominator + 1e-12)
            }
        }
        // The updates only shrink an unused part toward 0; below 1e-12 of the largest it is 0.
        let largest = w.max() ?? 0
        return w.map { $0 < 1e-12 * largest ? 0 : $0 }
    }
}
