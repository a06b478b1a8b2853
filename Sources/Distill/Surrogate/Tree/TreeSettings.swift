/// Stopping rules for growing a CART tree.
public struct TreeSettings: Equatable, Sendable {
    /// Deepest level a node may be at (the root is level 0); nil for no limit.
    public var maxDepth: Int?
    /// Most leaves; when set, the tree grows best-first (largest impurity decrease next); nil for no limit.
    public var maxLeaves: Int?
    /// Fewest training rows in a leaf.
    public var minSamplesLeaf: Int
    /// Features splits may use (all when nil).
    public var allowedFeatures: Set<Int>?

    public init(maxDepth: Int? = nil, maxLeaves: Int? = nil, minSamplesLeaf: Int = 1, allowedFeatures: Set<Int>? = nil) {
        self.maxDepth = maxDepth
        self.maxLeaves = maxLeaves
        self.minSamplesLeaf = max(1, minSamplesLeaf)
        self.allowedFeatures = allowedFeatures
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

/// The best split found for a node.
struct SplitCandidate {
    var feature: Int
    var test: SplitTest
    /// sum cL²/nL + sum cR²/nR (Gini) or sum sL²/nL + sum sR²/nR (variance): larger is better.
    var proxy: Double
}
