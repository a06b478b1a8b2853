/// Settings of the rule-list learners.
public struct RuleListSettings: Hashable, Sendable {
    /// Decision list (true) or unordered set with highest-confidence conflict resolution (false).
    public var ordered: Bool
    /// Most rules, counting the default rule.
    public var maxRules: Int?
    /// Most conditions in the whole list.
    public var maxConditions: Int?

    /// Creates settings; by default an ordered decision list with no caps.
    public init(ordered: Bool = true, maxRules: Int? = nil, maxConditions: Int? = nil) {
        self.ordered = ordered
        self.maxRules = maxRules
        self.maxConditions = maxConditions
    }
}

/// Turns a decision tree into a compact rule list, as C4.5rules does: every leaf becomes a rule; each rule
/// loses, one at a time, the test whose removal gives the lowest pessimistic error rate on the fitting
/// rows, for as long as that rate does not rise; then the rules are ordered greedily into a decision list
/// (each step the rule with the lowest pessimistic error on the rows still undecided), rules that no
/// longer add agreement are dropped, and the majority of the rows left becomes the default.
///
/// The list must not imitate the network worse than the tree did: if it agrees with the network on
/// fewer fitting rows than the tree, tests are dropped only where that adds no error, and failing that the
/// tree's own leaves are listed (all but the default class's, which the default rule takes), which makes
/// exactly the tree's decisions.
public enum TreeRuleSimplifier {
    /// How far rules are generalised.
    enum Generalization: CaseIterable {
        /// C4.5rules: while the pessimistic error rate does not rise.
        case pessimistic
        /// Only tests whose removal adds no wrongly covered row.
        case errorFree
        /// None: the leaves as they are.
        case none
    }

    /// Turns a classification tree into a rule list.
    /// - Parameters:
    ///   - tree: The tree, fitted to `labels`.
    ///   - data: The fitting rows (raw values).
    ///   - labels: The network's class for each row.
    ///   - settings: Ordering and caps. With `maxRules` or `maxConditions` set, the C4.5rules list is returned
    ///     even when it agrees with `labels` on fewer rows than the tree.
    /// - Returns: The rule list.
    public static func simplify(_ tree: DecisionTree, data: Dataset, labels: [Int],
                                settings: RuleListSettings) -> RuleList {
        let fit = RuleFitData(data: data, labels: labels, classCount: tree.outputs.count)
        let treeAgreement = Agreement.matches(tree.predictClasses(raw: data.values, rows: data.rows), labels)
        let leafRules = tree.paths().map { path in
            ListRule(tests: RuleTest.simplified(path.steps.map { step -> RuleTest in
                let split = tree.nodes[step.node].split!
                switch split.test {
                case let .threshold(threshold):
                    return step.left ? .atMost(feature: split.feature, threshold: threshold)
                        : .above(feature: split.feature, threshold: threshold)
                case let .categories(left):
                    return .inCategories(feature: split.feature, categories: step.left ? left : left.map { !$0 })
                }
            }), prediction: tree.predictedClass(leaf: path.leaf), counts: tree.nodes[path.leaf].value)
        }
        for level in [Generalization.pessimistic, .errorFree] {
            let list = build(leafRules, level: level, tree: tree, fit: fit, settings: settings)
            if fit.agreement(list).agreeing >= treeAgreement || settings.maxRules != nil || settings.maxConditions != nil {
                return list
            }
        }
        // The leaves themselves: the default takes the class with the most fitting rows in its leaves.
        var rowsPerClass = [Double](repeating: 0, count: tree.outputs.count)
        for rule in leafRules { rowsPerClass[rule.prediction] += rule.counts.reduce(0, +) }
        let defaultClass = Agreement.argmax(rowsPerClass)
        let list = RuleList(schema: tree.schema, outputs: tree.outputs,
                            rules: leafRules.filter { $0.prediction != defaultClass && !$0.tests.isEmpty }
                                .map { ListRule(tests: $0.tests, prediction: $0.prediction) },
                            defaultClass: defaultClass, ordered: settings.ordered)
        var result = list
        result.recount(raw: data.values, rows: data.rows, labels: labels)
        return result
    }

