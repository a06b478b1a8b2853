/// The histogram split search (as LightGBM and scikit-learn's `HistGradientBoosting` do it): features are
/// binned once (`FeatureBins`); a node's histogram holds, per feature and bin, the criterion's sums and
/// the row count; the best split of a feature is one scan over its bins. Of two siblings only the smaller
/// one's histogram is counted from its rows, the larger one's is the parent's minus it. Histograms are
/// counted with features in parallel, each feature by one worker in row order, so they do not depend on
/// the thread count. A chosen threshold is moved to the midpoint between the node's largest value that
/// goes left and its smallest value that goes right, where the exact search would put it.
///
/// Given bins alone (a streamed file's rows, whose raw values are not held), a split is the best bin
/// boundary and its threshold the bins' edge there (halfway between the largest value of the file below
/// it and the smallest above it).
struct HistogramSplitter: TreeSplitter {
    /// Per feature and bin: `width` sums, then the row count.
    typealias Cache = [Double]

    let criterion: SplitCriterion
    let schema: FeatureSchema
    let rows: Int
    /// The raw values, row-major; nil when only the bins are held.
    let values: [Double]?
    let settings: TreeSettings
    let binned: FeatureBins
    /// Row indices; every node is a segment.
    var index: [Int32]
    var spill: [Int32]
    /// Where each feature's bins start in a histogram, in units of `stride`.
    let binOffset: [Int]
    let totalBins: Int
    /// Values per bin: the criterion's sums and the count.
    let stride: Int
    let searchedFeatures: [Int]

    init?(data: Dataset, target: TreeTarget, settings: TreeSettings) {
        guard let binned = FeatureBins(data: data, maxBins: settings.maxBins, only: settings.allowedFeatures) else { return nil }
        self.init(binned: binned, values: data.values, schema: data.schema, target: target, settings: settings)
    }

    /// A search over rows already binned; `values` their raw values (row-major), nil when not held.
    init(binned: FeatureBins, values: [Double]?, schema: FeatureSchema, target: TreeTarget, settings: TreeSettings) {
        criterion = SplitCriterion(target)
        self.schema = schema
        rows = binned.rows
        self.values = values
        self.settings = settings
        self.binned = binned
        index = (0..<binned.rows).map { Int32($0) }
        spill = [Int32](repeating: 0, count: binned.rows)
        var offsets: [Int] = [], total = 0
        for count in binned.binCount {
            offsets.append(total)
            total += count
        }
        binOffset = offsets
        totalBins = total
        stride = criterion.width + 1
        searchedFeatures = (0..<schema.count).filter { settings.allowedFeatures?.contains($0) ?? true }
        precondition(binned.binnedFeatures.map { binnedFeatures in searchedFeatures.allSatisfy(binnedFeatures.contains) } ?? true,
                     "the bins must cover the features searched")
    }

