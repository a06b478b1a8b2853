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

    /// `count` draws, row-major, drawn in blocks of `InputDistribution.drawBlock` side by side: block b
    /// from its own stream (`seed` and b mixed as `InputDistribution.samplePerturbedInBlocks` mixes them),
    /// every normal value from the ziggurat (`ZigguratNormals`). An attempt draws the normal values one
    /// feature at a time and stops at its first value outside the range (the last attempt clamps
    /// instead). The draws do not depend on the thread count.
    func sample(_ count: Int, rows: Dataset, seed: UInt64) -> [Double] {
        let width = rows.schema.count, d = continuous.count, available = rows.rows
        var result = [Double](repeating: 0, count: count * width)
        guard count > 0 else { return result }
        let blocks = (count + InputDistribution.drawBlock - 1) / InputDistribution.drawBlock
        // Per continuous feature: its lowest and highest value, side by side.
        var limits = [Double](repeating: 0, count: 2 * d)
        for a in 0..<d { (limits[2 * a], limits[2 * a + 1]) = (low[a], high[a]) }
        result.withUnsafeMutableBufferPointer { result in
            let output = UncheckedBox(result.baseAddress!)
            rows.values.withUnsafeBufferPointer { values in
                factor.withUnsafeBufferPointer { factor in
                    limits.withUnsafeBufferPointer { limits in
                        continuous.withUnsafeBufferPointer { columns in
                            let values = values.baseAddress!, factor = factor.baseAddress!
                            let limits = limits.baseAddress!, columns = columns.baseAddress!
                            Parallelism.forEach(pieces: blocks) { block, _ in
                                var mixer = SeededGenerator(seed: seed &+ UInt64(block) &* 0xD6E8_FEB8_6659_FD93)
                                var normals = ZigguratNormals(generator: SeededGenerator(seed: mixer.next()))
                                let z = UnsafeMutablePointer<Double>.allocate(capacity: max(d, 1))
                                defer { z.deallocate() }
                                let first = block * InputDistribution.drawBlock
                                for draw in first..<min(count, first + InputDistribution.drawBlock) {
                                    let row = values + normals.generator.nextInt(below: available) * width
                                    let out = output.value + draw * width
                                    out.update(from: row, count: width)
                                    for attempt in 0..<8 {
                                        var inside = true
                                        for a in 0..<d {
                                            z[a] = normals.next()
                                            let value = row[columns[a]] + Self.dot(factor + a &* d, UnsafePointer(z), count: a &+ 1)
                                            let lo = limits[2 &* a], hi = limits[2 &* a &+ 1]
                                            if !(value >= lo && value <= hi) {
                                                inside = false
                                                if attempt < 7 { break }
                                            }
                                            out[columns[a]] = attempt == 7 ? min(max(value, lo), hi) : value
                                        }
                                        if inside { break }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The sum of `x[i] * y[i]` over `count` values, in four running sums (a single sum waits for each
    /// addition before the next: 64 inputs took three times as long).
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0
        while i &+ 4 <= count {
            s0 += x[i] * y[i]
            s1 += x[i &+ 1] * y[i &+ 1]
            s2 += x[i &+ 2] * y[i &+ 2]
            s3 += x[i &+ 3] * y[i &+ 3]
            i &+= 4
        }
        while i < count {
            s0 += x[i] * y[i]
            i &+= 1
        }
        return (s0 + s1) + (s2 + s3)
    }
}
