/// Renders an extraction as the readable rule listing of specs/rules-format.md: a commented header with the
/// model, surrogate size, held-out fidelity, accuracy and settings, then one aligned rule per line.
public enum RuleListing {
    /// The listing text, ending in a newline.
    ///
    /// - Parameters:
    ///   - extraction: the fitted surrogate and its measurements.
    ///   - command: the command (or program) shown in the header as what made the listing.
    ///   - naming: how the header names options (`Extraction.Options.settings`, the held-out share): by
    ///     their settings fields unless a front end names them its own way.
    /// - Returns: the header (model, surrogate size, fidelity, accuracy, where the rows came from,
    ///   settings) and one aligned rule per line, as specs/rules-format.md describes.
    public static func render(_ extraction: Extraction, command: String, naming: OptionNaming = .fields) -> String {
        switch extraction.surrogate {
        case let .tree(tree): return render(tree: tree, extraction, command: command, naming: naming)
        case let .rules(list): return render(list: list, extraction, command: command, naming: naming)
        case let .sum(sum): return render(sum: sum, extraction, command: command, naming: naming)
        }
    }

    private static func render(tree: DecisionTree, _ extraction: Extraction, command: String, naming: OptionNaming) -> String {
        let rules = TreeRules.rules(of: tree)
        let conditionCount = rules.reduce(0) { $0 + $1.conditions.count }
        let seed = extraction.options.data.seed
        let kind = extraction.fittedKind == .oracleTree ? "oracle-guided decision tree"
            : extraction.fittedKind == .optimalTree ? "optimal decision tree"
            : tree.termCount > 0 ? "decision tree with linear leaves" : "decision tree"
        var lines = ["# rules for \(extraction.network.name) · \(kind) surrogate · \(count(rules.count, "rule")), \(count(conditionCount, "condition")) · seed \(seed)"]
        lines += commonHeader(extraction, command: command, naming: naming)
        let conditionTexts = rules.map { rule in
            rule.conditions.isEmpty ? "TRUE" : rule.conditions.map { text($0, schema: tree.schema) }.joined(separator: " AND ")
        }
        let statistics = rules.map { rule in
            var text = "(coverage \(NumberText.percent(rule.coverage))"
            if let confidence = rule.confidence { text += ", confidence \(NumberText.percent(confidence))" }
            return text + ", \(count(rule.samples, "row")))"
        }
        lines += table(keywords: rules.map { _ in "IF" }, conditions: conditionTexts,
                       outcomes: rules.map { outcome($0, tree: tree) }, statistics: statistics)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header lines shared by every surrogate kind, after the first.
    static func commonHeader(_ extraction: Extraction, command: String, naming: OptionNaming) -> [String] {
        var selection: [String] = []
        if let chosen = extraction.selection {
            let cost = (chosen.allFeaturesFidelity - extraction.evaluation.fidelity) * 100
            let measure = extraction.network.task == .classification ? "fidelity" : "R²"
            selection.append("# features: \(chosen.kept.count) of \(chosen.kept.count + chosen.dropped.count) kept by permutation importance; dropped: \(chosen.dropped.isEmpty ? "none" : chosen.dropped.joined(separator: ", "))")
            selection.append("# with all features the held-out \(measure) is \(NumberText.percent(chosen.allFeaturesFidelity)); keeping these costs \(NumberText.trimmed(cost, decimals: 1)) points")
        }
        if let pruning = extraction.pruning {
            let measure = extraction.network.task == .classification ? NumberText.percent(pruning.fidelityToOriginal)
                : "R² " + NumberText.trimmed(pruning.fidelityToOriginal, decimals: 4)
            selection.append("# pruned first: \(pruning.hiddenBefore) -> \(pruning.hiddenAfter) hidden neurons, \(pruning.inputs) of \(pruning.originalInputs) inputs; held-out fidelity to the ORIGINAL network \(measure) (the line above: to the pruned one)")
        }
        if let contest = extraction.contest, let winner = contest.first {
            let others = contest.dropFirst().map { "\($0.name) \(measureText($0.fidelity, extraction))" }
            selection.append("# \(naming("kind")) best: \(winner.name) won with \(measureText(winner.fidelity, extraction)) on \(extraction.options.selectionPoints) points drawn apart from fitting" + (others.isEmpty ? "" : "; runner-up \(others[0])" + (others.count > 1 ? ", then \(others.dropFirst().joined(separator: ", "))" : "")))
        }
        return header(extraction) + selection + [
            "# fitted on \(naming.substitute(fittedRowsText(extraction)))\(drawnText(extraction)), labelled by the network",
            "# held out: \(naming.substitute(RowSourceText.render(extraction.data.testSource)))",
            "# settings: \(settingsText(extraction.options, naming: naming))",
            "# command: \(command)",
        ]
    }

    /// The fitting rows the surrogate was fitted on, and " (u of them, evenly spaced)" when it took fewer.
    static func fittedRowsText(_ extraction: Extraction) -> String {
        let source = RowSourceText.render(extraction.data.trainSource)
        let used = extraction.fittedRows
        return used > 0 && used < extraction.data.fittingRows ? "\(source) (\(used) of them, evenly spaced)" : source
    }

    /// " and N points drawn around them" when the fit topped the rows up with drawn points.
    static func drawnText(_ extraction: Extraction) -> String {
        let drawn = extraction.fittingPoints - max(extraction.fittedRows, 0)
        return drawn > 0 ? " and \(drawn) points drawn around them" : ""
    }

    /// A fidelity as the task reads it: a percentage, or R².
    static func measureText(_ fidelity: Double, _ extraction: Extraction) -> String {
        extraction.network.task == .classification ? NumberText.percent(fidelity) : "R² " + NumberText.trimmed(fidelity, decimals: 4)
    }

    /// Aligned rule lines: `R<n>  <keyword> <conditions>  THEN <outcome>  <statistics>`.
    static func table(keywords: [String], conditions: [String], outcomes: [String], statistics: [String]) -> [String] {
        let count = keywords.count
        let labelWidth = "R\(count)".count
        let left = zip(keywords, conditions).map { $1.isEmpty ? $0 : "\($0) \($1)" }
        let leftWidth = left.map(\.count).max() ?? 0
        let outcomeWidth = outcomes.map(\.count).max() ?? 0
        return (0..<count).map { index in
            "\(pad("R\(index + 1)", labelWidth))  \(pad(left[index], leftWidth))  THEN \(pad(outcomes[index], outcomeWidth))  \(statistics[index])"
        }
    }

    private static func header(_ extraction: Extraction) -> [String] {
        let evaluation = extraction.evaluation
        switch evaluation.task {
        case .classification:
            var lines = ["# held-out fidelity \(NumberText.percent(evaluation.fidelity)) (\(evaluation.agreeingRows ?? 0) of \(evaluation.heldoutRows) rows agree with the network)"]
            if let domain = evaluation.domain, let interval = domain.interval {
                lines.append("# domain fidelity \(NumberText.percent(domain.fidelity)) (95% interval \(NumberText.percent(interval.low))-\(NumberText.percent(interval.high)); \(domain.agreeing ?? 0) of \(domain.points) points drawn from the input distribution agree)")
            }
            if let network = evaluation.networkAccuracy, let surrogate = evaluation.surrogateAccuracy {
                lines.append("# held-out accuracy: network \(NumberText.percent(network)), surrogate \(NumberText.percent(surrogate))")
            }
            return lines
        case .regression:
            var lines = ["# held-out fidelity R² \(NumberText.trimmed(evaluation.fidelity, decimals: 4)) against the network (\(evaluation.heldoutRows) rows)"]
            if let domain = evaluation.domain {
                lines.append("# domain fidelity R² \(NumberText.trimmed(domain.fidelity, decimals: 4)) (\(domain.points) points drawn from the input distribution)")
            }
            if let network = evaluation.networkAccuracy, let surrogate = evaluation.surrogateAccuracy {
                lines.append("# held-out R² against the truth: network \(NumberText.trimmed(network, decimals: 4)), surrogate \(NumberText.trimmed(surrogate, decimals: 4))")
            }
            return lines
        }
    }

    /// The settings, each named by `naming` and followed by its value.
    static func settingsText(_ options: Extraction.Options, naming: OptionNaming) -> String {
        options.settings.map { setting in naming(setting.field) + (setting.value.map { " " + $0 } ?? "") }.joined(separator: " ")
    }

    /// A condition as text, e.g. `4.9 < petal length (cm) <= 6.2`, `island in {Biscoe, Dream}`.
    public static func text(_ condition: Condition, schema: FeatureSchema) -> String {
        let feature = schema.features[condition.feature]
        switch condition {
        case let .range(_, lower, upper):
            switch (lower, upper) {
            case let (low?, high?): return "\(NumberText.shortest(low)) < \(feature.name) <= \(NumberText.shortest(high))"
            case let (low?, nil): return "\(feature.name) > \(NumberText.shortest(low))"
            case let (nil, high?): return "\(feature.name) <= \(NumberText.shortest(high))"
            case (nil, nil): return "TRUE"
            }
        case let .equals(_, value):
            return "\(feature.name) = \(value)"
        case let .oneOf(_, categories):
            let names = categories.map { feature.categories![$0] }
            return names.count == 1 ? "\(feature.name) = \(names[0])" : "\(feature.name) in {\(names.joined(separator: ", "))}"
        }
    }

    private static func outcome(_ rule: Rule, tree: DecisionTree) -> String {
        if let predicted = rule.predictedClass { return tree.outputs[predicted] }
        let models = tree.nodes[rule.leaf].models
        if !models.isEmpty {
            // Exactly what the surrogate computes: the rounded intercept and coefficients, in raw units.
            return zip(tree.outputs, models).map { name, model in
                "\(name) = \(NumberText.shortest(model.intercept))" + termsText(model.terms, schema: tree.schema)
            }.joined(separator: ", ")
        }
        return zip(tree.outputs.indices, tree.outputs).map { index, name in
            "\(name) = \(NumberText.significant(rule.means[index])) (sd \(NumberText.significant(rule.deviations[index])))"
        }.joined(separator: ", ")
    }

    /// Linear terms as they add to what precedes them, exactly as computed: ` + 4.2 * bmi - 0.8 * age`.
    static func termsText(_ terms: [LinearTerm], schema: FeatureSchema) -> String {
        terms.map { term in
            "\(term.coefficient < 0 ? " -" : " +") \(NumberText.shortest(abs(term.coefficient))) * \(schema.features[term.feature].name)"
        }.joined()
    }

    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
