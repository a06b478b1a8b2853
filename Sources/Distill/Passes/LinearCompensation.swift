/// Removes hidden neurons while keeping the next layer's input as close as the data allow: each removed
/// neuron's output is regressed (least squares, a tiny ridge) on the outputs of the neurons that stay in
/// its layer, and the next layer's weights and bias absorb that fit. Mean replacement is the special case
/// with no regressors; the fit keeps far more decisions.
enum LinearCompensation {
    /// Outputs of dense layer `layer` (after its activation) for the rows, row-major.
    static func activations(_ network: Network, layer: Int, rows: Dataset) -> [Double] {
        var values = network.schema.encode(network.project(rows).values, rows: rows.rows)
        for (index, dense) in network.denseLayers.enumerated() where index <= layer {
            values = NetworkEvaluator.dense(dense, values, rows: rows.rows)
            dense.activation.apply(to: &values, rows: rows.rows, width: dense.units)
        }
        return values
    }

    /// `network` without `units` of dense layer `layer` (not the last), compensated on `rows`.
    static func remove(_ units: [Int], layer: Int, from network: Network, rows: Dataset) -> Network {
        let dense = network.denseLayers[layer]
        let m = dense.units, n = rows.rows
        let a = activations(network, layer: layer, rows: rows)
        let removed = Set(units)
        let kept = (0..<m).filter { !removed.contains($0) }
        let p = kept.count + 1
        // Normal equations G c = X^T y with X = [kept outputs, 1].
        var gram = [Double](repeating: 0, count: p * p)
        for row in 0..<n {
            for (i, unit) in kept.enumerated() {
                let x = a[row * m + unit]
                for (j, other) in kept.enumerated() where j >= i { gram[i * p + j] += x * a[row * m + other] }
                gram[i * p + p - 1] += x
            }
            gram[(p - 1) * p + p - 1] += 1
        }
        for i in 0..<p { for j in 0..<i { gram[i * p + j] = gram[j * p + i] } }
        let trace = (0..<p).reduce(0.0) { $0 + gram[$1 * p + $1] }
        for i in 0..<p { gram[i * p + i] += 1e-9 * trace / Double(p) + 1e-12 }
        guard let factor = cholesky(gram, p) else { return meanReplaced(units, layer: layer, network: network, a: a, rows: n) }
        var result = network
        var next = network.denseLayers[layer + 1]
        for unit in units {
            var rhs = [Double](repeating: 0, count: p)
            for row in 0..<n {
                let y = a[row * m + unit]
                for (i, other) in kept.enumerated() { rhs[i] += a[row * m + other] * y }
                rhs[p - 1] += y
            }
            let c = solve(factor, p, rhs)
            for k in 0..<next.units {
                let w = next.weights[k * next.inputs + unit]
                for (i, other) in kept.enumerated() { next.weights[k * next.inputs + other] += w * c[i] }
                next.bias[k] += w * c[p - 1]
            }
        }
        result.layers[layer + 1] = .dense(next)
        for unit in units.sorted(by: >) { result.removeNeuron(layer: layer, unit: unit, value: 0) }
        return result
    }

    private static func meanReplaced(_ units: [Int], layer: Int, network: Network, a: [Double], rows: Int) -> Network {
        var result = network
        let m = network.denseLayers[layer].units
        for unit in units.sorted(by: >) {
            let mean = (0..<rows).reduce(0.0) { $0 + a[$1 * m + unit] } / Double(max(rows, 1))
            result.removeNeuron(layer: layer, unit: unit, value: mean)
        }
        return result
    }

    /// Lower-triangular Cholesky factor of a symmetric positive-definite p x p matrix, or nil.
    static func cholesky(_ matrix: [Double], _ p: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var sum = matrix[i * p + j]
                for k in 0..<j { sum -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * p + i] = sum.squareRoot()
                } else {
                    l[i * p + j] = sum / l[j * p + j]
                }
            }
        }
        return l
    }

    /// Solves L L^T x = b.
    static func solve(_ l: [Double], _ p: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<p {
            for k in 0..<i { y[i] -= l[i * p + k] * y[k] }
            y[i] /= l[i * p + i]
        }
        var x = y
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<p { x[i] -= l[k * p + i] * x[k] }
            x[i] /= l[i * p + i]
        }
        return x
    }
}
