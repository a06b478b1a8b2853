/// The listing of a tree sum: the scores a row starts from, then each tree's rules (`T2.R3`: tree 2's
/// third rule), whose THEN is what that rule adds. Exactly one rule of each tree holds for a row.
extension RuleListing {
    static func render(sum: TreeSum, _ extraction: Extraction, command: String, naming: OptionNaming) -> String {
        let rules = sum.trees.map { TreeRules.rules(of: $0) }
        let ruleCount = rules.reduce(0) { $0 + $1.count }
        let conditionCount = rules.joined().reduce(0) { $0 + $1.conditions.count }
        var lines = ["# rules for \(extraction.network.name) · sum of \(sum.hasLinearStart ? "a linear start and " : "")\(count(sum.trees.count, "tree")) surrogate · "
            + "\(count(ruleCount, "rule")), \(count(conditionCount, "condition")) · seed \(extraction.options.data.seed)"]
        lines += commonHeader(extraction, command: command, naming: naming)
        lines.append("# " + startText(sum))
        var labels: [String] = [], left: [String] = [], outcomes: [String] = [], statistics: [String] = []
        for (number, treeRules) in rules.enumerated() {
            let tree = sum.trees[number]
            for (index, rule) in treeRules.enumerated() {
                labels.append("T\(number + 1).R\(index + 1)")
                let conditions = rule.conditions.map { text($0, schema: sum.schema) }.joined(separator: " AND ")
                left.append(conditions.isEmpty ? "IF TRUE" : "IF \(conditions)")
                outcomes.append(addition(tree.nodes[rule.leaf].value, sum: sum))
                statistics.append("(coverage \(NumberText.percent(rule.coverage)), \(count(rule.samples, "row")))")
            }
        }
        let labelWidth = labels.map(\.count).max() ?? 0, leftWidth = left.map(\.count).max() ?? 0
        let outcomeWidth = outcomes.map(\.count).max() ?? 0
        for index in labels.indices {
            lines.append("\(pad(labels[index], labelWidth))  \(pad(left[index], leftWidth))  THEN \(pad(outcomes[index], outcomeWidth))  \(statistics[index])")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How the scores start and what decides: `progression starts at 152.1; each tree adds the THEN of its
    /// one rule whose IF holds` (a linear start: `progression starts at 12.5 + 4.2 * bmi; ...`).
    private static func startText(_ sum: TreeSum) -> String {
        let adds = "each tree adds the THEN of its one rule whose IF holds"
        switch (sum.task, sum.scoreCount) {
        case (.regression, _):
            return zip(sum.outputs, sum.start).map { name, start in
                "\(name) starts at \(NumberText.significant(start.intercept))" + termsText(start.terms, schema: sum.schema)
            }.joined(separator: ", ") + "; \(adds)"
        case (.classification, 1):
            let second = sum.outputs.count > 1 ? sum.outputs[1] : ""
            return "score(\(second)) starts at \(NumberText.significant(sum.base[0])); \(adds); \(second) when the score is above 0.5, else \(sum.outputs[0])"
        case (.classification, _):
            return "scores start at " + zip(sum.outputs, sum.base).map { "\($0) \(NumberText.significant($1))" }.joined(separator: ", ")
                + "; \(adds); the highest score wins (the first listed on ties)"
        }
    }

    /// What a leaf adds: `progression +12.31`, `score(malignant) -0.2034`, `setosa +0.42, versicolor -0.21, ...`.
    private static func addition(_ value: [Double], sum: TreeSum) -> String {
        func signed(_ number: Double) -> String { (number < 0 ? "-" : "+") + NumberText.significant(abs(number)) }
        if sum.task == .classification, sum.scoreCount == 1 {
            return "score(\(sum.outputs.count > 1 ? sum.outputs[1] : "")) \(signed(value[0]))"
        }
        return zip(sum.outputs, value).map { "\($0) \(signed($1))" }.joined(separator: ", ")
    }
}
