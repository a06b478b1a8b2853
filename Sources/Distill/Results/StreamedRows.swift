import Foundation

/// A data file too large to hold as values, read in blocks: each fitting row is labelled by the network
/// and kept only as bins, one byte per value (`FeatureBins`), which is what the tree surrogate is fitted
/// on. Evenly spaced rows are kept whole: up to `sampleRows` fitting rows (for everything else that reads
/// rows: the input distribution, drawn points, the other surrogate kinds, rounding) and up to
/// `heldOutRows` held-out rows (what the surrogate is measured on).
///
/// The file is read three times: rows counted, the kept rows parsed, then every row parsed, labelled and
/// binned (pieces in parallel, each piece's values freed once binned). Bin edges come from the kept
/// fitting rows; a tree's threshold at a bin boundary is halfway between the largest value of the whole
/// file below it and the smallest above it, so that every row of the file is routed by its bin.
struct StreamedRows: Sendable {
    /// The fitting rows' bins.
    let bins: FeatureBins
    /// The network's answers on the fitting rows.
    let target: TreeTarget
    /// Per feature and bin, the smallest and largest value of the file's fitting rows in it (+inf and
    /// -inf for an empty bin).
    let lowest: [[Double]]
    let highest: [[Double]]

    /// Fitting rows kept whole at most.
    static let sampleRows = FeatureBins.sampleRows
    /// Held-out rows kept at most (fewer for wide rows: at most `keptValues` values).
    static let heldOutRows = 1_000_000
    static let keptValues = 25_000_000

    var rows: Int { bins.rows }

    /// The values of `feature` nearest `threshold` in the file: the largest at or below it and the
    /// smallest above it, as far as the bins tell (exact for a threshold between two bins).
    func gap(feature: Int, threshold: Double) -> (low: Double, high: Double) {
        var low = -Double.infinity, high = Double.infinity
        for top in highest[feature] where top <= threshold { low = max(low, top) }
        for bottom in lowest[feature] where bottom > threshold { high = min(high, bottom) }
        return (low, high)
    }

    /// Whether a file of `rows` rows and `width` inputs is streamed when nothing was asked: when its
    /// values would take more than a quarter of the machine's memory.
    static func isTooLarge(rows: Int, width: Int) -> Bool {
        let (cells, overflow) = rows.multipliedReportingOverflow(by: max(width, 1))
        return overflow || Double(cells) * 8 > Double(ProcessInfo.processInfo.physicalMemory) / 4
    }

    /// The rows of `path` for `network`, split and streamed; nil when the file is not plain (quotes, or a
    /// cell the fast path declines: the general reader then gives its answer or its diagnostic), when a
    /// categorical input has more than 256 categories, or (with `always` false) when it fits in memory.
    /// `keep`: the fitting and held-out rows kept whole at most (tests make them few); `pieceBytes`: the
    /// size of the blocks.
    static func load(path: String, network: Network, label: String?, testFraction: Double, holdOut: Bool,
                     seed: UInt64, always: Bool, keep: (fitting: Int, heldOut: Int)? = nil, pieceBytes: Int = 1 << 22)
        throws -> (train: Dataset, test: Dataset, streamed: StreamedRows, fileRows: Int)? {
        try FileInput.withContents(path: path, limited: false) { bytes, mapped -> (Dataset, Dataset, StreamedRows, Int)? in
            guard let scan = PlainCSVLoader.Scan(bytes, network: network, label: label, pieceBytes: pieceBytes,
                                                 releasePages: mapped) else { return nil }
            let width = network.schema.count
            guard always || isTooLarge(rows: scan.rows, width: width) else { return nil }
            guard !holdOut || scan.rows >= 2 else { return nil }
            let held = holdOut ? Dataset.heldOut(rows: scan.rows, testFraction: testFraction, seed: seed) : nil
            let heldCount = held?.reduce(0) { $0 + ($1 ? 1 : 0) } ?? 0
            let fitting = scan.rows - heldCount
            let keptFitting = min(fitting, keep?.fitting ?? min(sampleRows, max(1, keptValues / max(width, 1))))
            let keptHeld = min(heldCount, keep?.heldOut ?? min(heldOutRows, max(10_000, keptValues / max(width, 1))))
            // Roles: 0 a kept fitting row, 1 a kept held-out row, 2 neither; evenly spaced in each part.
            var roles = [UInt8](repeating: 2, count: scan.rows)
            var seen = (fitting: 0, held: 0), next = (fitting: 0, held: 0)
            for row in 0..<scan.rows {
                if held?[row] == true {
                    if next.held < keptHeld, seen.held == next.held * heldCount / keptHeld {
                        roles[row] = 1
                        next.held += 1
                    }
                    seen.held += 1
                } else {
                    if next.fitting < keptFitting, seen.fitting == next.fitting * fitting / keptFitting {
                        roles[row] = 0
                        next.fitting += 1
                    }
                    seen.fitting += 1
                }
            }
            guard let parts = scan.parts(roles: roles, count: 2),
                  let layout = FeatureBins.Layout(sample: parts[0], maxBins: 256),
                  let streamed = try binned(scan, layout: layout, network: network, held: held, fitting: fitting, path: path) else { return nil }
            return (parts[0], parts[1], streamed, scan.rows)
        }
    }