    func withRows<Result>(start: Int, end: Int, _ body: (UnsafeBufferPointer<Int32>) -> Result) -> Result {
        index.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    func rootCache() -> [Double]? { histogram(start: 0, end: rows) }

    /// A histogram's bytes, for class counts (subtracting counts is exact, so keeping fewer caches changes
    /// no tree) and past 64 features; 0 for sums of real targets on fewer (their subtraction rounds
    /// differently from counting, and their caches were kept up to 256 nodes before the budget).
    var cacheBytes: Int {
        criterion.isClassification || schema.count > TreeSettings.histogramCrossoverFeatures ? totalBins * stride * MemoryLayout<Double>.stride : 0
    }

    /// The smaller child's histogram from its rows and the larger one's by subtraction (when the parent's
    /// is at hand and both are wanted); otherwise each wanted child's from its rows.
    func childCaches(parent: [Double]?, left: Range<Int>, right: Range<Int>, wantLeft: Bool, wantRight: Bool)
        -> (left: [Double]?, right: [Double]?) {
        guard wantLeft || wantRight else { return (nil, nil) }
        guard let parent, wantLeft, wantRight else {
            return (wantLeft ? histogram(start: left.lowerBound, end: left.upperBound) : nil,
                    wantRight ? histogram(start: right.lowerBound, end: right.upperBound) : nil)
        }
        let leftIsSmaller = left.count <= right.count
        let small = leftIsSmaller ? left : right
        let counted = histogram(start: small.lowerBound, end: small.upperBound)
        var rest = parent
        for position in rest.indices { rest[position] -= counted[position] }
        return leftIsSmaller ? (counted, rest) : (rest, counted)
    }

    /// The histogram of the segment's rows.
    func histogram(start: Int, end: Int) -> [Double] {
        var histogram = [Double](repeating: 0, count: totalBins * stride)
        let features = searchedFeatures
        let threads = (end - start) * features.count >= 100_000 ? Parallelism.threads : 1
        let rows = self.rows, width = criterion.width, stride = self.stride
        histogram.withUnsafeMutableBufferPointer { histogram in
            binned.bins.withUnsafeBufferPointer { bins in
                index.withUnsafeBufferPointer { index in
                    let shared = UncheckedBox(histogram.baseAddress!)
                    Parallelism.forEach(pieces: features.count, threads: threads) { piece, _ in
                        let feature = features[piece]
                        let column = bins.baseAddress! + feature * rows
                        let target = shared.value + binOffset[feature] * stride
                        if criterion.isClassification {
                            criterion.labels.withUnsafeBufferPointer { labels in
                                for position in start..<end {
                                    let row = Int(index[position])
                                    let cell = target + Int(column[row]) * stride
                                    cell[Int(labels[row])] += 1
                                    cell[width] += 1
                                }
                            }
                        } else {
                            criterion.targets.withUnsafeBufferPointer { targets in
                                for position in start..<end {
                                    let row = Int(index[position])
                                    let cell = target + Int(column[row]) * stride
                                    for k in 0..<width { cell[k] += targets[row * width + k] }
                                    cell[width] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return histogram
    }

    /// Each searched feature's best bin split or category subset from the node's histogram.
    func bestSplit(start: Int, end: Int, cache: [Double]?) -> SplitCandidate? {
        let histogram = cache ?? self.histogram(start: start, end: end)
        var best: SplitCandidate?
        // The sums of both sides, reused by every feature.
        var scratch = [Double](repeating: 0, count: 2 * criterion.width)
        histogram.withUnsafeBufferPointer { histogram in
            scratch.withUnsafeMutableBufferPointer { scratch in
                for feature in searchedFeatures {
                    let cells = histogram.baseAddress! + binOffset[feature] * stride
                    let candidate = schema.features[feature].isCategorical
                        ? categorySplit(feature: feature, cells: cells)
                        : binSplit(feature: feature, cells: cells, count: end - start, scratch: scratch.baseAddress!)
                    if let candidate, candidate.beats(best) { best = candidate }
                }
            }
        }
        guard let chosen = best, chosen.bin >= 0, let values else { return best }
        return histogram.withUnsafeBufferPointer {
            refine(chosen, values: values, start: start, end: end, cells: $0.baseAddress! + binOffset[chosen.feature] * stride)
        }
    }

    /// The exact best threshold of the chosen feature between the edges around its best bin boundary: the
    /// node's rows in the two bins beside it, sorted by value and scanned as the exact search does.
    private func refine(_ split: SplitCandidate, values: [Double], start: Int, end: Int, cells: UnsafePointer<Double>) -> SplitCandidate {
        let width = criterion.width, feature = split.feature, rows = self.rows, featureCount = schema.count
        let count = end - start, minLeaf = settings.minSamplesLeaf
        var window: [(value: Double, row: Int32)] = []
        var left = [Double](repeating: 0, count: width), total = left
        var leftCount = 0
        for bin in 0..<binned.binCount[feature] {
            for k in 0..<width { total[k] += cells[bin * stride + k] }
            if bin < split.bin {
                for k in 0..<width { left[k] += cells[bin * stride + k] }
                leftCount += Int(cells[bin * stride + width])
            }
        }
        binned.bins.withUnsafeBufferPointer { bins in
            index.withUnsafeBufferPointer { index in
                let column = bins.baseAddress! + feature * rows
                for position in start..<end {
                    let row = index[position]
                    let bin = Int(column[Int(row)])
                    if bin == split.bin || bin == split.bin + 1 {
                        window.append((values[Int(row) * featureCount + feature], row))
                    }
                }
            }
        }
        window.sort { $0.value < $1.value || ($0.value == $1.value && $0.row < $1.row) }
        var best = split
        best.bin = -1
        var bestProxy = -Double.infinity
        left.withUnsafeMutableBufferPointer { left in
            total.withUnsafeBufferPointer { total in
                for position in 0..<(window.count - 1) {
                    criterion.add(row: Int(window[position].row), to: left.baseAddress!)
                    leftCount += 1
                    let value = window[position].value, next = window[position + 1].value
                    guard next > value, leftCount >= minLeaf, count - leftCount >= minLeaf else { continue }
                    let proxy = criterion.proxy(left: left.baseAddress!, leftCount: leftCount, total: total.baseAddress!, totalCount: count)
                    if proxy > bestProxy {
                        bestProxy = proxy
                        best.test = .threshold(SplitTest.midpoint(value, next))
                        best.proxy = proxy
                    }
                }
            }
        }
        return bestProxy > -Double.infinity ? best : split
    }

    /// The best boundary between two non-empty bins (the lower one wins ties); `scratch` holds two
    /// criterion widths.
    private func binSplit(feature: Int, cells: UnsafePointer<Double>, count: Int, scratch: UnsafeMutablePointer<Double>) -> SplitCandidate? {
        let width = criterion.width, bins = binned.binCount[feature], minLeaf = settings.minSamplesLeaf
        let total = scratch, left = scratch + width
        total.update(repeating: 0, count: 2 * width)
        var bestProxy = -Double.infinity, bestBin = -1
        // Every bin, empty ones too: a histogram made by subtraction can leave rounding in an empty bin.
        for bin in 0..<bins {
            for k in 0..<width { total[k] += cells[bin &* stride &+ k] }
        }
        var leftCount = 0
        for bin in 0..<(bins - 1) {
            let binRows = Int(cells[bin &* stride &+ width])
            guard binRows > 0 else { continue }
            for k in 0..<width { left[k] += cells[bin &* stride &+ k] }
            leftCount += binRows
            if leftCount < minLeaf { continue }
            if count - leftCount < minLeaf { break }
            let proxy = criterion.proxy(left: left, leftCount: leftCount, total: total, totalCount: count)
            if proxy > bestProxy {
                bestProxy = proxy
                bestBin = bin
            }
        }
        guard bestBin >= 0 else { return nil }
        return SplitCandidate(feature: feature, test: .threshold(binned.edges[feature][bestBin]), proxy: bestProxy, bin: bestBin)
    }

    /// The best category subset from the categories' cells.
    private func categorySplit(feature: Int, cells: UnsafePointer<Double>) -> SplitCandidate? {
        let width = criterion.width, categories = binned.binCount[feature]
        var sums = [Double](repeating: 0, count: categories * width), counts = [Int](repeating: 0, count: categories)
        for category in 0..<categories {
            for k in 0..<width { sums[category * width + k] = cells[category * stride + k] }
            counts[category] = Int(cells[category * stride + width])
        }
        guard let (left, proxy) = criterion.bestCategorySplit(sums: sums, counts: counts, minLeaf: settings.minSamplesLeaf) else {
            return nil
        }
        return SplitCandidate(feature: feature, test: .categories(left: left), proxy: proxy)
    }

    /// Partitions the segment stably by the split's bins; a threshold becomes the midpoint of the node's
    /// values on either side of it (the bins' edge when the values are not held).
    mutating func partition(start: Int, end: Int, by split: SplitCandidate) -> (test: SplitTest, leftCount: Int) {
        let feature = split.feature, rows = self.rows, width = schema.count
        var write = start, spilled = 0
        var largestLeft = -Double.infinity, smallestRight = Double.infinity
        let values = self.values ?? []
        let held = self.values != nil
        let byBin = split.bin >= 0, measured = byBin && held
        binned.bins.withUnsafeBufferPointer { bins in
            values.withUnsafeBufferPointer { values in
                index.withUnsafeMutableBufferPointer { index in
                    spill.withUnsafeMutableBufferPointer { spill in
                        let column = bins.baseAddress! + feature * rows
                        for position in start..<end {
                            let row = index[position]
                            let goesLeft: Bool
                            if byBin {
                                goesLeft = Int(column[Int(row)]) <= split.bin
                                if measured {
                                    let value = values[Int(row) * width + feature]
                                    if goesLeft { largestLeft = max(largestLeft, value) } else if value < smallestRight { smallestRight = value }
                                }
                            } else if !held, case let .categories(left) = split.test {
                                let category = Int(column[Int(row)])
                                goesLeft = category < left.count && left[category]
                            } else {
                                goesLeft = split.test.goesLeft(values[Int(row) * width + feature])
                            }
                            if goesLeft {
                                index[write] = row
                                write += 1
                            } else {
                                spill[spilled] = row
                                spilled += 1
                            }
                        }
                        for offset in 0..<spilled { index[write + offset] = spill[offset] }
                    }
                }
            }
        }
        let test = measured ? SplitTest.threshold(SplitTest.midpoint(largestLeft, smallestRight)) : split.test
        return (test, write - start)
    }
}
