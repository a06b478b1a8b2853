import Foundation

/// Renders `distill neurons`: per hidden neuron a block of text, and the `--json` document.
public enum NeuronReport {
    static func condition(_ tests: [RuleTest], schema: FeatureSchema) -> String {
        tests.isEmpty ? "never (no test agrees better than 'never active')"
            : RuleTest.conditions(tests, schema: schema).map { RuleListing.text($0, schema: schema) }.joined(separator: " AND ")
    }

    static func inputs(_ values: [Double], schema: FeatureSchema) -> [(String, String)] {
        zip(schema.features, values).map { feature, value in
            (feature.name, RawValueText.text(value, of: feature, digits: 4))
        }
    }

    /// The neurons as text: a header, then per neuron its statistics, rule, strongest inputs, most and least
    /// active rows (1-based) and the input found to maximise it.
    /// - Parameters:
    ///   - profiles: The neurons to show, in order.
    ///   - network: The network they belong to (its name and schema).
    ///   - rows: Rows the profiles were measured on, shown in the header.
    ///   - source: Where the rows came from, shown in the header.
    ///   - command: The command line, quoted in the header.
    /// - Returns: The report, ending in a newline.
    public static func text(_ profiles: [NeuronProfile], network: Network, rows: Int, source: String, command: String) -> String {
        let schema = network.schema
        var lines = ["# neurons of \(network.name) · \(profiles.count) neurons · \(rows) rows (\(source))", "# command: \(command)"]
        for profile in profiles {
            let share = NumberText.percent(profile.activeShare)
            let active = profile.threshold == 0 ? "active (> 0) on \(share)" : "above its median \(NumberText.significant(profile.threshold, digits: 4)) on \(share)"
            lines += ["", "## \(profile.name)  mean \(NumberText.significant(profile.mean, digits: 4))  sd \(NumberText.significant(profile.standardDeviation, digits: 4))"
                + "  range [\(NumberText.significant(profile.minimum, digits: 4)), \(NumberText.significant(profile.maximum, digits: 4))]  \(active) of the rows"]
            lines.append("\(profile.name) is active when \(condition(profile.rule, schema: schema)) (agreement \(NumberText.percent(profile.ruleAgreement)))")
            lines.append("strongest inputs: " + profile.strongestInputs.map { "\(schema.features[$0.feature].name) \(NumberText.significant($0.score, digits: 3))" }.joined(separator: ", "))
            lines.append("most active rows: " + profile.mostActive.map { "\($0.row + 1) (\(NumberText.significant($0.activation, digits: 3)))" }.joined(separator: ", "))
            lines.append("least active rows: " + profile.leastActive.map { "\($0.row + 1) (\(NumberText.significant($0.activation, digits: 3)))" }.joined(separator: ", "))
            lines.append("maximised inside the data's box: \(NumberText.significant(profile.maximised.activation, digits: 4)) at "
                + inputs(profile.maximised.inputs, schema: schema).map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The groups of one layer as text.
    public static func text(_ groups: NeuronGroups, network: Network) -> String {
        let schema = network.schema
        var lines = ["", "## groups of hidden layer \(groups.ordinal): non-negative factorisation of \(groups.rows) rows' activations"
            + (groups.shifted ? " (each unit shifted by its minimum to be non-negative)" : "")]
        lines.append("attribution of the decision at this layer to the groups: their sum is off the layer's by \(NumberText.percent(groups.attributionGap)) (the factorisation's error)")
        lines.append("explained variance: " + groups.explained.enumerated().map { "\($0.offset + 1) \($0.offset == 0 ? "group" : "groups") \(NumberText.percent($0.element))" }.joined(separator: ", "))
        for group in groups.groups {
            lines += ["", "### \(group.name)  units " + group.units.map { "N\(groups.ordinal).\($0.unit + 1) (\(NumberText.percent($0.weight)))" }.joined(separator: ", ")
                + "  mean \(NumberText.significant(group.mean, digits: 4))  \(NumberText.percent(group.attributionShare)) of the attribution"]
            lines.append("\(group.name) is above its median when \(condition(group.rule, schema: schema)) (agreement \(NumberText.percent(group.ruleAgreement)))")
            lines.append("strongest inputs: " + group.strongestInputs.map { "\(schema.features[$0.feature].name) \(NumberText.significant($0.score, digits: 3))" }.joined(separator: ", "))
            lines.append("strongest rows: " + group.mostActive.map { "\($0.row + 1) (\(NumberText.significant($0.activation, digits: 3)))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ groups: NeuronGroups, network: Network) -> JSONOutput {
        let schema = network.schema
        return .object([
            ("layer", .int(groups.ordinal)), ("shifted", .bool(groups.shifted)), ("rows", .int(groups.rows)),
            ("explained_variance", .array(groups.explained.map { .number($0) })), ("attribution_gap", .number(groups.attributionGap)),
            ("groups", .array(groups.groups.map { group in
                .object([
                    ("name", .string(group.name)),
                    ("units", .array(group.units.map { .object([("name", .string("N\(groups.ordinal).\($0.unit + 1)")), ("weight", .number($0.weight))]) })),
                    ("mean", .number(group.mean)), ("attribution_share", .number(group.attributionShare)),
                    ("rule", .string(condition(group.rule, schema: schema))), ("rule_agreement", .number(group.ruleAgreement)),
                    ("strongest_inputs", .array(group.strongestInputs.map { .object([("feature", .string(schema.features[$0.feature].name)), ("score", .number($0.score))]) })),
                    ("most_active_rows", .array(group.mostActive.map { .object([("row", .int($0.row + 1)), ("activation", .number($0.activation))]) })),
                ])
            })),
        ])
    }

    /// The `--json` document: the model's name, one object per neuron (rows and units 1-based) and, when
    /// any are given, the groups.
    /// - Parameters:
    ///   - profiles: The neurons to include, in order.
    ///   - network: The network they belong to (its name and schema).
    ///   - groups: Neuron groups of hidden layers; none by default, and then the `groups` member is left out.
    /// - Returns: The JSON text.
    public static func json(_ profiles: [NeuronProfile], network: Network, groups: [NeuronGroups] = []) -> String {
        let schema = network.schema
        let neurons: [JSONOutput] = profiles.map { profile in
            .object([
                ("name", .string(profile.name)), ("layer", .int(profile.ordinal)), ("unit", .int(profile.unit + 1)),
                ("mean", .number(profile.mean)), ("sd", .number(profile.standardDeviation)),
                ("min", .number(profile.minimum)), ("max_activation_data", .number(profile.maximum)),
                ("max_activation_found", .number(profile.maximised.activation)), ("maximizing_input", RawValueText.json(profile.maximised.inputs, schema: schema)),
                ("threshold", .number(profile.threshold)), ("active_share", .number(profile.activeShare)),
                ("rule", .string(condition(profile.rule, schema: schema))), ("rule_agreement", .number(profile.ruleAgreement)),
                ("strongest_inputs", .array(profile.strongestInputs.map { .object([("feature", .string(schema.features[$0.feature].name)), ("score", .number($0.score))]) })),
                ("top_rows", .array(profile.mostActive.map { .object([("row", .int($0.row + 1)), ("activation", .number($0.activation))]) })),
                ("bottom_rows", .array(profile.leastActive.map { .object([("row", .int($0.row + 1)), ("activation", .number($0.activation))]) })),
            ])
        }
        var members: [(String, JSONOutput)] = [("model", .string(network.name)), ("neurons", .array(neurons))]
        if !groups.isEmpty { members.append(("groups", .array(groups.map { json($0, network: network) }))) }
        return JSONOutput.object(members).render()
    }
}
