/// Every feature's values as bin numbers, one byte per cell, column-major: what the histogram split
/// search reads instead of the raw values.
///
/// A continuous or binary feature with at most `maxBins` distinct values gets one bin per value, so its
/// histogram splits are exactly the exact search's. Otherwise its bin edges are cut at evenly spaced
/// quantiles of (up to `sampleRows` evenly spaced rows of) the data, each edge halfway between two adjacent
/// distinct values, so that a bin split is `x <= edge` in raw units. A categorical feature's bin is its
/// category index. NaN goes to the last bin (right of every threshold, as in `SplitTest`).
struct FeatureBins: Sendable {
    /// Rows the quantiles are read from at most (LightGBM's `bin_construct_sample_cnt`).
    static let sampleRows = 200_000

    let rows: Int
    /// `bins[f * rows + r]`.
    let bins: [UInt8]
    /// Bins per feature.
    let binCount: [Int]
    /// Upper edges of each continuous feature's bins (`binCount - 1` of them), empty for categorical ones.
    let edges: [[Double]]
    /// The features binned, nil for every one; the others are one bin each.
    let binnedFeatures: Set<Int>?

    /// Bins `data`; nil when a categorical feature has more categories than 256. With `only`, the
    /// features outside it are left as one bin each (every cell 0), neither sorted nor binned: what a
    /// search confined to some features reads (`binnedFeatures`).
    init?(data: Dataset, maxBins: Int, only: Set<Int>? = nil) {
        guard let layout = Layout(sample: data, maxBins: maxBins, only: only) else { return nil }
        let rows = data.rows, featureCount = data.schema.count
        let binned = only.map { only in (0..<featureCount).filter { only.contains($0) } } ?? Array(0..<featureCount)
        // Every row's bins, in blocks of rows and of features (the raw rows are read in order; a few
        // thousand rows of many features are binned side by side too).
        let bins = [UInt8](unsafeUninitializedCapacity: rows * featureCount) { buffer, initialized in
            if binned.count < featureCount { buffer.initialize(repeating: 0) }
            let target = UncheckedBox(buffer.baseAddress!)
            let blockRows = 16_384, blockFeatures = 64
            let groups = (binned.count + blockFeatures - 1) / blockFeatures
            Parallelism.forEach(pieces: (rows + blockRows - 1) / blockRows * groups) { piece, _ in
                let (block, group) = piece.quotientAndRemainder(dividingBy: groups)
                let first = block * blockRows
                data.values.withUnsafeBufferPointer { values in
                    layout.bin(values.baseAddress! + first * featureCount, rows: min(rows, first + blockRows) - first,
                               features: binned[(group * blockFeatures)..<min(binned.count, (group + 1) * blockFeatures)],
                               into: target.value, stride: rows, firstRow: first)
                }
            }
            initialized = rows * featureCount
        }
        self.init(rows: rows, bins: bins, binCount: layout.binCount, edges: layout.edges, binnedFeatures: only)
    }

    /// Bins made elsewhere (a streamed file's, `FeatureBins.Layout`): of every feature, unless
    /// `binnedFeatures` says which.
    init(rows: Int, bins: [UInt8], binCount: [Int], edges: [[Double]], binnedFeatures: Set<Int>? = nil) {
        precondition(bins.count == rows * binCount.count, "bins shape mismatch")
        self.rows = rows
        self.bins = bins
        self.binCount = binCount
        self.edges = edges
        self.binnedFeatures = binnedFeatures
    }

    /// The bin edges of every feature, from a sample of rows, and the binning of any rows by them.
    struct Layout: Sendable {
        let features: [Feature]
        let binCount: [Int]
        let edges: [[Double]]
        /// The edges padded for `FeatureBins.bin(of:in:count:)`.
        private let padded: [[Double]]

        /// Edges from (up to `FeatureBins.sampleRows` evenly spaced rows of) `sample`, of every feature or
        /// of `only` those (the others one bin each); nil when a categorical feature has more categories
        /// than 256.
        init?(sample data: Dataset, maxBins: Int, only: Set<Int>? = nil) {
            let rows = data.rows, featureCount = data.schema.count
            let features = data.schema.features
            var binCount = [Int](repeating: 1, count: featureCount)
            for (feature, description) in features.enumerated() {
                if let categories = description.categories {
                    guard categories.count <= 256 else { return nil }
                    if only?.contains(feature) ?? true { binCount[feature] = max(categories.count, 1) }
                }
            }
            // The quantile sample, gathered column by column from evenly spaced rows.
            let sample = min(rows, FeatureBins.sampleRows)
            let continuous = (0..<featureCount).filter { !features[$0].isCategorical && only?.contains($0) ?? true }
            var columns = [Double](repeating: 0, count: sample * continuous.count)
            let groupSlots = 64
            columns.withUnsafeMutableBufferPointer { columns in
                let shared = UncheckedBox(columns.baseAddress!)
                data.values.withUnsafeBufferPointer { values in
                    Parallelism.forEach(pieces: (continuous.count + groupSlots - 1) / groupSlots) { group, _ in
                        let slots = (group * groupSlots)..<min(continuous.count, (group + 1) * groupSlots)
                        for index in 0..<sample {
                            let base = (index * rows / sample) * featureCount
                            for slot in slots { shared.value[slot * sample + index] = values[base + continuous[slot]] }
                        }
                    }
                }
            }
            var edges = [[Double]](repeating: [], count: featureCount)
            edges.withUnsafeMutableBufferPointer { edges in
                let shared = UncheckedBox(edges)
                Parallelism.forEach(pieces: continuous.count) { slot, _ in
                    let values = DoubleRadixSort.sortedNumbers(columns[(slot * sample)..<((slot + 1) * sample)])
                    shared.value[continuous[slot]] = FeatureBins.edges(sorted: values, maxBins: maxBins)
                }
            }
            for feature in continuous { binCount[feature] = edges[feature].count + 1 }
            self.features = features
            self.binCount = binCount
            self.edges = edges
            padded = edges.map { FeatureBins.padded($0) }
        }

        /// Writes the bins of `rows` row-major rows at `values` to `target[feature * stride + firstRow + row]`,
        /// of every feature or of `only` those.
        func bin<Features: Collection<Int>>(_ values: UnsafePointer<Double>, rows: Int, features only: Features, into target: UnsafeMutablePointer<UInt8>,
                                            stride: Int, firstRow: Int) {
            let featureCount = features.count
            for row in 0..<rows {
                let source = values + row * featureCount
                for feature in only {
                    target[feature * stride + firstRow + row] = UInt8(truncatingIfNeeded: bin(source[feature], feature: feature))
                }
            }
        }

        /// Writes the bins of every feature of `rows` row-major rows at `values` to
        /// `target[feature * stride + firstRow + row]`.
        func bin(_ values: UnsafePointer<Double>, rows: Int, into target: UnsafeMutablePointer<UInt8>, stride: Int, firstRow: Int) {
            bin(values, rows: rows, features: 0..<features.count, into: target, stride: stride, firstRow: firstRow)
        }

        /// The bin of `value` of `feature`.
        @inline(__always)
        func bin(_ value: Double, feature: Int) -> Int {
            features[feature].isCategorical
                ? Int(exactly: value).map { min(max($0, 0), 255) } ?? 0
                : padded[feature].withUnsafeBufferPointer { FeatureBins.bin(of: value, in: $0.baseAddress!, count: edges[feature].count) }
        }
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
