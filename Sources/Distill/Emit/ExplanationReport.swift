import Foundation

/// Renders a `RowExplanation`: a text report, the `--json` document, and an SVG chart of the three
/// attributions with signed bars (right: the feature raises the explained output; left: lowers it).
public enum ExplanationReport {
    /// The attributions by name, in the order they are shown.
    static func attributions(_ explanation: RowExplanation) -> [(key: String, title: String, values: [Double])] {
        [("shapley", explanation.shapley.exact ? "Shapley values (exact)" : "Shapley values (sampled)", explanation.shapley.values),
         ("integrated_gradients", "integrated gradients (from the background's mean)", explanation.integratedGradients),
         ("lrp", "LRP (epsilon)", explanation.lrp)]
    }

    static func value(_ value: Double, of feature: Feature) -> String { RawValueText.text(value, of: feature, digits: 6) }

    /// The rule line of the surrogate listing that decides the row.
    static func ruleLine(_ explanation: RowExplanation) -> String? {
        guard let extraction = explanation.surrogate, let name = explanation.ruleName else { return nil }
        return RuleListing.render(extraction, command: "distill explain").split(separator: "\n")
            .first { $0.hasPrefix("\(name) ") }.map { String($0) }
    }

    /// The text report: the row, the network's outputs, the attributions (features by decreasing |Shapley
    /// value|), and where present the surrogate's rule, the neuron groups and the nearest counterfactual.
    /// - Parameters:
    ///   - explanation: The explanation to render.
    ///   - command: The command line, quoted in the header.
    /// - Returns: The report, ending in a newline.
    public static func text(_ explanation: RowExplanation, command: String) -> String {
        let network = explanation.network, features = network.schema.features
        let explained = network.task == .classification ? "P(\(network.outputs[explanation.target]))" : network.outputs[explanation.target]
        var lines = ["# explanation of one row for \(network.name) · \(explained)", "# command: \(command)", "", "## row"]
        let nameWidth = max(7, features.map(\.name.count).max() ?? 0)
        for (feature, value) in zip(features, explanation.row) { lines.append(RuleListing.pad(feature.name, nameWidth) + "  " + Self.value(value, of: feature)) }
        lines += ["", "## network"]
        for (name, output) in zip(network.outputs, explanation.outputs) {
            lines.append(RuleListing.pad(name, nameWidth) + "  " + NumberText.significant(output, digits: 4))
        }
        let shapley = explanation.shapley
        lines += ["", "## attributions of \(explained) = \(NumberText.significant(shapley.prediction, digits: 4))",
                  "Shapley values add up to \(NumberText.significant(shapley.prediction, digits: 4)) - \(NumberText.significant(shapley.expected, digits: 4)) "
                  + "(the mean over \(explanation.backgroundRows) background \(explanation.backgroundSource))"]
        let columns = attributions(explanation)
        lines.append(RuleListing.pad("feature", nameWidth) + columns.map { "  " + RuleListing.pad($0.key, 22) }.joined())
        let order = features.indices.sorted { abs(shapley.values[$0]) > abs(shapley.values[$1]) || (abs(shapley.values[$0]) == abs(shapley.values[$1]) && $0 < $1) }
        for index in order {
            lines.append(RuleListing.pad(features[index].name, nameWidth)
                + columns.map { "  " + RuleListing.pad(NumberText.significant($0.values[index], digits: 4), 22) }.joined())
        }
        if let line = ruleLine(explanation), let extraction = explanation.surrogate {
            lines += ["", "## surrogate rule (held-out fidelity \(NumberText.percent(extraction.evaluation.fidelity)))", line]
            if let certification = explanation.certification {
                lines.append((certification.rowCertified ? "certified here: the row lies in a box where the network is proved to decide as the rule"
                    : "not certified here: the row lies in no box proved for the rule")
                    + " (the rule's certified share of mass: \(NumberText.percent(certification.ruleCertifiedMass)))")
            }
        }
        if let groups = explanation.groups, let row = explanation.groupAttribution {
            lines += ["", "## groups of hidden layer \(groups.ordinal): \(explained) attributed to \(groups.groups.count) groups of neurons",
                      "the layer's attribution (gradient x activation\(groups.shifted ? ", each unit shifted by its minimum" : "")) is "
                      + "\(NumberText.significant(row.layerAttribution, digits: 4)); the groups' add up to \(NumberText.significant(row.attributions.reduce(0, +), digits: 4))"]
            for (index, group) in groups.groups.enumerated() {
                lines.append(RuleListing.pad(group.name, nameWidth) + "  " + RuleListing.pad(NumberText.significant(row.attributions[index], digits: 4), 12)
                    + "  coefficient \(NumberText.significant(row.coefficients[index], digits: 4))  units "
                    + group.units.prefix(3).map { "N\(groups.ordinal).\($0.unit + 1)" }.joined(separator: ", "))
            }
        }
        if network.task == .classification {
            lines += ["", "## nearest counterfactual"]
            if let counterfactual = explanation.counterfactual {
                let decided = network.outputs[Agreement.argmax(counterfactual.outputs)]
                lines.append("the network decides \(decided) when (largest change \(NumberText.percent(counterfactual.distance)) of a feature's range):")
                for (index, feature) in features.enumerated() where counterfactual.inputs[index] != explanation.row[index] {
                    lines.append(RuleListing.pad(feature.name, nameWidth) + "  " + Self.value(explanation.row[index], of: feature)
                        + " -> " + Self.value(counterfactual.inputs[index], of: feature))
                }
            } else {
                lines.append("none found inside the domain (continuous features moved, categories kept)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `--json` document: the row, the network's outputs, the attributions and saliency keyed by feature
    /// name, and where present Shapley intervals (sampled values only), occlusion, rule, groups and counterfactual.
    /// - Parameter explanation: The explanation to render.
    /// - Returns: The JSON text.
    public static func json(_ explanation: RowExplanation) -> String {
        let network = explanation.network, features = network.schema.features
        func byFeature(_ values: [Double]) -> JSONOutput { .object(zip(features, values).map { ($0.name, .number($1)) }) }
        var members: [(String, JSONOutput)] = [
            ("model", .string(network.name)),
            ("row", RawValueText.json(explanation.row, schema: network.schema)),
            (network.task == .classification ? "probabilities" : "outputs", .object(zip(network.outputs, explanation.outputs).map { ($0, .number($1)) })),
            (network.task == .classification ? "class" : "output", .string(network.outputs[explanation.target])),
            ("expected", .number(explanation.shapley.expected)),
            ("background_rows", .int(explanation.backgroundRows)),
            ("shapley_method", .string(explanation.shapley.exact ? "exact" : "sampled")),
        ]
        for column in attributions(explanation) { members.append((column.key, byFeature(column.values))) }
        if !explanation.shapley.exact {
            let shapley = explanation.shapley
            members.append(("shapley_ci", .object(zip(features, zip(shapley.values, shapley.standardErrors)).map { feature, estimate in
                (feature.name, .array([.number(estimate.0 - 1.96 * estimate.1), .number(estimate.0 + 1.96 * estimate.1)]))
            })))
        }
        members.append(("saliency", byFeature(explanation.saliency)))
        if let occlusion = explanation.occlusion, let image = explanation.image {
            // Per pixel, keyed by the name of the pixel's (first channel's) input.
            members.append(("occlusion", .object(occlusion.enumerated().map { (features[image.feature(pixel: $0)].name, .number($1)) })))
        }
        if let line = ruleLine(explanation), let name = explanation.ruleName {
            var rule: [(String, JSONOutput)] = [("name", .string(name)), ("line", .string(line)),
                                                ("heldout_fidelity", .number(explanation.surrogate!.evaluation.fidelity))]
            if let certification = explanation.certification {
                rule += [("certified_here", .bool(certification.rowCertified)), ("certified_mass", .number(certification.ruleCertifiedMass))]
            }
            members.append(("rule", .object(rule)))
        }
        if let groups = explanation.groups, let row = explanation.groupAttribution {
            members.append(("groups", .object([
                ("layer", .int(groups.ordinal)), ("layer_attribution", .number(row.layerAttribution)),
                ("groups", .array(groups.groups.enumerated().map { index, group in
                    .object([("name", .string(group.name)), ("attribution", .number(row.attributions[index])),
                             ("coefficient", .number(row.coefficients[index])),
                             ("units", .array(group.units.map { .string("N\(groups.ordinal).\($0.unit + 1)") }))])
                })),
            ])))
        }
        if let counterfactual = explanation.counterfactual {
            members.append(("counterfactual", .object([
                ("inputs", RawValueText.json(counterfactual.inputs, schema: network.schema)),
                (network.task == .classification ? "probabilities" : "outputs", .object(zip(network.outputs, counterfactual.outputs).map { ($0, .number($1)) })),
                ("distance", .number(counterfactual.distance)),
            ])))
        } else if network.task == .classification {
            members.append(("counterfactual", .null))
        }
        return JSONOutput.object(members).render()
    }

    /// With an image: the row's pixels (grey, dark = high) and, beside them, its saliency (the gradient),
    /// gradient x input, Shapley values, integrated gradients and occlusion map per pixel (channels summed; blue raises the
    /// explained output, red lowers it, each map scaled to its own largest magnitude). Nil without an image.
    public static func pixelMaps(_ explanation: RowExplanation) -> String? {
        guard let image = explanation.image, let occlusion = explanation.occlusion else { return nil }
        let panels: [PixelMapSVG.Panel] = [
            .image(title: "input", values: explanation.row, range: nil),
            .signed(title: "saliency (gradient)", values: image.pixelSums(explanation.saliency)),
            .signed(title: "gradient x input", values: image.pixelSums(zip(explanation.saliency, explanation.row).map { $0 * $1 })),
            .signed(title: "Shapley values", values: image.pixelSums(explanation.shapley.values)),
            .signed(title: "integrated gradients", values: image.pixelSums(explanation.integratedGradients)),
            .signed(title: "occlusion", values: occlusion),
        ]
        let network = explanation.network
        let explained = network.task == .classification ? "P(\(network.outputs[explanation.target]))" : network.outputs[explanation.target]
        return PixelMapSVG.render(title: "Pixel maps of \(explained) = \(NumberText.significant(explanation.outputs[explanation.target], digits: 3)) for one row (blue raises it, red lowers it)",
                                  shape: image, panels: panels, columns: panels.count)
    }

    /// Signed horizontal bars, one panel per attribution, features in the order of |Shapley value|.
    public static func svg(_ explanation: RowExplanation) -> String {
        let features = explanation.network.schema.features
        let shapley = explanation.shapley.values
        let order = features.indices.sorted { abs(shapley[$0]) > abs(shapley[$1]) || (abs(shapley[$0]) == abs(shapley[$1]) && $0 < $1) }
        let labelWidth = min(320, 7 * (features.map(\.name.count).max() ?? 10) + 16)
        let half = 180, rowHeight = 18, width = labelWidth + 2 * half + 60, axis = labelWidth + half + 10
        var y = 36
        var body = ["<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(SVGBarChart.escape("Attributions of one row"))</text>"]
        for column in attributions(explanation) {
            body.append("<text x=\"12\" y=\"\(y + 14)\" font-size=\"13\" font-weight=\"bold\">\(SVGBarChart.escape(column.title))</text>")
            y += 22
            let top = column.values.map(abs).max() ?? 0
            let scale = top > 0 ? Double(half) / top : 0
            body.append("<line x1=\"\(axis)\" y1=\"\(y)\" x2=\"\(axis)\" y2=\"\(y + rowHeight * order.count)\" stroke=\"#888\"/>")
            for index in order {
                let value = column.values[index], length = abs(value) * scale
                let x = value >= 0 ? Double(axis) : Double(axis) - length
                body.append("<text x=\"\(labelWidth - 6)\" y=\"\(y + 13)\" font-size=\"11\" text-anchor=\"end\">\(SVGBarChart.escape(features[index].name))</text>")
                body.append("<rect x=\"\(SVGBarChart.format(x))\" y=\"\(y + 3)\" width=\"\(SVGBarChart.format(length))\" height=\"\(rowHeight - 6)\" fill=\"\(value >= 0 ? "#4a7fb5" : "#c0504d")\"/>")
                y += rowHeight
            }
            y += 10
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(y + 8)\" viewBox=\"0 0 \(width) \(y + 8)\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body.joined(separator: "\n") + "\n</svg>\n"
    }
}
