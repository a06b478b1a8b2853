/// Fits a CART decision tree (Gini impurity for classes, variance for real targets) on raw features, the
/// way scikit-learn's `DecisionTreeClassifier`/`Regressor` do with all features considered at every node:
/// thresholds between adjacent values, categorical features split into two subsets of categories,
/// depth-first growth, or best-first growth when `maxLeaves` is set.
///
/// The split search is exact (every feature presorted once, every node's segments partitioned stably) or,
/// where histograms pay (`TreeSettings.histogramsPay`: from 20,000 rows on up to 64 features), by histograms of at most 256 quantile bins per
/// feature. Either way each threshold is a value between two fitting values of the node in raw units.
/// Ties are broken deterministically: the lower feature index, then the lower threshold, wins; results do
/// not depend on the thread count.
public struct TreeBuilder: Sendable {
    /// The stopping rules and the split search.
    public var settings: TreeSettings

    /// Creates a builder.
    public init(settings: TreeSettings) {
        self.settings = settings
    }

    /// Fits a tree to `target` on the rows of `data`.
    public func fit(_ data: Dataset, target: TreeTarget, outputs: [String]) -> DecisionTree {
        fit(data, bins: nil, target: target, outputs: outputs)
    }

    /// Fits as `fit(_:target:outputs:)` does, reading `bins` (`FeatureBins(data: data, maxBins:
    /// settings.maxBins, only:)` of at least the allowed features, made once for fits on the same rows)
    /// when the search is by histograms.
    func fit(_ data: Dataset, bins: FeatureBins?, target: TreeTarget, outputs: [String]) -> DecisionTree {
        precondition(target.rows == data.rows && data.rows > 0, "target rows must match the data")
        let nodes: [TreeNode]
        if settings.usesHistograms(rows: data.rows, features: data.schema.count), let binned = bins ?? FeatureBins(data: data, maxBins: settings.maxBins, only: settings.allowedFeatures) {
            precondition(binned.rows == data.rows, "bins must be the data's")
            let splitter = HistogramSplitter(binned: binned, values: data.values, schema: data.schema, target: target, settings: settings)
            var growth = TreeGrowth(splitter: splitter, rows: data.rows, settings: settings)
            nodes = growth.grow()
        } else {
            var growth = TreeGrowth(splitter: PresortedSplitter(data: data, target: target, settings: settings),
                                    rows: data.rows, settings: settings)
            nodes = growth.grow()
        }
        let task: PredictionTask
        if case .classes = target { task = .classification } else { task = .regression }
        return DecisionTree(task: task, schema: data.schema, outputs: outputs, nodes: nodes)
    }

    /// Fits a tree to `target` on rows held only as bins (a streamed file's): every split is a bin
    /// boundary, its threshold the bins' edge there.
    func fit(binned: FeatureBins, schema: FeatureSchema, target: TreeTarget, outputs: [String]) -> DecisionTree {
        precondition(target.rows == binned.rows && binned.rows > 0, "target rows must match the bins")
        let splitter = HistogramSplitter(binned: binned, values: nil, schema: schema, target: target, settings: settings)
        var growth = TreeGrowth(splitter: splitter, rows: binned.rows, settings: settings)
        let nodes = growth.grow()
        let task: PredictionTask
        if case .classes = target { task = .classification } else { task = .regression }
        return DecisionTree(task: task, schema: schema, outputs: outputs, nodes: nodes)
    }

    /// The best single split of all of `data`'s rows (nil when there is none), as the root of a fit with
    /// these settings would choose it.
    func bestSplit(_ data: Dataset, target: TreeTarget) -> SplitCandidate? {
        if settings.usesHistograms(rows: data.rows, features: data.schema.count), let splitter = HistogramSplitter(data: data, target: target, settings: settings) {
            return splitter.bestSplit(start: 0, end: data.rows, cache: splitter.rootCache())
        }
        let splitter = PresortedSplitter(data: data, target: target, settings: settings)
        return splitter.bestSplit(start: 0, end: data.rows, cache: nil)
    }
}

/// One fit: the node list, grown depth-first (a stack) or best-first (the largest impurity decrease next)
/// over the segments of a splitter.
struct TreeGrowth<Splitter: TreeSplitter> {
    var splitter: Splitter
    let rows: Int
    let settings: TreeSettings
    var nodes: [TreeNode] = []

    init(splitter: Splitter, rows: Int, settings: TreeSettings) {
        self.splitter = splitter
        self.rows = rows
        self.settings = settings
    }

    /// The most frontier nodes that keep a splitter cache, whatever its size.
    static var maxCachedFrontier: Int { 256 }
    /// Bytes the frontier's caches may hold in all: 256 MB (a histogram of 784 features, 256 bins and 10
    /// classes holds 17.7 MB, so 14 of them).
    static var cacheBudget: Int { 256 << 20 }

