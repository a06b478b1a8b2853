/// How certification results are shown: a note after each rule of the listing and a header line, and the
/// members of the JSON result (`rules`, `certified_mass`, `seconds`, ...; specs/rules-format.md).
public enum CertificationText {
    /// `listing` with a header line on the certification and, after each rule's line, what was proved.
    public static func annotate(_ listing: String, with result: RuleCertifier.Result, naming: OptionNaming = .fields) -> String {
        var lines = listing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let firstRule = lines.firstIndex { $0.hasPrefix("R1 ") } ?? lines.count
        lines.insert("# certified: " + summary(result), at: firstRule)
        if let first = result.refinement.first, let last = result.refinement.last {
            let kept = result.refinement.last { $0.kept } ?? first
            let refits = result.refinement.count - 1, keptRefits = result.refinement.dropFirst().filter(\.kept).count
            func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
            var line = "# refined (\(naming("refine"))): "
            if keptRefits == 0 {
                line += "no refit certified more than the surrogate as fitted (\(NumberText.percent(first.certifiedMass))), which is kept"
            } else {
                line += "certified \(NumberText.percent(first.certifiedMass)) as fitted, \(NumberText.percent(kept.certifiedMass)) after "
                    + "\(count(keptRefits, "refit")) with \(count(kept.counterexamples, "counterexample")) added to the fitting points"
            }
            if !last.kept, refits > 0 {
                line += "; the last refit (\(count(last.counterexamples, "counterexample"))) certified \(NumberText.percent(last.certifiedMass)) and was dropped"
            }
            lines.insert(line, at: firstRule + 1)
        }
        for rule in result.rules {
            guard let index = lines.firstIndex(where: { $0.hasPrefix("\(rule.region.name) ") }) else { continue }
            lines[index] += "  · " + note(rule)
        }
        return lines.joined(separator: "\n")
    }

    /// The overall figures: `81.6% of the mass proved to agree with the network (…); 89.3% of the held-out
    /// rows lie in certified boxes`.
    static func summary(_ result: RuleCertifier.Result) -> String {
        var text = "\(NumberText.percent(result.certifiedMass)) of the mass proved to agree with the network "
            + "(\(result.boxes) boxes bounded around \(result.points) drawn points; mass measured on "
            + "\(result.rules.reduce(0) { $0 + $1.points }) other points drawn from the input distribution)"
        if let tolerance = result.tolerance { text += "; an output holds within \(NumberText.shortest(tolerance)) of its rule's value" }
        if let held = result.heldOutCertified { text += "; \(NumberText.percent(held)) of the held-out rows lie in certified boxes" }
        if result.timedOut { text += "; the time limit ended the search, so the figures depend on the machine" }
        return text
    }

    /// `certified 92.3% of its mass, 1 counterexample` (and the refuted share when there is one).
    static func note(_ rule: RuleCertifier.RuleResult) -> String {
        guard rule.points > 0 else { return "no drawn points in its region" }
        var text = "certified \(NumberText.percent(rule.certifiedMass)) of its mass"
        if rule.refutedMass > 0 { text += ", refuted \(NumberText.percent(rule.refutedMass))" }
        let count = rule.counterexamples.count
        if count > 0 { text += ", \(count) counterexample\(count == 1 ? "" : "s")" }
        return text
    }

    /// The JSON members of a certification (added to the extraction's result).
    static func members(_ result: RuleCertifier.Result, network: Network) -> [(String, JSONOutput)] {
        let schema = network.schema
        let rules: [JSONOutput] = result.rules.map { rule in
            var members: [(String, JSONOutput)] = [("rule", .string(rule.region.name))]
            if let predicted = rule.region.predictedClass {
                members.append(("class", .string(network.outputs[predicted])))
            } else {
                members.append(("output", .array(rule.region.values.map { .number($0) })))
            }
            members += [
                ("box", box(rule.region.box, schema: schema)),
                ("points", .int(rule.points)),
                ("certified_mass", .number(rule.certifiedMass)),
                ("refuted_mass", .number(rule.refutedMass)),
                ("undecided_mass", .number(rule.undecidedMass)),
                ("certified_boxes", .array(rule.certifiedBoxes.map { box($0, schema: schema) })),
                ("counterexamples", .array(rule.counterexamples.map { example in
                    .object([
                        ("inputs", RawValueText.json(example.inputs, schema: schema)),
                        (network.task == .classification ? "probabilities" : "outputs",
                         .object(zip(network.outputs, example.outputs).map { ($0, .number($1)) })),
                    ])
                })),
            ]
            return .object(members)
        }
        var members: [(String, JSONOutput)] = [
            ("rules", .array(rules)), ("certified_mass", .number(result.certifiedMass)),
            ("heldout_certified", result.heldOutCertified.map { .number($0) } ?? .null), ("boxes", .int(result.boxes)),
            ("drawn_points", .int(result.points)),
            ("tolerance", result.tolerance.map { .number($0) } ?? .null),
            ("timed_out", .bool(result.timedOut)), ("seconds", .number(result.seconds)),
        ]
        if !result.refinement.isEmpty {
            members.append(("refinement", .array(result.refinement.map { step in
                .object([("counterexamples", .int(step.counterexamples)), ("certified_mass", .number(step.certifiedMass)),
                         ("kept", .bool(step.kept))])
            })))
        }
        return members
    }

    /// A box as feature name -> {"min", "max"} or {"categories"}.
    static func box(_ box: RawBox, schema: FeatureSchema) -> JSONOutput {
        .object(schema.features.enumerated().map { index, feature in
            if let categories = feature.categories, let mask = box.allowed[index] {
                return (feature.name, .object([("categories", .array(categories.indices.filter { mask[$0] }.map { .string(categories[$0]) }))]))
            }
            return (feature.name, .object([("min", .number(box.lower[index])), ("max", .number(box.upper[index]))]))
        })
    }
}
