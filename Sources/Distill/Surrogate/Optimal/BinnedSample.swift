/// The points an optimal tree is searched on: some features binned at quantile edges (`FeatureBins`), one
/// byte a cell, row-major, and each point's class.
///
/// A split of position `a` (the feature `features[a]`) at candidate `u` sends a point left when its bin is
/// at most `u` (continuous and binary features: `x <= edges[a][u]`), or when its bin is `u` (categorical
/// features: one category against the rest).
struct BinnedSample {
    /// The schema's indices of the features searched, in order.
    let features: [Int]
    let categorical: [Bool]
    /// Bins per position.
    let binCount: [Int]
    /// Upper bin edges of each continuous position (`binCount - 1` of them).
    let edges: [[Double]]
    /// The largest bin count: the stride of every histogram.
    let width: Int
    let classCount: Int
    let rows: Int
    /// `bins[row * features.count + a]`.
    let bins: [UInt8]
    let classes: [Int32]

    /// Bins `data`'s `features` with at most `maxBins` bins each; nil when a categorical feature has more
    /// than 256 categories.
    init?(data: Dataset, classes: [Int], classCount: Int, features: [Int], maxBins: Int) {
        guard let binned = FeatureBins(data: data, maxBins: maxBins, only: Set(features)) else { return nil }
        let q = features.count, rows = data.rows
        self.features = features
        categorical = features.map { data.schema.features[$0].isCategorical }
        binCount = features.map { binned.binCount[$0] }
        edges = features.map { binned.edges[$0] }
        width = max(binCount.max() ?? 1, 1)
        self.classCount = classCount
        self.rows = rows
        var bins = [UInt8](repeating: 0, count: rows * q)
        for (a, feature) in features.enumerated() {
            let column = feature * rows
            for row in 0..<rows { bins[row * q + a] = binned.bins[column + row] }
        }
        self.bins = bins
        self.classes = classes.map { Int32($0) }
    }

    /// The candidates of position `a`: every bin but the last (continuous), every category (categorical;
    /// one of two when there are two).
    func candidates(_ a: Int) -> Int {
        categorical[a] ? (binCount[a] == 2 ? 1 : binCount[a]) : binCount[a] - 1
    }

    /// Whether `row` goes left at candidate `u` of position `a`.
    @inline(__always)
    func goesLeft(_ row: Int, position a: Int, candidate u: Int) -> Bool {
        let bin = Int(bins[row * features.count + a])
        return categorical[a] ? bin == u : bin <= u
    }

    /// The points of `rows` by bin at every position (`(a * width + u) * classCount + c`), and by class.
    func histogram<Rows: Sequence>(of rows: Rows) -> (histogram: [Int32], totals: [Int32]) where Rows.Element == Int32 {
        let q = features.count, k = classCount
        var histogram = [Int32](repeating: 0, count: q * width * k), totals = [Int32](repeating: 0, count: k)
        for row in rows {
            let base = Int(row) * q, c = Int(classes[Int(row)])
            totals[c] += 1
            for a in 0..<q { histogram[(a * width + Int(bins[base + a])) * k + c] += 1 }
        }
        return (histogram, totals)
    }

    /// The split test in raw units, for `schema`.
    func test(position a: Int, candidate u: Int, schema: FeatureSchema) -> SplitTest {
        guard categorical[a] else { return .threshold(edges[a][u]) }
        let count = schema.features[features[a]].categories?.count ?? binCount[a]
        return .categories(left: (0..<count).map { $0 == u })
    }
}

/// Class counts of a set of points by (position, bin) and by pairs of them: `cells[a][u][h][v][c]` counts
/// the points of class c with bin u at position a and bin v at position h. The slice for one (a, u) is
/// the histogram of the points in that bin over every position, so a sweep over u adds slices to get the
/// histogram of a split's left side. Adding a point costs q² increments.
struct JointCounts {
    let positions: Int
    let width: Int
    let classCount: Int
    /// `((a * width + u) * positions + h) * width + v) * classCount + c`.
    var cells: [Int32]
    /// `(h * width + v) * classCount + c`: the points by bin at each position.
    var histogram: [Int32]
    var totals: [Int32]

    init(sample: BinnedSample) {
        positions = sample.features.count
        width = sample.width
        classCount = sample.classCount
        cells = [Int32](repeating: 0, count: positions * width * positions * width * classCount)
        histogram = [Int32](repeating: 0, count: positions * width * classCount)
        totals = [Int32](repeating: 0, count: classCount)
    }

    /// The size of one (a, u) slice: a histogram over every position.
    var sliceSize: Int { positions * width * classCount }

    /// Sets these counts to `whole`'s less `part`'s (of the same sample), in place: the root search keeps
    /// one buffer per side instead of allocating a table for every split it solves.
    mutating func setDifference(_ whole: JointCounts, _ part: JointCounts) {
        cells.withUnsafeMutableBufferPointer { cells in
            whole.cells.withUnsafeBufferPointer { whole in
                part.cells.withUnsafeBufferPointer { part in
                    for index in cells.indices { cells[index] = whole[index] &- part[index] }
                }
            }
        }
        for index in histogram.indices { histogram[index] = whole.histogram[index] &- part.histogram[index] }
        for index in totals.indices { totals[index] = whole.totals[index] &- part.totals[index] }
    }

    /// No points counted.
    mutating func reset() {
        cells.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        histogram.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        totals.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Adds `rows` of `sample` (a side's counts are the whole's less the other side's: `setDifference`).
    ///
    /// A point of class c with bin v at position h adds 1 at offset `(h * width + v) * classCount + c` of
    /// every slice it lies in, the same offset as in `histogram`, and lies in the slices of (h, v): the
    /// offsets and slices are worked out once per point, and its q² increments each read one of them.
    mutating func add<Rows: Collection>(_ rows: Rows, of sample: BinnedSample) where Rows.Element == Int32 {
        let q = positions, w = width, k = classCount, size = sliceSize
        var offsets = [Int](repeating: 0, count: 2 * q)
        cells.withUnsafeMutableBufferPointer { cells in
            histogram.withUnsafeMutableBufferPointer { histogram in
                sample.bins.withUnsafeBufferPointer { bins in
                    sample.classes.withUnsafeBufferPointer { classes in
                        offsets.withUnsafeMutableBufferPointer { offsets in
                            let cells = cells.baseAddress!, offsets = offsets.baseAddress!, slices = offsets + q
                            for row in rows {
                                let base = Int(row) &* q, c = Int(classes[Int(row)])
                                totals[c] &+= 1
                                for h in 0..<q {
                                    let cell = h &* w &+ Int(bins[base &+ h])
                                    offsets[h] = cell &* k &+ c
                                    slices[h] = cell &* size
                                }
                                for a in 0..<q {
                                    histogram[offsets[a]] &+= 1
                                    let slice = cells + slices[a]
                                    for h in 0..<q { slice[offsets[h]] &+= 1 }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
