import Foundation

/// A multivariate Gaussian kernel density over the continuous features: each draw copies a data row and
/// adds noise shaped like the data's covariance, h² Σ with h Scott's factor n^(-1/(d+4)), as scipy's
/// `gaussian_kde` has it, times `spread` (the distribution's chosen kernel scale). Correlated inputs stay
/// correlated (radius, perimeter and area move together), so drawn points lie along the data instead of
/// in combinations no row shows. Binary and categorical values, and those of columns that never change,
/// are copied from the row. Draws outside the declared or observed range are drawn again (up to
/// 8 times), then clamped. Up to `maxFeatures` continuous features (a draw costs d² operations).
struct JointKernel: Sendable {
    static let maxFeatures = 64
    /// Rows the covariance is estimated from at most (its error is then far below the kernel's width).
    static let covarianceRows = 200_000

    let continuous: [Int]
    /// Lower-triangular factor of h² Σ over `continuous`, row-major.
    let factor: [Double]
    let low: [Double]
    let high: [Double]

    /// Per feature of `width`: the standard deviation of the noise a draw adds (0 for copied features).
    func noiseDeviations(width: Int) -> [Double] {
        var deviations = [Double](repeating: 0, count: width)
        let d = continuous.count
        for (a, feature) in continuous.enumerated() {
            deviations[feature] = (0...a).reduce(0) { $0 + factor[a * d + $1] * factor[a * d + $1] }.squareRoot()
        }
        return deviations
    }

    init?(distribution: InputDistribution, rows: Dataset, spread: Double = 1) {
        // A column that never changes is copied like a category: noise of its ridge-sized variance would
        // fall outside its one value half the time and have every draw of many such columns rejected.
        let continuous = (0..<rows.schema.count).filter { feature in
            distribution.frequencies[feature].isEmpty && (0..<rows.rows).contains { rows[$0, feature] != rows[0, feature] }
        }
        let n = rows.rows, d = continuous.count
        guard n > 1, d > 0, d <= Self.maxFeatures else { return nil }
        // The covariance from at most `covarianceRows` evenly spaced rows (all of them below that).
        let used = min(n, Self.covarianceRows)
        var mean = [Double](repeating: 0, count: d)
        for index in 0..<used { for (j, f) in continuous.enumerated() { mean[j] += rows[index * n / used, f] } }
        mean = mean.map { $0 / Double(used) }
        var covariance = [Double](repeating: 0, count: d * d)
        for index in 0..<used {
            let row = index * n / used
            for a in 0..<d {
                let x = rows[row, continuous[a]] - mean[a]
                for b in 0...a { covariance[a * d + b] += x * (rows[row, continuous[b]] - mean[b]) }
            }
        }
        let h = spread * pow(Double(n), -1 / Double(d + 4))
        for a in 0..<d {
            for b in 0...a {
                covariance[a * d + b] *= h * h / Double(used - 1)
                covariance[b * d + a] = covariance[a * d + b]
            }
        }
        // A ridge of 1e-9 of each variance keeps collinear or constant features factorable.
        for a in 0..<d { covariance[a * d + a] += max(covariance[a * d + a] * 1e-9, 1e-300) }
        guard let factor = Cholesky.factor(covariance, d) else { return nil }
        self.continuous = continuous
        self.factor = factor
        low = continuous.map { distribution.low[$0] }
        high = continuous.map { distribution.high[$0] }
    }

    /// `count` draws, row-major.
    func sample(_ count: Int, rows: Dataset, generator: inout SeededGenerator) -> [Double] {
        let width = rows.schema.count, d = continuous.count
        var result = [Double](repeating: 0, count: count * width)
        var z = [Double](repeating: 0, count: d)
        result.withUnsafeMutableBufferPointer { result in
            rows.values.withUnsafeBufferPointer { values in
                factor.withUnsafeBufferPointer { factor in
                    for draw in 0..<count {
                        let base = generator.nextInt(below: rows.rows) * width, out = draw * width
                        for f in 0..<width { result[out + f] = values[base + f] }
                        for attempt in 0..<8 {
                            // An attempt takes d normals (two uniforms each) from the stream, but turns
                            // them into normals only as far as it gets: it stops at its first value
                            // outside the range (the last attempt clamps instead). The stream moves on
                            // by all d either way, so the draws do not depend on where an attempt stops.
                            var normals = generator
                            for _ in 0..<(2 * d) { _ = generator.next() }
                            var inside = true
                            for a in 0..<d {
                                z[a] = InputDistribution.standardNormal(&normals)
                                var noise = 0.0
                                for b in 0...a { noise += factor[a * d + b] * z[b] }
                                let value = values[base + continuous[a]] + noise
                                if !(value >= low[a] && value <= high[a]) {
                                    inside = false
                                    if attempt < 7 { break }
                                }
                                result[out + continuous[a]] = attempt == 7 ? min(max(value, low[a]), high[a]) : value
                            }
                            if inside { break }
                        }
                    }
                }
            }
        }
        return result
    }
}
