/// How a tree node sends a row to its children.
public enum SplitTest: Equatable, Sendable {
    /// `x[feature] <= threshold` goes left (continuous and binary features); NaN goes right.
    case threshold(Double)
    /// `x[feature]` in the set goes left (categorical features; `left[c]` for category index c).
    case categories(left: [Bool])

    /// Whether a raw value goes to the left child.
    @inline(__always)
    public func goesLeft(_ value: Double) -> Bool {
        switch self {
        case let .threshold(threshold): return value <= threshold
        case let .categories(left):
            // Only an exact category index can go left; anything else (NaN, 1.5, out of range) goes right,
            // as in the generated code.
            guard let index = Int(exactly: value), index >= 0, index < left.count else { return false }
            return left[index]
        }
    }
}

/// One node of a fitted tree. Leaves have no split.
public struct TreeNode: Equatable, Sendable {
    /// The test of an inner node: which feature it reads, and which values go left.
    public struct Split: Equatable, Sendable {
        /// Index of the raw feature read.
        public var feature: Int
        /// Which values of the feature go left.
        public var test: SplitTest

        /// Creates a split on `feature` with `test`.
        public init(feature: Int, test: SplitTest) {
            self.feature = feature
            self.test = test
        }
    }

    /// Feature index and test, nil for a leaf.
    public var split: Split?
    /// Index in `DecisionTree.nodes` of the left child (-1 for a leaf).
    public var left: Int
    /// Index in `DecisionTree.nodes` of the right child (-1 for a leaf).
    public var right: Int
    /// Training rows that reached the node.
    public var samples: Int
    /// Class counts (classification) or per-output means (regression) of the training rows.
    public var value: [Double]
    /// Per-output standard deviation of the training targets (regression), else empty.
    public var spread: [Double]
    /// Edges from the root (the root has depth 0).
    public var depth: Int
    /// Regression leaves with linear models: one per output (`value` then stays the fitting mean, for
    /// the listing's statistics); empty for a leaf that predicts `value`.
    public var models: [LeafModel] = []

    /// Whether the node is a leaf (has no split).
    public var isLeaf: Bool { split == nil }

    /// Whether two nodes have equal splits, children, statistics, depth and leaf models.
    public static func == (lhs: TreeNode, rhs: TreeNode) -> Bool {
        lhs.split?.feature == rhs.split?.feature && lhs.split?.test == rhs.split?.test && lhs.left == rhs.left
            && lhs.right == rhs.right && lhs.samples == rhs.samples && lhs.value == rhs.value
            && lhs.spread == rhs.spread && lhs.depth == rhs.depth && lhs.models == rhs.models
    }
}

/// A fitted decision tree over raw features: a flat array of nodes, root first.
public struct DecisionTree: Equatable, Sendable {
    /// Whether the tree predicts classes or values.
    public var task: PredictionTask
    /// The raw features the splits read.
    public var schema: FeatureSchema
    /// Class names or output names, as in the network.
    public var outputs: [String]
    /// The nodes, root at index 0; children are referred to by index.
    public var nodes: [TreeNode]

    /// Creates a tree from its nodes, stored as given (not checked).
    public init(task: PredictionTask, schema: FeatureSchema, outputs: [String], nodes: [TreeNode]) {
        self.task = task
        self.schema = schema
        self.outputs = outputs
        self.nodes = nodes
    }

    /// Number of leaves.
    public var leafCount: Int { nodes.reduce(0) { $0 + ($1.isLeaf ? 1 : 0) } }

    /// Depth of the deepest leaf (a lone root has depth 0).
    public var depth: Int { nodes.map(\.depth).max() ?? 0 }

    /// Index of the leaf that a raw row (one value per feature) reaches.
    @inline(__always)
    public func leaf(for row: UnsafeBufferPointer<Double>) -> Int {
        var index = 0
        while let split = nodes[index].split {
            index = split.test.goesLeft(row[split.feature]) ? nodes[index].left : nodes[index].right
        }
        return index
    }

    /// Leaf index reached by every row of a row-major raw matrix.
    public func leaves(raw: [Double], rows: Int) -> [Int] {
        let width = schema.count
        return raw.withUnsafeBufferPointer { buffer in
            (0..<rows).map { row in
                leaf(for: UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
            }
        }
    }

    /// The predicted class of a leaf (its most frequent class, the first one on ties).
    public func predictedClass(leaf: Int) -> Int { Agreement.argmax(nodes[leaf].value) }

    /// Class probabilities of a leaf (its class shares).
    public func probabilities(leaf: Int) -> [Double] {
        let counts = nodes[leaf].value
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? $0 / total : 1 / Double(counts.count) }
    }

    /// Predicted class per row (classification).
    public func predictClasses(raw: [Double], rows: Int) -> [Int] {
        leaves(raw: raw, rows: rows).map(predictedClass(leaf:))
    }

    /// Predicted outputs per row, row-major (regression: leaf means or leaf models; classification:
    /// probabilities).
    public func predictValues(raw: [Double], rows: Int) -> [Double] {
        let width = schema.count
        return raw.withUnsafeBufferPointer { buffer in
            (0..<rows).flatMap { row -> [Double] in
                let point = UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
                let reached = leaf(for: point)
                guard task == .regression else { return probabilities(leaf: reached) }
                return values(of: reached, at: point)
            }
        }
    }

    /// A regression node's outputs for a raw row: its models' values, or its means.
    @inline(__always)
    public func values(of node: Int, at row: UnsafeBufferPointer<Double>) -> [Double] {
        let models = nodes[node].models
        return models.isEmpty ? nodes[node].value : models.map { $0.value(row) }
    }

    /// Terms of the leaves' linear models (0 for constant leaves).
    public var termCount: Int {
        nodes.reduce(0) { $0 + ($1.isLeaf ? $1.models.reduce(0) { $0 + $1.terms.count } : 0) }
    }

    /// One step of a path: the inner node passed, and whether the path went left there.
    public struct Step: Equatable, Sendable {
        /// Index of the inner node in `nodes`.
        public var node: Int
        /// Whether the path went to the left child.
        public var left: Bool
    }

    /// The way from the root to one leaf.
    public struct Path: Equatable, Sendable {
        /// Index of the leaf in `nodes`.
        public var leaf: Int
        /// The inner nodes passed, root first.
        public var steps: [Step]
    }

    /// The path from the root to every leaf, leaves in depth-first order, left before right.
    ///
    /// - Complexity: O(leaves × depth).
    public func paths() -> [Path] {
        var result: [Path] = []
        var stack = [Path(leaf: 0, steps: [])]
        while let path = stack.popLast() {
            let node = nodes[path.leaf]
            if node.isLeaf {
                result.append(path)
            } else {
                stack.append(Path(leaf: node.right, steps: path.steps + [Step(node: path.leaf, left: false)]))
                stack.append(Path(leaf: node.left, steps: path.steps + [Step(node: path.leaf, left: true)]))
            }
        }
        return result
    }
}
