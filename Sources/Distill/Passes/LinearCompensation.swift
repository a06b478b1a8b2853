/// Removes hidden neurons while keeping the next layer's input as close as the data allow: each removed
/// neuron's output is regressed (least squares, a tiny ridge) on the outputs of the neurons that stay in
/// its layer, and the next layer's weights and bias absorb that fit. Mean replacement is the special case
/// with no regressors; the fit keeps far more decisions.
enum LinearCompensation {
    /// The weighted Gram matrix of each hidden layer's outputs with a constant column appended
    /// (`(units + 1)^2`, row-major): all a compensation fit needs, since the fit of a removed neuron on the
    /// others reads its own column of the same matrix. One forward pass over the rows; each matrix is BLAS
    /// products over pieces of rows (`blasGram`), or `gram`'s loop where no BLAS library loads.
    static func grams(_ network: Network, rows: Dataset, weights: [Double]?) -> [[Double]] {
        var values = network.schema.encode(network.project(rows).values, rows: rows.rows)
        var result: [[Double]] = []
        let layers = network.denseLayers
        for dense in layers.dropLast() {
            values = DenseKernel.fast.forward(dense, values, rows: rows.rows)
            dense.activation.apply(to: &values, rows: rows.rows, width: dense.units)
            result.append(blasGram(values, rows: rows.rows, units: dense.units, weights: weights)
                ?? gram(values, rows: rows.rows, units: dense.units, weights: weights))
        }
        return result
    }

    /// The weighted Gram matrix of `rows` rows of `units` values (row-major) and a constant column, by a
    /// loop over the rows (the upper triangle, then mirrored).
    static func gram(_ values: [Double], rows: Int, units m: Int, weights: [Double]?) -> [Double] {
        let p = m + 1
        var gram = [Double](repeating: 0, count: p * p)
        for row in 0..<rows {
            let w = weights?[row] ?? 1
            for i in 0..<m {
                let x = w * values[row * m + i]
                guard x != 0 else { continue }
                for j in i..<m { gram[i * p + j] += x * values[row * m + j] }
                gram[i * p + m] += x
            }
            gram[m * p + m] += w
        }
        for i in 0..<p { for j in 0..<i { gram[i * p + j] = gram[j * p + i] } }
        return gram
    }

    /// `gram` as BLAS products Xᵀ (W X) of the values with the constant column appended (X) and the
    /// weighted ones (W X): one per piece of rows (`gramPieces`, side by side), added in order, then made
    /// symmetric from the upper triangle. Nil where no BLAS library loads.
    static func blasGram(_ values: [Double], rows: Int, units m: Int, weights: [Double]?) -> [Double]? {
        guard rows > 0, BLAS.isAvailable else { return nil }
        let p = m + 1, pieces = gramPieces(rows: rows)
        let partial = (try? Parallelism.map(pieces) { piece -> [Double] in
            let first = piece * rows / pieces, count = (piece + 1) * rows / pieces - first
            var x = [Double](repeating: 1, count: count * p), weighted = x
            for local in 0..<count {
                let row = first + local, w = weights?[row] ?? 1
                for i in 0..<m {
                    x[local * p + i] = values[row * m + i]
                    weighted[local * p + i] = w * values[row * m + i]
                }
                weighted[local * p + m] = w
            }
            var gram = [Double](repeating: 0, count: p * p)
            x.withUnsafeBufferPointer { x in
                weighted.withUnsafeBufferPointer { weighted in
                    gram.withUnsafeMutableBufferPointer { gram in
                        _ = BLAS.multiplyTransposed(rows: p, columns: p, depth: count, x.baseAddress!, weighted.baseAddress!,
                                                    into: gram.baseAddress!)
                    }
                }
            }
            return gram
        }) ?? []
        var gram = partial[0]
        for piece in partial.dropFirst() { for index in 0..<(p * p) { gram[index] += piece[index] } }
        for i in 0..<p { for j in 0..<i { gram[i * p + j] = gram[j * p + i] } }
        return gram
    }

    /// The pieces of rows `blasGram` multiplies side by side: set by the rows alone (at least 1,024 rows a
    /// piece, at most 8 pieces), so that the sums do not depend on the thread count.
    static func gramPieces(rows: Int) -> Int {
        min(8, max(1, rows / 1024))
    }

    /// `network` without `units` of dense layer `layer` (not the last), compensated on `rows`.
    static func remove(_ units: [Int], layer: Int, from network: Network, rows: Dataset, weights: [Double]? = nil) -> Network {
        remove(units, layer: layer, from: network, gram: grams(network, rows: rows, weights: weights)[layer])
    }