    /// Frontier nodes beyond this many keep no splitter cache: `maxCachedFrontier`, fewer when their caches
    /// would hold more than `cacheBudget` (one less than fit in it: a split leaves one more open node than
    /// the count it was checked at), and at least 2.
    var cachedFrontier: Int {
        splitter.cacheBytes > 0 ? min(Self.maxCachedFrontier, max(2, Self.cacheBudget / splitter.cacheBytes - 1)) : Self.maxCachedFrontier
    }

    /// A node waiting to be split: its segment, its best split and the splitter's cache.
    struct Pending {
        var node: Int
        var start: Int
        var end: Int
        var split: SplitCandidate?
        var improvement: Double
        var cache: Splitter.Cache?
    }

    /// A recorded node before its split is searched.
    struct Recorded {
        var node: Int
        var start: Int
        var end: Int
        var proxy: Double
        var splittable: Bool
    }

    mutating func grow() -> [TreeNode] {
        let root = record(start: 0, end: rows, depth: 0)
        let pending = search(root, cache: root.splittable ? splitter.rootCache() : nil)
        if let maxLeaves = settings.maxLeaves {
            growBestFirst(root: pending, maxLeaves: maxLeaves)
        } else {
            var stack = [pending]
            while let next = stack.popLast() {
                guard next.split != nil else { continue }
                let (left, right) = apply(next)
                stack.append(right)
                stack.append(left)
            }
        }
        return nodes
    }

    private mutating func growBestFirst(root: Pending, maxLeaves: Int) {
        var frontier = [root]
        var leaves = 1
        while leaves < maxLeaves {
            var best: Int?
            for (index, candidate) in frontier.enumerated() where candidate.split != nil {
                if let current = best {
                    let a = candidate.improvement, b = frontier[current].improvement
                    if a > b || (a == b && candidate.node < frontier[current].node) { best = index }
                } else {
                    best = index
                }
            }
            guard let chosen = best else { break }
            let pending = frontier.remove(at: chosen)
            var (left, right) = apply(pending)
            // A wide frontier keeps no more splitter caches (histograms): memory stays bounded, and a node
            // without one has both children counted from their rows when it is split.
            if frontier.count >= cachedFrontier {
                left.cache = nil
                right.cache = nil
            }
            frontier.append(left)
            frontier.append(right)
            leaves += 1
        }
    }

    /// Appends the node with its statistics; says whether it may be split.
    private mutating func record(start: Int, end: Int, depth: Int) -> Recorded {
        let criterion = splitter.criterion
        let (value, spread, proxy, pure) = splitter.withRows(start: start, end: end) { criterion.statistics(rows: $0) }
        let index = nodes.count
        nodes.append(TreeNode(split: nil, left: -1, right: -1, samples: end - start, value: value,
                              spread: spread, depth: depth))
        let count = end - start
        let splittable = !pure && count >= 2 * settings.minSamplesLeaf && count >= 2 && depth < (settings.maxDepth ?? Int.max)
        return Recorded(node: index, start: start, end: end, proxy: proxy, splittable: splittable)
    }

    /// The recorded node's best split and the impurity decrease it brings (per row and output).
    private mutating func search(_ recorded: Recorded, cache: Splitter.Cache?) -> Pending {
        var split: SplitCandidate?
        if recorded.splittable { split = splitter.bestSplit(start: recorded.start, end: recorded.end, cache: cache) }
        let outputs = splitter.criterion.isClassification ? 1 : splitter.criterion.width
        let improvement = split.map { ($0.proxy - recorded.proxy) / Double(rows * outputs) } ?? 0
        return Pending(node: recorded.node, start: recorded.start, end: recorded.end, split: split,
                       improvement: improvement, cache: split == nil ? nil : cache)
    }

    /// Splits a pending node: partitions its segment and creates both children.
    private mutating func apply(_ pending: Pending) -> (Pending, Pending) {
        let split = pending.split!
        let (test, leftCount) = splitter.partition(start: pending.start, end: pending.end, by: split)
        let depth = nodes[pending.node].depth + 1
        nodes[pending.node].split = TreeNode.Split(feature: split.feature, test: test)
        let mid = pending.start + leftCount
        let left = record(start: pending.start, end: mid, depth: depth)
        nodes[pending.node].left = left.node
        let right = record(start: mid, end: pending.end, depth: depth)
        nodes[pending.node].right = right.node
        let caches = splitter.childCaches(parent: pending.cache, left: pending.start..<mid, right: mid..<pending.end,
                                          wantLeft: left.splittable, wantRight: right.splittable)
        return (search(left, cache: caches.left), search(right, cache: caches.right))
    }
}