    private static func build(_ leafRules: [ListRule], level: Generalization, tree: DecisionTree, fit: RuleFitData,
                              settings: RuleListSettings) -> RuleList {
        var candidates: [ListRule] = []
        for leaf in leafRules {
            let rule = generalized(ListRule(tests: leaf.tests, prediction: leaf.prediction), fit: fit, errorFree: level == .errorFree)
            if !rule.tests.isEmpty, !candidates.contains(rule) { candidates.append(rule) }
        }
        var list = RuleList(schema: tree.schema, outputs: tree.outputs, rules: [],
                            defaultClass: RuleFitData.majority(fit.classCounts), ordered: settings.ordered)
        list.rules = settings.ordered ? ordered(candidates, fit: fit) : candidates
        if !settings.ordered { list = fit.finished(list) }
        list = fit.pruned(list)
        list = fit.capped(list, maxRules: settings.maxRules, maxConditions: settings.maxConditions)
        return fit.finished(list)
    }

    /// Drops tests while the pessimistic error rate of the rule does not rise (`errorFree`: only tests
    /// whose removal covers no further wrongly labelled row).
    static func generalized(_ rule: ListRule, fit: RuleFitData, errorFree: Bool = false) -> ListRule {
        var tests = rule.tests
        let prediction = rule.prediction
        while !tests.isEmpty {
            var covered = 0, errors = 0
            var droppedCovered = [Int](repeating: 0, count: tests.count)
            var droppedErrors = [Int](repeating: 0, count: tests.count)
            fit.forEachRow { row, values in
                var failed = -1
                for (index, test) in tests.enumerated() where !test.passes(values[test.feature]) {
                    if failed >= 0 { return }
                    failed = index
                }
                let wrong = fit.labels[row] != prediction ? 1 : 0
                if failed < 0 {
                    covered += 1
                    errors += wrong
                } else {
                    droppedCovered[failed] += 1
                    droppedErrors[failed] += wrong
                }
            }
            let current = PessimisticError.rate(cases: covered, errors: errors)
            var best: (index: Int, rate: Double)?
            for index in tests.indices where !errorFree || droppedErrors[index] == 0 {
                let rate = PessimisticError.rate(cases: covered + droppedCovered[index], errors: errors + droppedErrors[index])
                if best == nil || rate < best!.rate { best = (index, rate) }
            }
            guard let best, best.rate <= current else { break }
            tests.remove(at: best.index)
        }
        return ListRule(tests: tests, prediction: prediction)
    }

    /// Greedy ordering: each step appends the candidate with the lowest pessimistic error rate on the
    /// rows not yet decided, while it makes fewer errors there than the majority class would.
    static func ordered(_ candidates: [ListRule], fit: RuleFitData) -> [ListRule] {
        var undecided = RowSet.all(rows: fit.rows)
        var remaining = candidates.map { (rule: $0, covered: fit.coverage($0.tests)) }
        var result: [ListRule] = []
        while !remaining.isEmpty {
            let majority = fit.classSets[RuleFitData.majority(fit.classSets.map(undecided.intersectionCount))]
            var best: (index: Int, rate: Double, covered: Int)?
            for (index, (rule, coverage)) in remaining.enumerated() {
                let open = coverage & undecided
                let covered = open.count
                guard covered > 0 else { continue }
                let correct = open.intersectionCount(fit.classSets[rule.prediction])
                guard correct > open.intersectionCount(majority) else { continue }
                let rate = PessimisticError.rate(cases: covered, errors: covered - correct)
                if best == nil || rate < best!.rate || (rate == best!.rate && covered > best!.covered) {
                    best = (index, rate, covered)
                }
            }
            guard let chosen = best else { break }
            let (rule, coverage) = remaining.remove(at: chosen.index)
            result.append(rule)
            undecided = undecided - coverage
        }
        return result
    }
}
