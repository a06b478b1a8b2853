/// A surrogate's rules as the listing numbers them (R1, R2, ...), each with the box of its conditions
/// clipped to the domain and what it predicts; and, for any raw row, which listed rule decides it. A rule
/// of a decision list decides only where no earlier rule does, a subset of its box: a claim proved for
/// the box holds for the rule.
public struct ListedRegion: Equatable, Sendable {
    /// The rule's name in the listing ("R3").
    public var name: String
    /// The box of the rule's conditions, clipped to the domain.
    public var box: RawBox
    /// Classification: the predicted class.
    public var predictedClass: Int?
    /// Regression: the predicted value of each output.
    public var values: [Double]
}

extension ListedRegion {
    /// The listed rules of a surrogate, and which of them decides each of some rows.
    public struct Assignment: Sendable {
        /// The rules' regions in listing order.
        public var regions: [ListedRegion]
        /// Per row, the index in `regions` of the rule that decides it.
        public var deciders: [Int]
    }

    /// The listed rules of `surrogate` within `domain`, and the listed rule deciding each of `rows` raw rows.
    /// Nil for surrogates whose rules predict no constant (trees with linear leaves), and for tree sums,
    /// whose rules each add to a score rather than decide.
    ///
    /// - Complexity: O(rows × depth) for a tree, O(rows × rules) for a rule list.
    public static func regions(of surrogate: Surrogate, domain: RawBox, rows: [Double]) -> Assignment? {
        let width = surrogate.schema.count
        let count = width == 0 ? 0 : rows.count / width
        switch surrogate {
        case let .tree(tree):
            guard tree.termCount == 0 else { return nil }
            let rules = TreeRules.rules(of: tree)
            var ruleOfLeaf: [Int: Int] = [:]
            for (index, rule) in rules.enumerated() { ruleOfLeaf[rule.leaf] = index }
            let regions = rules.enumerated().map { index, rule in
                ListedRegion(name: "R\(index + 1)", box: domain.narrowed(by: rule.conditions), predictedClass: rule.predictedClass,
                             values: rule.means)
            }
            let deciders = tree.leaves(raw: rows, rows: count).map { ruleOfLeaf[$0]! }
            return Assignment(regions: regions, deciders: deciders)
        case let .rules(list):
            let order = list.evaluationOrder + [list.rules.count]
            var position = [Int](repeating: 0, count: order.count)
            for (index, outcome) in order.enumerated() { position[outcome] = index }
            let regions = order.enumerated().map { index, outcome in
                let conditions = outcome < list.rules.count ? RuleTest.conditions(list.rules[outcome].tests, schema: list.schema) : []
                return ListedRegion(name: "R\(index + 1)", box: domain.narrowed(by: conditions),
                                    predictedClass: list.predictedClass(outcome: outcome), values: [])
            }
            let deciders = list.outcomes(raw: rows, rows: count).map { position[$0] }
            return Assignment(regions: regions, deciders: deciders)
        case .sum:
            return nil
        }
    }
}
