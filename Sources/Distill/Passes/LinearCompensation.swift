/// Removes hidden neurons while keeping the next layer's input as close as the data allow: each removed
/// neuron's output is regressed (least squares, a tiny ridge) on the outputs of the neurons that stay in
/// its layer, and the next layer's weights and bias absorb that fit. Mean replacement is the special case
/// with no regressors; the fit keeps far more decisions.
enum LinearCompensation {
    /// The weighted Gram matrix of each hidden layer's outputs with a constant column appended
    /// (`(units + 1)^2`, row-major): all a compensation fit needs, since the fit of a removed neuron on the
    /// others reads its own column of the same matrix. One forward pass over the rows.
    static func grams(_ network: Network, rows: Dataset, weights: [Double]?) -> [[Double]] {
        var values = network.schema.encode(network.project(rows).values, rows: rows.rows)
        var result: [[Double]] = []
        let layers = network.denseLayers
        for dense in layers.dropLast() {
            values = DenseKernel.fast.forward(dense, values, rows: rows.rows)
            dense.activation.apply(to: &values, rows: rows.rows, width: dense.units)
            let m = dense.units, p = m + 1
            var gram = [Double](repeating: 0, count: p * p)
            for row in 0..<rows.rows {
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
            result.append(gram)
        }
        return result
    }

    /// `network` without `units` of dense layer `layer` (not the last), compensated on `rows`.
    static func remove(_ units: [Int], layer: Int, from network: Network, rows: Dataset, weights: [Double]? = nil) -> Network {
        remove(units, layer: layer, from: network, gram: grams(network, rows: rows, weights: weights)[layer])
    }

    /// `network` without `units` of dense layer `layer`, compensated by the fit that `gram` (that layer's
    /// matrix from `grams`, for this same network) gives.
    static func remove(_ units: [Int], layer: Int, from network: Network, gram full: [Double]) -> Network {
        let m = network.denseLayers[layer].units
        var result = network
        var next = network.denseLayers[layer + 1]
        for (unit, c) in zip(units, fits(removing: units, units: m, gram: full)) {
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
        let trace = (0..<p).reduce(0.0) { $0 + gram[$1 * p + $1] }
        for i in 0..<p { gram[i * p + i] += 1e-9 * trace / Double(p) + 1e-12 }
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
}
