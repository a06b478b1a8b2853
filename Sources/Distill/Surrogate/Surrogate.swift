/// Which learner produces the surrogate.
public enum SurrogateKind: String, CaseIterable, Sendable {
    /// A CART decision tree.
    case tree
    /// A rule list simplified from the tree (C4.5rules).
    case rules
    /// A RIPPER rule list.
    case ripper
    /// A decision list chosen by search from the conjunctions of trees and C4.5rules (`RuleListSearch`).
    case ruleSearch = "rule-search"
    /// A decision tree grown with the network as an oracle (TREPAN-style).
    case oracleTree = "oracle-tree"
    /// The tree of depth at most 3 and at most 8 leaves with the fewest errors on the fitting points
    /// (`OptimalTreeSearch`); for more leaves, that tree topped onto CART subtrees and pruned by fidelity.
    case optimalTree = "optimal-tree"
    /// A sum of small trees grown together (FIGS, `TreeSumBuilder`): each tree adds the value of the leaf a
    /// row reaches.
    case treeSum = "tree-sum"
    /// The most faithful of the others at the size asked for, judged on points drawn apart from fitting.
    case best
}

/// A fitted surrogate: a decision tree, a rule list or a sum of trees.
public enum Surrogate: Equatable, Sendable {
    case tree(DecisionTree)
    case rules(RuleList)
    case sum(TreeSum)

    /// The tree's task; a rule list always classifies.
    public var task: PredictionTask {
        switch self {
        case let .tree(tree): return tree.task
        case .rules: return .classification
        case let .sum(sum): return sum.task
        }
    }

    /// The raw features the surrogate reads.
    public var schema: FeatureSchema {
        switch self {
        case let .tree(tree): return tree.schema
        case let .rules(list): return list.schema
        case let .sum(sum): return sum.schema
        }
    }

    /// Class names or output names, as in the network.
    public var outputs: [String] {
        switch self {
        case let .tree(tree): return tree.outputs
        case let .rules(list): return list.outputs
        case let .sum(sum): return sum.outputs
        }
    }

    /// Predicted class per row (classification).
    public func predictClasses(raw: [Double], rows: Int) -> [Int] {
        switch self {
        case let .tree(tree): return tree.predictClasses(raw: raw, rows: rows)
        case let .rules(list): return list.predictClasses(raw: raw, rows: rows)
        case let .sum(sum): return sum.predictClasses(raw: raw, rows: rows)
        }
    }

    /// Predicted outputs per row, row-major (regression values; class probabilities for classifiers).
    public func predictValues(raw: [Double], rows: Int) -> [Double] {
        switch self {
        case let .tree(tree): return tree.predictValues(raw: raw, rows: rows)
        case let .rules(list): return list.outcomes(raw: raw, rows: rows).flatMap(list.probabilities(outcome:))
        case let .sum(sum): return sum.predictValues(raw: raw, rows: rows)
        }
    }

    /// How big a surrogate is, as a reader counts it.
    public struct Size: Equatable, Sendable {
        /// Leaves of a tree (of all the trees of a sum); nil for a rule list.
        public var leaves: Int?
        /// Rules as listed (a rule list counts its default rule).
        public var rules: Int
        /// Conditions over all the listed rules.
        public var conditions: Int
    }

    /// Size figures: leaves (trees), rules (rule lists count the default rule) and display conditions.
    ///
    /// - Complexity: O(leaves × depth) for a tree (its rules are listed), O(1) for a rule list.
    public var size: Size {
        switch self {
        case let .tree(tree):
            let rules = TreeRules.rules(of: tree)
            return Size(leaves: tree.leafCount, rules: rules.count, conditions: rules.reduce(0) { $0 + $1.conditions.count })
        case let .rules(list):
            return Size(leaves: nil, rules: list.rules.count + 1, conditions: list.conditionCount)
        case let .sum(sum):
            let rules = sum.trees.flatMap { TreeRules.rules(of: $0) }
            return Size(leaves: sum.leafCount, rules: rules.count, conditions: rules.reduce(0) { $0 + $1.conditions.count })
        }
    }
}
