import Foundation

/// The classification tree of depth at most 3 and at most 8 leaves that misclassifies the fewest points
/// of a sample (the network's answers on the fitting rows and drawn points), among trees whose thresholds
/// are quantile bin edges (`maxBins` per feature) and whose categorical splits set one category against the
/// rest: a search over all such trees, where CART chooses one split at a time.
///
/// Depth 2 is solved by counting (`DepthTwoSolver`); depth 3 sweeps every root split and solves both sides
/// at depth 2 wherever a lower bound (`RootBounds`) says the split may still win (`OptimalTreePlanner`).
/// The search runs on the first `searchPoints` points (`plan`, which depends on those alone); when its
/// cost (about 8 q³ B³ k for q features, B bins, k classes) would pass `workBudget`, the bins and then the
/// features are cut (features kept in the order: those of a CART tree of twice the leaves, then by their
/// best single split). `fit` takes the leaves' counts from every point it is given. Deterministic for any
/// thread count: root features are searched in parallel and their results compared in order.
public struct OptimalTreeSearch: Sendable {
    /// Most leaves (1...8).
    public var maxLeaves: Int
    /// Deepest level (0...3).
    public var maxDepth: Int
    /// Most bins per continuous feature: the candidate thresholds are their edges.
    public var maxBins: Int
    /// Points the search runs on (the first ones of the fit).
    public var searchPoints: Int
    /// Features the splits may use (all when nil).
    public var allowedFeatures: Set<Int>?
    /// Additions a depth-3 search may cost before bins and features are cut.
    public var workBudget: Double

    /// Creates a search; `maxLeaves` is clamped to 1...8, `maxDepth` (3 when nil) to 0...3 and below
    /// `maxLeaves`, `maxBins` to 2...256, `searchPoints` to at least 1.
    /// - Parameters:
    ///   - maxLeaves: Most leaves.
    ///   - maxDepth: Deepest level; 3 (at most `maxLeaves - 1`) by default.
    ///   - maxBins: Bins per continuous feature; 16 by default.
    ///   - searchPoints: Points the search runs on; 20,000 by default.
    ///   - allowedFeatures: Features the splits may use; all by default.
    ///   - workBudget: Additions a depth-3 search may cost; 1.5e9 by default.
    public init(maxLeaves: Int, maxDepth: Int? = nil, maxBins: Int = 16, searchPoints: Int = 20_000,
                allowedFeatures: Set<Int>? = nil, workBudget: Double = 1.5e9) {
        self.maxLeaves = min(max(maxLeaves, 1), 8)
        self.maxDepth = max(0, min(maxDepth ?? 3, 3, self.maxLeaves - 1))
        self.maxBins = min(max(maxBins, 2), 256)
        self.searchPoints = max(searchPoints, 1)
        self.allowedFeatures = allowedFeatures
        self.workBudget = workBudget
    }

    /// The tree for `classes` (one class index per row of `data`): `plan`'s splits, with every node's
    /// counts over all the rows.
    public func fit(_ data: Dataset, classes: [Int], classCount: Int, outputs: [String]) -> DecisionTree {
        precondition(classes.count == data.rows && data.rows > 0, "classes must match the data")
        return plan(data, classes: classes, classCount: classCount)
            .tree(schema: data.schema, outputs: outputs, data: data, classes: classes, classCount: classCount)
    }

    /// The rows the search reads: the first `searchPoints` of `rows`. The plan depends on these rows
    /// (their values and classes) alone.
    public func searchedRows(of rows: Int) -> Int { min(rows, searchPoints) }

    /// The optimal tree's splits, searched on `data`'s first `searchedRows` rows.
    func plan(_ data: Dataset, classes: [Int], classCount: Int) -> PlannedTree {
        let count = searchedRows(of: data.rows)
        let searched = data.rows == count ? data : data.subset(Array(0..<count))
        let searchedClasses = Array(classes.prefix(count))
        let features = (0..<data.schema.count).filter { allowedFeatures?.contains($0) ?? true }
        let (kept, bins) = maxDepth >= 3
            ? screened(searched, classes: searchedClasses, classCount: classCount, features: features)
            : (features, maxBins)
        guard !kept.isEmpty, let sample = BinnedSample(data: searched, classes: searchedClasses, classCount: classCount,
                                                        features: kept, maxBins: bins) else { return .leaf }
        let rows = Array(0..<Int32(sample.rows))
        return OptimalTreePlanner(sample: sample, schema: data.schema).plan(rows, depth: maxDepth, leaves: maxLeaves)
    }

    /// The features and bins a depth-3 search can afford within `workBudget`.
    func screened(_ data: Dataset, classes: [Int], classCount: Int, features: [Int]) -> ([Int], Int) {
        func cost(_ q: Int, _ bins: Int) -> Double {
            8 * pow(Double(q), 3) * pow(Double(bins), 3) * Double(classCount) + 2 * pow(Double(q), 3) * Double(data.rows)
        }
        var bins = maxBins
        while bins > 8, cost(features.count, bins) > workBudget { bins = max(8, bins * 3 / 4) }
        var q = features.count
        while q > 2, cost(q, bins) > workBudget { q -= 1 }
        guard q < features.count else { return (features, bins) }
        return (ranked(data, classes: classes, classCount: classCount, features: features).prefix(q).sorted(), bins)
    }

    /// Features in the order screening keeps them: those a CART tree of twice the leaves splits on (in
    /// node order), then the rest by the error of their best single split.
    func ranked(_ data: Dataset, classes: [Int], classCount: Int, features: [Int]) -> [Int] {
        let cart = TreeBuilder(settings: TreeSettings(maxLeaves: 2 * maxLeaves, allowedFeatures: Set(features)))
            .fit(data, target: .classes(classes, classCount: classCount), outputs: [])
        var order: [Int] = []
        for node in cart.nodes { if let feature = node.split?.feature, !order.contains(feature) { order.append(feature) } }
        let rest = features.filter { !order.contains($0) }
        guard !rest.isEmpty, let sample = BinnedSample(data: data, classes: classes, classCount: classCount,
                                                       features: rest, maxBins: maxBins) else { return order }
        let solver = DepthTwoSolver(sample: sample)
        let (histogram, totals) = sample.histogram(of: 0..<Int32(sample.rows))
        let errors = rest.indices.map { solver.singleSplit(histogram: histogram, totals: totals, positions: $0..<($0 + 1)).error }
        return order + rest.indices.sorted { errors[$0] != errors[$1] ? errors[$0] < errors[$1] : $0 < $1 }.map { rest[$0] }
    }
}
