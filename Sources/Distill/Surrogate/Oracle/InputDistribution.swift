import Foundation

/// A model of where inputs lie, for drawing points the network can label: independent per-feature
/// marginals estimated from data rows, a Gaussian kernel density for continuous features (Silverman's
/// bandwidth, kept inside the observed or declared range) and smoothed frequencies for binary and
/// categorical ones. Draws can be restricted to a `Region`, and every draw lies inside it.
public struct InputDistribution: Sendable {
    /// The raw features drawn.
    public let schema: FeatureSchema
    /// Per feature: sorted data values (continuous) or value frequencies (binary, categorical).
    let sortedValues: [[Double]]
    let bandwidths: [Double]
    /// The range draws are kept inside: the declared min/max, else the data's range.
    let low: [Double]
    let high: [Double]
    let frequencies: [[Double]]
    /// Kernel mass of each continuous feature inside [low, high] (for normalising interval masses).
    let innerMass: [Double]
    /// The multiple of the kernels' bandwidths that draws copying rows use (`OracleSample.draw` with
    /// the `rows` sampler); 1 unless chosen by `choosingKernelScale` or given (`Extraction.Options.kernelScale`).
    /// The oracle tree's own draws inside its nodes keep the full width.
    public internal(set) var kernelScale = 1.0

    /// Per feature, the standard deviation of the noise that draws copying `rows` add (the joint kernel's,
    /// else the per-feature kernel's; 0 for binary and categorical features): the scale of the cloud of
    /// drawn points around one row.
    public func drawSpread(rows: Dataset) -> [Double] {
        if let kernel = JointKernel(distribution: self, rows: rows, spread: kernelScale) {
            return kernel.noiseDeviations(width: schema.count)
        }
        return bandwidths.map { kernelScale * $0 }
    }

    /// Fits the marginals of `data`, or of `maxRows` of its rows evenly spaced through it when it has more
    /// (the kernels' cost grows with the rows kept; 50,000 pin every marginal down).
    public init(data: Dataset, maxRows: Int = 50_000) {
        schema = data.schema
        var sortedValues: [[Double]] = [], bandwidths: [Double] = [], low: [Double] = [], high: [Double] = []
        var frequencies: [[Double]] = []
        let kept = data.rows <= maxRows ? Array(0..<data.rows) : (0..<maxRows).map { $0 * data.rows / maxRows }
        for (feature, description) in data.schema.features.enumerated() {
            let column = kept.map { data[$0, feature] }.sorted()
            switch description.kind {
            case let .continuous(declaredMin, declaredMax):
                sortedValues.append(column)
                bandwidths.append(Self.silverman(column))
                low.append(min(declaredMin ?? column.first ?? 0, column.first ?? 0))
                high.append(max(declaredMax ?? column.last ?? 1, column.last ?? 1))
                frequencies.append([])
            case .binary, .categorical:
                let count = description.categories?.count ?? 2
                var counts = [Double](repeating: 0.5, count: count)
                for value in column { counts[Int(value)] += 1 }
                sortedValues.append([])
                bandwidths.append(0)
                low.append(0)
                high.append(Double(count - 1))
                frequencies.append(counts)
            }
        }
        self.sortedValues = sortedValues
        self.bandwidths = bandwidths
        self.low = low
        self.high = high
        self.frequencies = frequencies
        innerMass = (0..<data.schema.count).map { feature in
            let h = bandwidths[feature]
            return sortedValues[feature].reduce(0.0) {
                $0 + Self.normalCDF((high[feature] - $1) / h) - Self.normalCDF((low[feature] - $1) / h)
            }
        }
    }

    /// Which values of a binary or categorical feature `region` allows.
    func allowedValues(_ feature: Int, in region: Region) -> [Bool] {
        if let allowed = region.allowed[feature] { return allowed }
        // Binary features are split by thresholds: keep the values inside (lower, upper].
        return frequencies[feature].indices.map { Double($0) > region.lower[feature] && Double($0) <= region.upper[feature] }
    }