    /// Every fitting row labelled and binned, block by block.
    private static func binned(_ scan: PlainCSVLoader.Scan, layout: FeatureBins.Layout, network: Network,
                               held: [Bool]?, fitting: Int, path: String) throws -> StreamedRows? {
        let width = network.schema.count, isClassification = network.task == .classification
        let outputs = network.outputs.count
        // Fitting rows before every 4096th row of the file.
        let chunk = 4096
        var before = [Int](repeating: 0, count: scan.rows / chunk + 2)
        var count = 0
        for row in 0..<scan.rows {
            if row % chunk == 0 { before[row / chunk] = count }
            if held?[row] != true { count += 1 }
        }
        var bins = [UInt8](repeating: 0, count: fitting * width)
        var classes = [Int](repeating: 0, count: isClassification ? fitting : 0)
        var values = [Double](repeating: 0, count: isClassification ? 0 : fitting * outputs)
        let extremes = BinExtremes(width: width)
        let evaluator = NetworkEvaluator(network: network)
        let complete = bins.withUnsafeMutableBufferPointer { bins in
            classes.withUnsafeMutableBufferPointer { classes in
                values.withUnsafeMutableBufferPointer { values in
                    let targets = UncheckedBox((bins.baseAddress!, classes.baseAddress, values.baseAddress))
                    return scan.forEachBlock { firstRow, block in
                        // This block's fitting rows, and where the first of them goes.
                        var start = before[firstRow / chunk]
                        for row in (firstRow / chunk * chunk)..<firstRow where held?[row] != true { start += 1 }
                        let kept = (0..<block.rows).filter { held?[firstRow + $0] != true }
                        let rows = kept.count == block.rows ? block : block.subset(kept)
                        guard rows.rows > 0 else { return }
                        let output = evaluator.evaluate(raw: rows.values, rows: rows.rows)
                        if let bad = output.values.firstIndex(where: { !$0.isFinite }) {
                            let row = bad / output.width
                            extremes.nonFinite(fileRow: firstRow + kept[row], values: Array(rows.values[(row * width)..<((row + 1) * width)]))
                        }
                        if isClassification {
                            for (offset, predicted) in output.predictedClasses.enumerated() { targets.value.1![start + offset] = predicted }
                        } else {
                            for index in 0..<output.values.count { targets.value.2![start * outputs + index] = output.values[index] }
                        }
                        var low = [Double](repeating: .infinity, count: width * 256), high = [Double](repeating: -.infinity, count: width * 256)
                        rows.values.withUnsafeBufferPointer { raw in
                            let bins = targets.value.0
                            layout.bin(raw.baseAddress!, rows: rows.rows, into: bins, stride: fitting, firstRow: start)
                            for feature in 0..<width {
                                let column = bins + feature * fitting + start
                                for row in 0..<rows.rows {
                                    let value = raw[row * width + feature], cell = feature * 256 + Int(column[row])
                                    low[cell] = min(low[cell], value)
                                    high[cell] = max(high[cell], value)
                                }
                            }
                        }
                        extremes.merge(low: low, high: high)
                    }
                }
            }
        }
        if let (row, values) = extremes.firstNonFinite {
            throw evaluator.nonFinite(row: values, index: row, file: path, what: "row (of the data file)")
        }
        guard complete, fitting > 0 else { return nil }
        let (lowest, highest) = extremes.perFeature()
        // A threshold at a bin boundary: halfway between the file's values on either side of it.
        var edges = layout.edges
        for feature in 0..<width where !network.schema.features[feature].isCategorical {
            for boundary in edges[feature].indices {
                let low = highest[feature][0...boundary].max() ?? -.infinity
                let high = lowest[feature][(boundary + 1)...].min() ?? .infinity
                if low > -.infinity, high < .infinity { edges[feature][boundary] = SplitTest.midpoint(low, high) }
            }
        }
        let target: TreeTarget = isClassification ? .classes(classes, classCount: outputs) : .values(values, outputs: outputs)
        return StreamedRows(bins: FeatureBins(rows: fitting, bins: bins, binCount: layout.binCount, edges: edges),
                            target: target, lowest: lowest, highest: highest)
    }
}

/// The smallest and largest value per feature and bin over the blocks merged into it (in any order).
private final class BinExtremes: @unchecked Sendable {
    private let lock = NSLock()
    private let width: Int
    private var low: [Double], high: [Double]

    init(width: Int) {
        self.width = width
        low = [Double](repeating: .infinity, count: width * 256)
        high = [Double](repeating: -.infinity, count: width * 256)
    }

    func merge(low blockLow: [Double], high blockHigh: [Double]) {
        lock.lock()
        defer { lock.unlock() }
        for cell in low.indices {
            low[cell] = min(low[cell], blockLow[cell])
            high[cell] = max(high[cell], blockHigh[cell])
        }
    }

    /// The first row of the file (and its values) whose answers are not finite, of those reported.
    private(set) var firstNonFinite: (row: Int, values: [Double])?

    func nonFinite(fileRow: Int, values: [Double]) {
        lock.lock()
        defer { lock.unlock() }
        if fileRow < firstNonFinite?.row ?? Int.max { firstNonFinite = (fileRow, values) }
    }

    /// The extremes as `[feature][bin]`.
    func perFeature() -> (lowest: [[Double]], highest: [[Double]]) {
        ((0..<width).map { Array(low[($0 * 256)..<(($0 + 1) * 256)]) }, (0..<width).map { Array(high[($0 * 256)..<(($0 + 1) * 256)]) })
    }
}
