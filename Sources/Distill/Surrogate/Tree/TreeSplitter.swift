/// How a tree searches for splits.
public enum SplitSearch: String, CaseIterable, Sendable {
    /// Exact where histograms do not pay (`TreeSettings.histogramsPay`: below 20,000 fitting rows up to 64
    /// features), histogram from there on.
    case automatic = "auto"
    /// Every threshold between adjacent distinct values (features presorted once).
    case exact
    /// Thresholds between quantile bins of each feature (at most `TreeSettings.maxBins`), with sibling
    /// histograms by subtraction; exact when a feature has no more distinct values than bins.
    case histogram
}

/// The split search behind `TreeGrowth`, in scikit-learn's terms a *splitter*: it owns the array of row
/// indices whose segments are the nodes, finds a node's best split under the one `SplitCriterion`, and
/// partitions a node's segment (left rows first). `Cache` is what it keeps per node between the two
/// (a histogram splitter's histograms).
protocol TreeSplitter {
    associatedtype Cache

    var criterion: SplitCriterion { get }

    /// Calls `body` with the row indices of the segment `start..<end`.
    func withRows<Result>(start: Int, end: Int, _ body: (UnsafeBufferPointer<Int32>) -> Result) -> Result

    /// The cache of the root (all rows).
    mutating func rootCache() -> Cache?

    /// Bytes one node's cache holds (0 when it holds nothing).
    var cacheBytes: Int { get }

    /// The best admissible split of the segment (nil when no split keeps `minSamplesLeaf` rows on both
    /// sides), using the node's cache when there is one.
    mutating func bestSplit(start: Int, end: Int, cache: Cache?) -> SplitCandidate?

    /// Partitions the segment so that the rows going left come first; returns the test that sends them
    /// there (in raw units) and how many go left.
    mutating func partition(start: Int, end: Int, by split: SplitCandidate) -> (test: SplitTest, leftCount: Int)

    /// The children's caches after `partition`, from the parent's; nil where not wanted.
    mutating func childCaches(parent: Cache?, left: Range<Int>, right: Range<Int>,
                              wantLeft: Bool, wantRight: Bool) -> (left: Cache?, right: Cache?)
}

/// The best split found for a node.
struct SplitCandidate {
    var feature: Int
    var test: SplitTest
    /// The criterion's proxy (larger is better).
    var proxy: Double
    /// For a histogram split of a continuous feature: the last bin that goes left.
    var bin: Int = -1
}

extension SplitCandidate {
    /// Whether `self` beats `other` found on a later feature: more than rounding better (so that the lower
    /// feature index wins ties).
    func beats(_ other: SplitCandidate?) -> Bool {
        guard let other else { return true }
        return proxy > other.proxy + 1e-12 * abs(other.proxy)
    }
}
