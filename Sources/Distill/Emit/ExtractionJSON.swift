/// The machine-readable result of an extraction (`--json`): fidelity, accuracy, size, held-out rows, seed.
public enum ExtractionJSON {
    /// The document; `timing` adds `fit_seconds` (which varies from run to run, so it is off by default).
    /// `certification`: the rules' certification, whose members are added (`CertificationText`).
    public static func render(_ extraction: Extraction, timing: Bool = false, certification: RuleCertifier.Result? = nil) -> String {
        let evaluation = extraction.evaluation
        let size = extraction.surrogate.size
        var members: [(String, JSONOutput)] = [
            ("model", .string(extraction.network.name)),
            ("task", .string(extraction.network.task.rawValue)),
            ("surrogate", .string(extraction.options.kind.rawValue)),
            ("fitted", .string(extraction.fittedKind.rawValue)),
            ("fidelity", .number(evaluation.fidelity)),
        ]
        if let agreeing = evaluation.agreeingRows { members.append(("agreeing_rows", .int(agreeing))) }
        if let domain = evaluation.domain {
            var fields: [(String, JSONOutput)] = [("fidelity", .number(domain.fidelity)), ("points", .int(domain.points))]
            if let agreeing = domain.agreeing { fields.append(("agreeing", .int(agreeing))) }
            if let interval = domain.interval {
                fields.append(("interval", .array([.number(interval.low), .number(interval.high)])))
            }
            members.append(("domain", .object(fields)))
        }
        if let contest = extraction.contest {
            members.append(("contest", .array(contest.map { entry in
                .object([("surrogate", .string(entry.name)), ("selection_fidelity", .number(entry.fidelity))])
            })))
        }
        if let network = evaluation.networkAccuracy, let surrogate = evaluation.surrogateAccuracy {
            members.append(("accuracy", .object([("network", .number(network)), ("surrogate", .number(surrogate))])))
        }
        var sizeMembers: [(String, JSONOutput)] = [
            ("leaves", size.leaves.map { .int($0) } ?? .null),
            ("rules", .int(size.rules)),
            ("conditions", .int(size.conditions)),
        ]
        if case let .tree(tree) = extraction.surrogate {
            sizeMembers.append(("depth", .int(tree.depth)))
            if tree.task == .regression { sizeMembers.append(("terms", .int(tree.termCount))) }
        }
        if case let .sum(sum) = extraction.surrogate, sum.task == .regression { sizeMembers.append(("terms", .int(sum.terms.joined().count))) }
        if case let .rules(list) = extraction.surrogate { sizeMembers.append(("ordered", .bool(list.ordered))) }
        members.append(("size", .object(sizeMembers)))
        if timing { members.append(("fit_seconds", .number(extraction.fitSeconds))) }
        if let chosen = extraction.selection {
            members.append(("features", .object([
                ("kept", .array(chosen.kept.map { .string($0) })),
                ("dropped", .array(chosen.dropped.map { .string($0) })),
                ("all_features_fidelity", .number(chosen.allFeaturesFidelity)),
            ])))
        }
        if let pruning = extraction.pruning {
            members.append(("pruning", .object([
                ("hidden_neurons_before", .int(pruning.hiddenBefore)), ("hidden_neurons_after", .int(pruning.hiddenAfter)),
                ("inputs_kept", .int(pruning.inputs)), ("fidelity_to_original", .number(pruning.fidelityToOriginal)),
            ])))
        }
        members.append(("heldout_rows", .int(evaluation.heldoutRows)))
        members.append(("train_rows", .int(extraction.fittedRows)))
        members.append(("fitting_points", .int(extraction.fittingPoints)))
        if let distribution = extraction.inputDistribution { members.append(("kernel_scale", .number(distribution.kernelScale))) }
        members.append(("seed", .literal(String(extraction.options.data.seed))))
        members.append(("settings", .object(settings(extraction.options.scaledPoints(inputs: extraction.network.schema.count)))))
        if let certification { members += CertificationText.members(certification, network: extraction.network) }
        return JSONOutput.object(members).render()
    }

    /// The settings that shaped this kind of surrogate.
    static func settings(_ options: Extraction.Options) -> [(String, JSONOutput)] {
        var members: [(String, JSONOutput)] = []
        if options.kind != .ripper {
            let tree = options.tree
            members += [
                ("max_depth", tree.maxDepth.map { .int($0) } ?? .null),
                ("max_leaves", tree.maxLeaves.map { .int($0) } ?? .null),
                ("min_samples_leaf", .int(tree.minSamplesLeaf)),
                ("merge_redundant_leaves", .bool(options.mergeRedundantLeaves)),
            ]
        }
        if options.kind == .oracleTree {
            members += [("min_oracle_samples", .int(options.minOracleSamples)), ("lookahead", .bool(options.lookahead)),
                        ("oracle_sampler", .string(options.sampler.rawValue))]
        }
        if [.rules, .ripper, .ruleSearch].contains(options.kind) {
            let rules = options.rules
            members += [
                ("ordered", .bool(rules.ordered)),
                ("max_rules", rules.maxRules.map { .int($0) } ?? .null),
                ("max_conditions", rules.maxConditions.map { .int($0) } ?? .null),
            ]
        }
        if case let .linear(terms) = options.leaves { members += [("leaf_model", .string("linear")), ("max_terms", .int(terms))] }
        members += [("oracle_points", .int(options.oraclePoints)), ("rule_points", .int(options.rulePoints)), ("validation_points", .int(options.validationPoints)),
                    ("domain_points", .int(options.domainPoints))]
        if options.kind == .best { members.append(("selection_points", .int(options.selectionPoints))) }
        members.append(("test_fraction", options.data.testPath == nil ? .number(options.data.testFraction) : .null))
        return members
    }
}
