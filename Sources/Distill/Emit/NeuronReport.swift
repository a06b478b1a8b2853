import Foundation

/// Renders `distill neurons`: per hidden neuron a block of text, and the `--json` document.
public enum NeuronReport {
    static func condition(_ tests: [RuleTest], schema: FeatureSchema) -> String {
        tests.isEmpty ? "never (no test agrees better than 'never active')"
            : RuleTest.conditions(tests, schema: schema).map { RuleListing.text($0, schema: schema) }.joined(separator: " AND ")
    }

    static func inputs(_ values: [Double], schema: FeatureSchema) -> [(String, String)] {
        zip(schema.features, values).map { feature, value in
            (feature.name, feature.categories.map { $0[Int(value)] } ?? NumberText.significant(value, digits: 4))
        }
    }

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

    public static func json(_ profiles: [NeuronProfile], network: Network) -> String {
        let schema = network.schema
        func raw(_ values: [Double]) -> JSONOutput {
            .object(zip(schema.features, values).map { feature, value in (feature.name, feature.categories.map { .string($0[Int(value)]) } ?? .number(value)) })
        }
        let neurons: [JSONOutput] = profiles.map { profile in
            .object([
                ("name", .string(profile.name)), ("layer", .int(profile.layer)), ("unit", .int(profile.unit)),
                ("mean", .number(profile.mean)), ("sd", .number(profile.standardDeviation)),
                ("min", .number(profile.minimum)), ("max", .number(profile.maximum)),
                ("threshold", .number(profile.threshold)), ("active_share", .number(profile.activeShare)),
                ("rule", .string(condition(profile.rule, schema: schema))), ("rule_agreement", .number(profile.ruleAgreement)),
                ("strongest_inputs", .array(profile.strongestInputs.map { .object([("feature", .string(schema.features[$0.feature].name)), ("score", .number($0.score))]) })),
                ("most_active_rows", .array(profile.mostActive.map { .object([("row", .int($0.row + 1)), ("activation", .number($0.activation))]) })),
                ("least_active_rows", .array(profile.leastActive.map { .object([("row", .int($0.row + 1)), ("activation", .number($0.activation))]) })),
                ("maximised", .object([("activation", .number(profile.maximised.activation)), ("inputs", raw(profile.maximised.inputs))])),
            ])
        }
        return JSONOutput.object([("model", .string(network.name)), ("neurons", .array(neurons))]).render()
    }
}
