/// The listing of rule-list surrogates: a decision list (IF ... ELSE IF ... ELSE) or a rule set
/// (IF ... each, OTHERWISE), with per-rule coverage and confidence on the fitting rows and fidelity on
/// the held-out rows it decides.
extension RuleListing {
    static func render(list: RuleList, _ extraction: Extraction, command: String, naming: OptionNaming) -> String {
        let seed = extraction.options.data.seed
        let ruleCount = list.rules.count + 1
        let conditions = list.conditionCount
        let kind = extraction.fittedKind == .ripper ? "RIPPER"
            : extraction.fittedKind == .ruleSearch ? "searched from tree conjunctions" : "from a decision tree"
        let shape = list.ordered ? "rule list" : "rule set"
        let mean = NumberText.trimmed(Double(conditions) / Double(ruleCount), decimals: 2)
        var lines = ["# rules for \(extraction.network.name) · \(shape) surrogate (\(kind)) · \(count(ruleCount, "rule")), \(count(conditions, "condition")) (\(mean) per rule) · seed \(seed)"]
        lines += commonHeader(extraction, command: command, naming: naming)
        if !list.ordered {
            lines.append("# when several rules apply, the most confident wins (rules are listed in that order); OTHERWISE takes the rest")
        }
        let order = list.evaluationOrder + [list.rules.count]
        let fitted = list.rules.map { $0.counts.reduce(0, +) } + [list.defaultCounts.reduce(0, +)]
        let fittingRows = Double(max(extraction.fittingPoints, extraction.data.train.rows))
        let held = heldOut(list, extraction)
        var keywords: [String] = [], texts: [String] = [], outcomes: [String] = [], statistics: [String] = []
        for (position, outcome) in order.enumerated() {
            let isDefault = outcome == list.rules.count
            if isDefault {
                keywords.append(list.ordered ? "ELSE" : "OTHERWISE")
                texts.append("")
            } else {
                keywords.append(list.ordered && position > 0 ? "ELSE IF" : "IF")
                texts.append(RuleTest.conditions(list.rules[outcome].tests, schema: list.schema)
                    .map { text($0, schema: list.schema) }.joined(separator: " AND "))
            }
            outcomes.append(list.outputs[list.predictedClass(outcome: outcome)])
            let shares = list.probabilities(outcome: outcome)
            let rows = Int(fitted[outcome])
            var stat = "(coverage \(NumberText.percent(fittingRows > 0 ? Double(rows) / fittingRows : 0))"
            stat += rows > 0 ? ", confidence \(NumberText.percent(shares[list.predictedClass(outcome: outcome)])), \(count(rows, "row"))"
                : ", no fitting rows"
            let (decided, agreeing) = held[outcome]
            stat += decided > 0 ? "; held-out fidelity \(NumberText.percent(Double(agreeing) / Double(decided))) of \(decided))" : "; no held-out rows)"
            statistics.append(stat)
        }
        lines += table(keywords: keywords, conditions: texts, outcomes: outcomes, statistics: statistics)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per outcome: held-out rows it decides and how many of them agree with the network.
    private static func heldOut(_ list: RuleList, _ extraction: Extraction) -> [(Int, Int)] {
        var result = [(Int, Int)](repeating: (0, 0), count: list.rules.count + 1)
        guard let network = extraction.evaluation.networkClasses else { return result }
        let test = extraction.data.test
        for (row, outcome) in list.outcomes(raw: test.values, rows: test.rows).enumerated() {
            result[outcome].0 += 1
            if list.predictedClass(outcome: outcome) == network[row] { result[outcome].1 += 1 }
        }
        return result
    }
}
