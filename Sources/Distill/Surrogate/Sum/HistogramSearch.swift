/// The best split of one leaf of a tree sum on its residuals: per feature, the residuals' sums and the
/// row counts per bin, then the boundary between bins (or the set of categories) whose two sides, each
/// fitted by its mean, leave the least squared error.
struct HistogramSearch {
    let binned: FeatureBins
    let schema: FeatureSchema
    /// Scores per row.
    let width: Int
    /// Fewest rows on each side.
    let minLeaf: Int
    /// The features searched, in order (ties keep the earlier).
    let features: [Int]
    /// Where each feature's bins start in the histogram, in cells (of `width` sums, or of one count).
    private let offsets: [Int]
    private let cells: Int
    /// The searched features' bins row by row (`rowBins[row * features.count + slot]`): a leaf's rows are
    /// read once each, their bins side by side.
    private let rowBins: [UInt8]
    /// `offsets` of the searched features, in their order.
    private let slotOffsets: [Int]

    init(binned: FeatureBins, schema: FeatureSchema, width: Int, minLeaf: Int, features: [Int]) {
        self.binned = binned
        self.schema = schema
        self.width = width
        self.minLeaf = minLeaf
        self.features = features
        var offsets = [Int](repeating: 0, count: schema.count), total = 0
        for feature in features {
            offsets[feature] = total
            total += binned.binCount[feature]
        }
        self.offsets = offsets
        cells = total
        slotOffsets = features.map { offsets[$0] }
        let q = features.count, rows = binned.rows
        var rowBins = [UInt8](repeating: 0, count: rows * q)
        for (slot, feature) in features.enumerated() {
            let column = feature * rows
            for row in 0..<rows { rowBins[row * q + slot] = binned.bins[column + row] }
        }
        self.rowBins = rowBins
    }

    /// The rows of `rows` in each bin of every searched feature, laid out as `best` reads them: what a
    /// leaf's histogram counts does not change while its rows do not, so each leaf counts them once.
    func counts(rows: [Int32]) -> [Int32] {
        var counts = [Int32](repeating: 0, count: cells)
        let q = features.count
        rowBins.withUnsafeBufferPointer { bins in
            slotOffsets.withUnsafeBufferPointer { offsets in
                counts.withUnsafeMutableBufferPointer { counts in
                    for row in rows {
                        let rowBins = bins.baseAddress! + Int(row) * q
                        for slot in 0..<q { counts[offsets[slot] + Int(rowBins[slot])] &+= 1 }
                    }
                }
            }
        }
        return counts
    }

    /// The split and how much it lowers the leaf's squared error from what its `current` value leaves
    /// (each side refitted to its mean); nil when no split keeps `minLeaf` rows on each side. `counts`:
    /// the leaf's `counts(rows:)`.
    func best(rows: [Int32], counts: [Int32], residual: [Double], current: [Double]) -> (split: TreeNode.Split, bin: Int, gain: Double)? {
        guard rows.count >= 2 * minLeaf, !features.isEmpty else { return nil }
        let count = rows.count
        // The residuals' sums per bin, `width` a cell; the rows per cell are `counts`.
        var histogram = [Double](repeating: 0, count: cells * width)
        var total = [Double](repeating: 0, count: width)
        // Each cell adds its rows in row order, whatever the layout.
        let q = features.count
        rowBins.withUnsafeBufferPointer { bins in
            slotOffsets.withUnsafeBufferPointer { offsets in
                residual.withUnsafeBufferPointer { residual in
                    histogram.withUnsafeMutableBufferPointer { histogram in
                        let cells = histogram.baseAddress!
                        for row in rows {
                            let source = residual.baseAddress! + Int(row) * width
                            let rowBins = bins.baseAddress! + Int(row) * q
                            if width == 1 {
                                let value = source[0]
                                for slot in 0..<q { cells[offsets[slot] + Int(rowBins[slot])] += value }
                            } else {
                                for slot in 0..<q {
                                    let cell = cells + (offsets[slot] + Int(rowBins[slot])) * width
                                    for k in 0..<width { cell[k] += source[k] }
                                }
                            }
                        }
                    }
                    for row in rows { for k in 0..<width { total[k] += residual[Int(row) * width + k] } }
                }
            }
        }
        // The current squared error, less what every split leaves alike: n·|c|² − 2 c·S.
        var currentPart = 0.0
        for k in 0..<width { currentPart += Double(count) * current[k] * current[k] - 2 * current[k] * total[k] }
        let criterion = SplitCriterion(.values([], outputs: width))
        var best: (split: TreeNode.Split, bin: Int, gain: Double)?
        histogram.withUnsafeBufferPointer { histogram in
            total.withUnsafeBufferPointer { total in
                for feature in features {
                    let base = histogram.baseAddress! + offsets[feature] * width, binCounts = offsets[feature]
                    let bins = binned.binCount[feature]
                    if schema.features[feature].isCategorical {
                        var sums = [Double](repeating: 0, count: bins * width), binRows = [Int](repeating: 0, count: bins)
                        for bin in 0..<bins {
                            for k in 0..<width { sums[bin * width + k] = base[bin * width + k] }
                            binRows[bin] = Int(counts[binCounts + bin])
                        }
                        if let (left, proxy) = criterion.bestCategorySplit(sums: sums, counts: binRows, minLeaf: minLeaf) {
                            let gain = proxy + currentPart
                            if gain > (best?.gain ?? -Double.infinity) {
                                best = (TreeNode.Split(feature: feature, test: .categories(left: left)), -1, gain)
                            }
                        }
                        continue
                    }
                    var left = [Double](repeating: 0, count: width), leftCount = 0
                    for bin in 0..<(bins - 1) {
                        let binRows = Int(counts[binCounts + bin])
                        guard binRows > 0 else { continue }
                        for k in 0..<width { left[k] += base[bin * width + k] }
                        leftCount += binRows
                        if leftCount < minLeaf { continue }
                        if count - leftCount < minLeaf { break }
                        let proxy = left.withUnsafeBufferPointer {
                            criterion.proxy(left: $0.baseAddress!, leftCount: leftCount, total: total.baseAddress!, totalCount: count)
                        }
                        let gain = proxy + currentPart
                        if gain > (best?.gain ?? -Double.infinity) {
                            best = (TreeNode.Split(feature: feature, test: .threshold(binned.edges[feature][bin])), bin, gain)
                        }
                    }
                }
            }
        }
        return best
    }
}
