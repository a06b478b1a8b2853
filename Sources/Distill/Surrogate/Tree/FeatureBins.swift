/// Every feature's values as bin numbers, one byte per cell, column-major: what the histogram split
/// search reads instead of the raw values.
///
/// A continuous or binary feature with at most `maxBins` distinct values gets one bin per value, so its
/// histogram splits are exactly the exact search's. Otherwise its bin edges are cut at evenly spaced
/// quantiles of (up to `sampleRows` evenly spaced rows of) the data, each edge halfway between two adjacent
/// distinct values, so that a bin split is `x <= edge` in raw units. A categorical feature's bin is its
/// category index. NaN goes to the last bin (right of every threshold, as in `SplitTest`).
struct FeatureBins {
    /// Rows the quantiles are read from at most (LightGBM's `bin_construct_sample_cnt`).
    static let sampleRows = 200_000

    let rows: Int
    /// `bins[f * rows + r]`.
    let bins: [UInt8]
    /// Bins per feature.
    let binCount: [Int]
    /// Upper edges of each continuous feature's bins (`binCount - 1` of them), empty for categorical ones.
    let edges: [[Double]]

    /// Bins `data`; nil when a categorical feature has more categories than 256.
    init?(data: Dataset, maxBins: Int) {
        let rows = data.rows, featureCount = data.schema.count
        let features = data.schema.features
        var binCount = [Int](repeating: 1, count: featureCount)
        for (feature, description) in features.enumerated() {
            if let categories = description.categories {
                guard categories.count <= 256 else { return nil }
                binCount[feature] = max(categories.count, 1)
            }
        }
        // The quantile sample, gathered column by column from evenly spaced rows.
        let sample = min(rows, Self.sampleRows)
        let continuous = (0..<featureCount).filter { !features[$0].isCategorical }
        var columns = [Double](repeating: 0, count: sample * continuous.count)
        for index in 0..<sample {
            let base = (index * rows / sample) * featureCount
            for (slot, feature) in continuous.enumerated() { columns[slot * sample + index] = data.values[base + feature] }
        }
        var edges = [[Double]](repeating: [], count: featureCount)
        edges.withUnsafeMutableBufferPointer { edges in
            let shared = UncheckedBox(edges)
            Parallelism.forEach(pieces: continuous.count) { slot, _ in
                let values = columns[(slot * sample)..<((slot + 1) * sample)].filter { !$0.isNaN }.sorted()
                shared.value[continuous[slot]] = Self.edges(sorted: values, maxBins: maxBins)
            }
        }
        for feature in continuous { binCount[feature] = edges[feature].count + 1 }
        // Every row's bins, in blocks of rows (the raw rows are read once, in order).
        let padded = edges.map { Self.padded($0) }
        let bins = [UInt8](unsafeUninitializedCapacity: rows * featureCount) { buffer, initialized in
            let target = UncheckedBox(buffer.baseAddress!)
            let blockRows = 16_384
            Parallelism.forEach(pieces: (rows + blockRows - 1) / blockRows) { block, _ in
                data.values.withUnsafeBufferPointer { values in
                    for row in (block * blockRows)..<min(rows, (block + 1) * blockRows) {
                        let source = values.baseAddress! + row * featureCount
                        for feature in 0..<featureCount {
                            let value = source[feature]
                            let bin = features[feature].isCategorical
                                ? Int(exactly: value).map { min(max($0, 0), 255) } ?? 0
                                : padded[feature].withUnsafeBufferPointer { Self.bin(of: value, in: $0.baseAddress!, count: edges[feature].count) }
                            target.value[feature * rows + row] = UInt8(truncatingIfNeeded: bin)
                        }
                    }
                }
            }
            initialized = rows * featureCount
        }
        self.rows = rows
        self.bins = bins
        self.binCount = binCount
        self.edges = edges
    }

    /// The edges padded with +infinity to 255 entries, for the branch-free search.
    static func padded(_ edges: [Double]) -> [Double] {
        edges + [Double](repeating: .infinity, count: 255 - edges.count)
    }

    /// The number of edges below `value` (its bin), by eight halving steps over the padded edges; NaN
    /// goes to the last bin, `count`.
    @inline(__always)
    static func bin(of value: Double, in edges: UnsafePointer<Double>, count: Int) -> Int {
        var position = 0
        position &+= value > edges[position &+ 127] ? 128 : 0
        position &+= value > edges[position &+ 63] ? 64 : 0
        position &+= value > edges[position &+ 31] ? 32 : 0
        position &+= value > edges[position &+ 15] ? 16 : 0
        position &+= value > edges[position &+ 7] ? 8 : 0
        position &+= value > edges[position &+ 3] ? 4 : 0
        position &+= value > edges[position &+ 1] ? 2 : 0
        position &+= value > edges[position] ? 1 : 0
        return value.isNaN ? count : position
    }

    /// Bin edges of a continuous feature from its sorted sample values, each halfway between two adjacent
    /// distinct values: all of them when there are at most `maxBins` values; else greedily, as LightGBM
    /// bins: each bin takes values in order until it would pass the mean of the rows left per bin left,
    /// and a value at least that frequent gets a bin of its own.
    static func edges(sorted values: [Double], maxBins: Int) -> [Double] {
        var distinct: [Double] = [], counts: [Int] = []
        for value in values {
            if distinct.last == value {
                counts[counts.count - 1] += 1
            } else {
                distinct.append(value)
                counts.append(1)
            }
        }
        if distinct.count <= maxBins {
            return zip(distinct, distinct.dropFirst()).map { SplitTest.midpoint($0, $1) }
        }
        var cuts: [Double] = []
        var first = 0, rowsLeft = values.count, binsLeft = maxBins
        while binsLeft > 1 {
            let mean = Double(rowsLeft) / Double(binsLeft)
            var size = counts[first], next = first + 1
            if Double(size) < mean {
                while next < distinct.count, Double(counts[next]) < mean, Double(size + counts[next]) <= mean {
                    size += counts[next]
                    next += 1
                }
            }
            guard next < distinct.count else { break }
            cuts.append(SplitTest.midpoint(distinct[next - 1], distinct[next]))
            rowsLeft -= size
            binsLeft -= 1
            first = next
        }
        return cuts
    }
}
