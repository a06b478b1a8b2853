/// Stopping rules for growing a CART tree.
public struct TreeSettings: Hashable, Sendable {
    /// Deepest level a node may be at (the root is level 0); nil for no limit.
    public var maxDepth: Int?
    /// Most leaves; when set, the tree grows best-first (largest impurity decrease next); nil for no limit.
    public var maxLeaves: Int?
    /// Fewest training rows in a leaf.
    public var minSamplesLeaf: Int
    /// Features splits may use (all when nil).
    public var allowedFeatures: Set<Int>?
    /// Exact or histogram split search (automatic: by the number of fitting rows).
    public var splitSearch: SplitSearch
    /// Most bins per continuous feature for the histogram search (2...256).
    public var maxBins: Int

    /// Fitting rows from which the automatic split search uses histograms, up to
    /// `histogramCrossoverFeatures` features: below it the exact search is as fast or faster (measured in
    /// docs/performance.md) and gives scikit-learn's trees.
    public static let histogramCrossoverRows = 20_000
    /// Features up to which the crossover is `histogramCrossoverRows` rows; on more features it falls in
    /// proportion (the rows times the features stay the same), since every feature's values are sorted
    /// for the exact search at every node while its histogram is one pass.
    public static let histogramCrossoverFeatures = 64

    /// Whether `rows` rows of `features` features are many enough for histograms to pay (the automatic
    /// split search's rule, which RIPPER's condition search follows too).
    public static func histogramsPay(rows: Int, features: Int) -> Bool {
        let (cells, overflow) = rows.multipliedReportingOverflow(by: max(features, histogramCrossoverFeatures))
        return overflow || cells >= histogramCrossoverRows * histogramCrossoverFeatures
    }

    /// Creates settings; `minSamplesLeaf` below 1 is raised to 1, and `maxBins` is clamped to 2...256.
    /// - Parameters:
    ///   - maxDepth: Deepest level; no limit by default.
    ///   - maxLeaves: Most leaves; no limit by default.
    ///   - minSamplesLeaf: Fewest training rows in a leaf; 1 by default.
    ///   - allowedFeatures: Features splits may use; all by default.
    ///   - splitSearch: Exact or histogram search; automatic by default.
    ///   - maxBins: Bins per continuous feature for the histogram search; 256 by default.
    public init(maxDepth: Int? = nil, maxLeaves: Int? = nil, minSamplesLeaf: Int = 1, allowedFeatures: Set<Int>? = nil,
                splitSearch: SplitSearch = .automatic, maxBins: Int = 256) {
        self.maxDepth = maxDepth
        self.maxLeaves = maxLeaves
        self.minSamplesLeaf = max(1, minSamplesLeaf)
        self.allowedFeatures = allowedFeatures
        self.splitSearch = splitSearch
        self.maxBins = min(max(maxBins, 2), 256)
    }

    /// Whether a fit on `rows` rows of `features` features searches histograms.
    func usesHistograms(rows: Int, features: Int) -> Bool {
        switch splitSearch {
        case .exact: return false
        case .histogram: return true
        case .automatic: return Self.histogramsPay(rows: rows, features: features)
        }
    }
}

/// What a tree is fitted to: class indices (Gini impurity) or real-valued targets (variance).
public enum TreeTarget: Equatable, Sendable {
    /// One class index in 0..<classCount per row.
    case classes([Int], classCount: Int)
    /// Row-major targets, `outputs` values per row.
    case values([Double], outputs: Int)

    var rows: Int {
        switch self {
        case let .classes(labels, _): return labels.count
        case let .values(values, outputs): return values.count / outputs
        }
    }
}