    /// `network` without `units` of dense layer `layer`, compensated by the fit that `gram` (that layer's
    /// matrix from `grams`, for this same network) gives.
    /// `leaveOneOut`: the layer's matrix factored once (`LeaveOneOutFits`), used when one unit goes.
    static func remove(_ units: [Int], layer: Int, from network: Network, gram full: [Double], leaveOneOut: LeaveOneOutFits? = nil) -> Network {
        let m = network.denseLayers[layer].units
        var result = network
        var next = network.denseLayers[layer + 1]
        let coefficients = units.count == 1 && leaveOneOut != nil ? [leaveOneOut!.fit(units[0])] : fits(removing: units, units: m, gram: full)
        for (unit, c) in zip(units, coefficients) {
            for k in 0..<next.units {
                let w = next.weights[k * next.inputs + unit]
                for other in 0..<m { next.weights[k * next.inputs + other] += w * c[other] }
                next.bias[k] += w * c[m]
            }
        }
        result.layers[layer + 1] = .dense(next)
        for unit in units.sorted(by: >) { result.removeNeuron(layer: layer, unit: unit, value: 0) }
        return result
    }

    /// The ridge added to the diagonal of the matrix a fit solves: 1e-9 of the whole layer's matrix's mean
    /// diagonal, and 1e-12 (the same whichever units are removed, so that `LeaveOneOutFits` and `fits` solve
    /// the same system).
    static func ridge(units m: Int, gram full: [Double]) -> Double {
        let p = m + 1
        var trace = 0.0
        for i in 0..<p { trace += full[i * p + i] }
        return 1e-9 * trace / Double(p) + 1e-12
    }

    /// Per removed unit, its output's fit on the units that stay and a constant: `m + 1` coefficients (by
    /// unit, the removed ones 0; the constant last), from the layer's `gram` (`grams`). When the kept units'
    /// matrix cannot be factored, the fit with the constant alone: the unit's mean.
    static func fits(removing units: [Int], units m: Int, gram full: [Double]) -> [[Double]] {
        let fullSize = m + 1
        let removed = Set(units)
        let kept = (0..<m).filter { !removed.contains($0) }
        let p = kept.count + 1
        let index = kept + [m]
        var gram = [Double](repeating: 0, count: p * p)
        for i in 0..<p { for j in 0..<p { gram[i * p + j] = full[index[i] * fullSize + index[j]] } }
        let ridge = Self.ridge(units: m, gram: full)
        for i in 0..<p { gram[i * p + i] += ridge }
        let total = full[m * fullSize + m]
        guard let factor = Cholesky.factor(gram, p) else {
            return units.map { unit in
                var c = [Double](repeating: 0, count: fullSize)
                c[m] = total > 0 ? full[unit * fullSize + m] / total : 0
                return c
            }
        }
        return units.map { unit in
            let solved = Cholesky.solve(factor, p, index.map { full[$0 * fullSize + unit] })
            var c = [Double](repeating: 0, count: fullSize)
            for (i, other) in index.enumerated() { c[other] = solved[i] }
            return c
        }
    }

    /// Each unit's fit on all the other units of its layer and a constant (`fits(removing: [unit])`), from
    /// one factorisation of the whole layer's matrix: with B the inverse of the (ridged) matrix, the fit of
    /// unit u on the rest is -B[-u, u] / B[u, u], so ranking every neuron of a 1,024-unit layer costs one
    /// factorisation and a solve per neuron instead of a factorisation per neuron (units^4 / 3 in all).
    /// The ridge is `fits`' (`ridge`).
    struct LeaveOneOutFits: Sendable {
        let units: Int
        /// The ridged matrix's Cholesky factor L and its transpose, row-major (m + 1)^2.
        private let lower: [Double]
        private let upper: [Double]

        /// Nil when the ridged matrix cannot be factored (callers then call `fits` unit by unit).
        init?(units m: Int, gram full: [Double]) {
            let p = m + 1
            var gram = full
            let ridge = LinearCompensation.ridge(units: m, gram: full)
            for i in 0..<p { gram[i * p + i] += ridge }
            guard let factor = Cholesky.factor(gram, p) else { return nil }
            var transposed = [Double](repeating: 0, count: p * p)
            for i in 0..<p { for j in 0...i { transposed[j * p + i] = factor[i * p + j] } }
            units = m
            lower = factor
            upper = transposed
        }

        /// `fits(removing: [unit], ...)[0]`: m + 1 coefficients, the unit's own 0, the constant last.
        func fit(_ unit: Int) -> [Double] {
            let p = units + 1
            // x = B e_unit: L y = e_unit (y is 0 above the unit), then L^T x = y.
            var y = [Double](repeating: 0, count: p)
            lower.withUnsafeBufferPointer { l in
                for i in unit..<p {
                    var sum = i == unit ? 1.0 : 0.0
                    for k in unit..<i { sum -= l[i * p + k] * y[k] }
                    y[i] = sum / l[i * p + i]
                }
            }
            var x = y
            upper.withUnsafeBufferPointer { u in
                for i in stride(from: p - 1, through: 0, by: -1) {
                    var sum = x[i]
                    for k in (i + 1)..<p { sum -= u[i * p + k] * x[k] }
                    x[i] = sum / u[i * p + i]
                }
            }
            let pivot = x[unit]
            var c = x.map { -$0 / pivot }
            c[unit] = 0
            return c
        }
    }
}