    /// Silverman's rule of thumb, 0.9 min(sd, IQR / 1.34) n^(-1/5), with a floor for constant columns.
    static func silverman(_ sorted: [Double]) -> Double {
        let n = Double(sorted.count)
        guard sorted.count > 1 else { return 1 }
        let mean = sorted.reduce(0, +) / n
        let sd = (sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        let iqr = sorted[Int(0.75 * (n - 1))] - sorted[Int(0.25 * (n - 1))]
        let spread = iqr > 0 ? min(sd, iqr / 1.34) : sd
        let range = sorted.last! - sorted.first!
        return max(0.9 * spread * pow(n, -0.2), range > 0 ? range * 1e-3 : 1e-3)
    }

    /// The (lower, upper] interval of a continuous feature that draws may take inside `region`.
    func interval(_ feature: Int, in region: Region) -> (Double, Double) {
        (max(region.lower[feature], low[feature] - Double.ulpOfOne), min(region.upper[feature], high[feature]))
    }

    /// Probability mass of `region` under the model (the product of the per-feature masses).
    public func mass(of region: Region) -> Double {
        var total = 1.0
        for feature in 0..<schema.count {
            if !frequencies[feature].isEmpty {
                let counts = frequencies[feature]
                let kept = zip(counts, allowedValues(feature, in: region)).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
                total *= kept / counts.reduce(0, +)
                continue
            }
            let (lo, hi) = interval(feature, in: region)
            let values = sortedValues[feature]
            guard hi > lo else { return 0 }
            guard !values.isEmpty, innerMass[feature] > 0 else { continue }
            let h = bandwidths[feature]
            var share = 0.0
            for x in values { share += Self.normalCDF((hi - x) / h) - Self.normalCDF((lo - x) / h) }
            total *= share / innerMass[feature]
        }
        return total
    }

    static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// `count` draws inside `region`, row-major raw rows.
    public func sample(_ count: Int, in region: Region, generator: inout SeededGenerator) -> [Double] {
        var rows = [Double]()
        rows.reserveCapacity(count * schema.count)
        for _ in 0..<count {
            for feature in 0..<schema.count { rows.append(draw(feature, in: region, generator: &generator)) }
        }
        return rows
    }

    /// `count` draws inside `region` that keep the dependencies between features: each copies one of
    /// `rows` (raw rows inside the region, row-major) and moves every continuous value by kernel noise,
    /// keeping the move only when it stays inside the region. Without rows, draws come from the marginals.
    public func samplePerturbed(_ count: Int, in region: Region, rows: [Double], spread: Double = 1,
                                generator: inout SeededGenerator) -> [Double] {
        let width = schema.count
        let available = width == 0 ? 0 : rows.count / width
        guard available > 0 else { return sample(count, in: region, generator: &generator) }
        var result = [Double]()
        result.reserveCapacity(count * width)
        for _ in 0..<count {
            let base = generator.nextInt(below: available) * width
            for feature in 0..<width {
                let value = rows[base + feature]
                guard frequencies[feature].isEmpty else {
                    result.append(value)
                    continue
                }
                let (lo, hi) = interval(feature, in: region)
                var moved = value
                for _ in 0..<8 {
                    let candidate = value + spread * bandwidths[feature] * Self.standardNormal(&generator)
                    if candidate > lo && candidate <= hi {
                        moved = candidate
                        break
                    }
                }
                result.append(moved)
            }
        }
        return result
    }

    /// One value of `feature` inside `region`.
    func draw(_ feature: Int, in region: Region, generator: inout SeededGenerator) -> Double {
        if !frequencies[feature].isEmpty {
            var weights = frequencies[feature]
            for (index, allowed) in allowedValues(feature, in: region).enumerated() where !allowed { weights[index] = 0 }
            let total = weights.reduce(0, +)
            guard total > 0 else { return Double(weights.indices.first ?? 0) }
            var target = generator.nextUnit() * total
            for (index, weight) in weights.enumerated() {
                target -= weight
                if target < 0 && weight > 0 { return Double(index) }
            }
            return Double(weights.lastIndex { $0 > 0 }!)
        }
        let (lo, hi) = interval(feature, in: region)
        let values = sortedValues[feature], h = bandwidths[feature]
        if hi > lo, !values.isEmpty {
            // Kernel draws: a data value near the interval plus Gaussian noise, kept when it falls inside.
            let first = values.partitioningIndex { $0 >= lo - 4 * h }
            let last = values.partitioningIndex { $0 > hi + 4 * h }
            if first < last {
                for _ in 0..<24 {
                    let centre = values[first + generator.nextInt(below: last - first)]
                    let value = centre + h * Self.standardNormal(&generator)
                    if value > lo && value <= hi { return value }
                }
            }
        }
        // The interval lies where the density is negligible: uniform inside it.
        guard hi > lo else { return hi }
        let value = lo + (hi - lo) * generator.nextUnit()
        return value > lo ? value : hi
    }

    /// A standard normal draw (Box–Muller).
    static func standardNormal(_ generator: inout SeededGenerator) -> Double {
        let u = max(generator.nextUnit(), Double.leastNonzeroMagnitude)
        let v = generator.nextUnit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

extension Array where Element == Double {
    /// The first index whose element satisfies `predicate` (elements must be partitioned by it).
    func partitioningIndex(where predicate: (Double) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
