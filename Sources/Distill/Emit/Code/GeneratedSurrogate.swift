/// How a generated tree walks its nodes.
public enum TreeLayout: String, CaseIterable, Sendable {
    /// Nested if/else, one branch per split (readable; the default).
    case nested
    /// Flat arrays of nodes and a loop (for very large trees).
    case table
}

/// What the code generators need: the tree, and the text that documents it.
public struct GeneratedSurrogate: Sendable {
    public var tree: DecisionTree
    public var modelName: String
    /// The rule listing, shown in the generated file's header comment.
    public var listing: String
    /// The distill command that produced the surrogate.
    public var command: String
    /// Type name override (`--type-name`); nil derives `<ModelName>Surrogate`.
    public var typeName: String?
    public var layout: TreeLayout

    public init(tree: DecisionTree, modelName: String, listing: String, command: String,
                typeName: String? = nil, layout: TreeLayout = .nested) {
        self.tree = tree
        self.modelName = modelName
        self.listing = listing
        self.command = command
        self.typeName = typeName
        self.layout = layout
    }

    /// Leaf ordinal (0, 1, ... in depth-first order) of every node; -1 for split nodes.
    var leafOrdinals: [Int] {
        var ordinals = [Int](repeating: -1, count: tree.nodes.count)
        var next = 0
        var stack = [0]
        while let index = stack.popLast() {
            let node = tree.nodes[index]
            if node.isLeaf {
                ordinals[index] = next
                next += 1
            } else {
                stack.append(node.right)
                stack.append(node.left)
            }
        }
        return ordinals
    }

    /// Leaf node indices in ordinal order.
    var leafNodes: [Int] {
        let ordinals = leafOrdinals
        return ordinals.indices.filter { ordinals[$0] >= 0 }.sorted { ordinals[$0] < ordinals[$1] }
    }

    /// A short description of a feature for documentation: kind, domain and unit.
    static func featureSummary(_ feature: Feature) -> String {
        var text: String
        switch feature.kind {
        case let .continuous(low, high):
            text = "continuous"
            if let low, let high { text += ", \(NumberText.shortest(low)) ... \(NumberText.shortest(high))" }
        case .binary: text = "binary, 0 or 1"
        case let .categorical(values): text = "categorical, one of \(values.count) values"
        }
        if let unit = feature.unit { text += ", unit: \(unit)" }
        return text
    }
}
