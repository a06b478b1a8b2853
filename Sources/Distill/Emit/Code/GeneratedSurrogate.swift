/// How a generated tree walks its nodes.
public enum TreeLayout: String, CaseIterable, Sendable {
    /// Nested if/else, one branch per split (readable; the default).
    case nested
    /// Flat arrays of nodes and a loop (for very large trees).
    case table
}

/// What the code generators need: the surrogate, and the text that documents it.
public struct GeneratedSurrogate: Sendable {
    /// The tree or rule list the code computes.
    public var surrogate: Surrogate
    /// The network's name; the generated type is named after it unless `typeName` is set.
    public var modelName: String
    /// The rule listing, shown in the generated file's header comment.
    public var listing: String
    /// The distill command that produced the surrogate.
    public var command: String
    /// Type name override (`--type-name`); nil derives `<ModelName>Surrogate`.
    public var typeName: String?
    /// Tree layout (rule lists are always a chain of if statements).
    public var layout: TreeLayout

    /// Creates the input of the code generators; no type name override and nested trees by default.
    public init(surrogate: Surrogate, modelName: String, listing: String, command: String,
                typeName: String? = nil, layout: TreeLayout = .nested) {
        self.surrogate = surrogate
        self.modelName = modelName
        self.listing = listing
        self.command = command
        self.typeName = typeName
        self.layout = layout
    }

    /// The same for a tree surrogate.
    public init(tree: DecisionTree, modelName: String, listing: String, command: String,
                typeName: String? = nil, layout: TreeLayout = .nested) {
        self.init(surrogate: .tree(tree), modelName: modelName, listing: listing, command: command,
                  typeName: typeName, layout: layout)
    }

    var schema: FeatureSchema { surrogate.schema }
    var task: PredictionTask { surrogate.task }
    var outputs: [String] { surrogate.outputs }

    /// One line describing the surrogate's shape.
    var shapeDescription: String {
        switch surrogate {
        case let .tree(tree): return "Decision-tree surrogate of the network `\(modelName)`: \(tree.leafCount) leaves, depth \(tree.depth)."
        case let .rules(list):
            return "Rule-\(list.ordered ? "list" : "set") surrogate of the network `\(modelName)`: \(list.rules.count + 1) rules, \(list.conditionCount) conditions."
        case let .sum(sum):
            return "Tree-sum surrogate of the network `\(modelName)`: \(sum.hasLinearStart ? "a linear start (one leaf) and " : "")\(sum.trees.count) trees, \(sum.leafCount) leaves in all."
        }
    }

    /// Outcomes are what the generated walk returns: a tree's leaves in depth-first order, or a rule
    /// list's rules in stored order followed by the default. A tree sum has none of its own: each of its
    /// trees is walked (`trees`).
    var outcomeCount: Int {
        switch surrogate {
        case let .tree(tree): return tree.leafCount
        case let .rules(list): return list.rules.count + 1
        case .sum: return 0
        }
    }

    /// The predicted class of an outcome.
    func outcomeClass(_ outcome: Int) -> Int {
        switch surrogate {
        case let .tree(tree): return tree.predictedClass(leaf: leafNodes[outcome])
        case let .rules(list): return list.predictedClass(outcome: outcome)
        case .sum: return 0
        }
    }

    /// The class probabilities of an outcome.
    func outcomeProbabilities(_ outcome: Int) -> [Double] {
        switch surrogate {
        case let .tree(tree): return tree.probabilities(leaf: leafNodes[outcome])
        case let .rules(list): return list.probabilities(outcome: outcome)
        case .sum: return []
        }
    }

    /// A tree sum's trees, each as the input of the code generators (its walk and leaf ordinals).
    var trees: [GeneratedSurrogate] {
        guard case let .sum(sum) = surrogate else { return [] }
        return sum.trees.map { GeneratedSurrogate(tree: $0, modelName: modelName, listing: "", command: command, layout: layout) }
    }

    /// The regression outputs of an outcome (trees only): the leaf's means, or its models' intercepts.
    func outcomeValues(_ outcome: Int) -> [Double] {
        guard case let .tree(tree) = surrogate else { return [] }
        let node = tree.nodes[leafNodes[outcome]]
        return node.models.isEmpty ? node.value : node.models.map(\.intercept)
    }

    /// The linear terms of an outcome's models, per output (empty lists for a constant leaf).
    func outcomeTerms(_ outcome: Int) -> [[LinearTerm]] {
        guard case let .tree(tree) = surrogate else { return [] }
        let node = tree.nodes[leafNodes[outcome]]
        return node.models.isEmpty ? outputs.map { _ in [] } : node.models.map(\.terms)
    }

    /// Whether some leaf has a linear model (the generated code then adds the terms).
    var hasLinearLeaves: Bool {
        guard case let .tree(tree) = surrogate else { return false }
        return tree.termCount > 0
    }

    /// Whether the generated code multiplies and adds linear terms (linear leaves, a sum's linear start).
    var hasLinearTerms: Bool {
        if case let .sum(sum) = surrogate { return sum.hasLinearStart }
        return hasLinearLeaves
    }

    /// The outcome a raw row reaches in distill's own surrogate.
    func outcome(for row: UnsafeBufferPointer<Double>) -> Int {
        switch surrogate {
        case let .tree(tree): return leafOrdinals[tree.leaf(for: row)]
        case let .rules(list): return list.outcome(for: row, order: list.evaluationOrder)
        case .sum: return 0
        }
    }

    /// Leaf ordinal (0, 1, ... in depth-first order) of every tree node; -1 for split nodes.
    var leafOrdinals: [Int] {
        guard case let .tree(tree) = surrogate else { return [] }
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
