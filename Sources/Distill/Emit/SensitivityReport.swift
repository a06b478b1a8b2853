/// Renders a sensitivity analysis: a ranked text table per method, the `--json` document of the contract
/// (`{"methods": {"<method>": [{"feature", "value", "ci"}]}}`, each list by decreasing value) and CSV.
public enum SensitivityReport {
    /// The analysis as text: one ranked table per method (the 95% interval of every method but permutation
    /// importance, the spread where there is one), the Sobol' convergence table when present, and the notes.
    /// - Parameters:
    ///   - analysis: The analysis to render.
    ///   - modelName: The model's name, shown in the header.
    ///   - command: The command line, quoted in the header.
    ///   - naming: How option names are shown in the sample line; `OptionNaming.fields` by default.
    /// - Returns: The report, ending in a newline.
    public static func text(_ analysis: SensitivityAnalysis, modelName: String, command: String,
                            naming: OptionNaming = .fields) -> String {
        var lines = ["# sensitivity of \(modelName) · \(analysis.target) · \(analysis.rows) rows · \(analysis.rankings.count) rankings"]
        if let sample = sampleText(analysis, naming: naming) { lines.append("# \(sample)") }
        lines.append("# command: \(command)")
        let nameWidth = max(7, analysis.featureNames.map(\.count).max() ?? 0)
        for ranking in analysis.rankings {
            let (method, scores) = (ranking.method, ranking.scores)
            lines.append("")
            lines.append("## \(method)")
            for (rank, score) in scores.enumerated() {
                var line = RuleListing.pad("\(rank + 1).", 4) + RuleListing.pad(score.feature, nameWidth) + "  " + NumberText.significant(score.value, digits: 4)
                if let interval = score.interval {
                    line += "  [\(NumberText.significant(interval.low, digits: 3)), \(NumberText.significant(interval.high, digits: 3))]"
                }
                if let spread = score.spread {
                    line += method == "morris_mu_star" ? "  sigma \(NumberText.significant(spread, digits: 3))" : "  sd \(NumberText.significant(spread, digits: 3))"
                }
                lines.append(line)
            }
        }
        if !analysis.convergence.isEmpty {
            lines.append("")
            lines.append("## sobol convergence (N/4, N/2, N)")
            lines.append(RuleListing.pad("feature", nameWidth + 4) + analysis.convergence.map { "  S1 @\($0.samples)   ST @\($0.samples)" }.joined())
            for (index, name) in analysis.featureNames.enumerated() {
                let cells = analysis.convergence.map { "  " + RuleListing.pad(NumberText.significant($0.first[index], digits: 3), 9) + RuleListing.pad(NumberText.significant($0.total[index], digits: 3), 9) }
                lines.append(RuleListing.pad(name, nameWidth + 4) + cells.joined())
            }
        }
        if !analysis.notes.isEmpty {
            lines.append("")
            lines += analysis.notes.map { "# note: " + SensitivityNoteText.render($0) }
        }
        return lines.map { $0.replacingTrailingSpaces() }.joined(separator: "\n") + "\n"
    }

    /// Which rows the per-row methods explained, when a sample: "per-row methods over 2000 of 30000 rows
    /// (a seeded sample, seed 1; explainRows 2000)". Nil when they explained every row.
    public static func sampleText(_ analysis: SensitivityAnalysis, naming: OptionNaming = .fields) -> String? {
        guard analysis.explainedRows < analysis.rows else { return nil }
        return "per-row methods (gradients, integrated gradients, LRP, permutation) over \(analysis.explainedRows) of "
            + "\(analysis.rows) rows (a seeded sample, seed \(analysis.seed); \(naming("explainRows")) \(analysis.explainedRows)); "
            + "the means of gradients, integrated gradients and LRP have 95% intervals"
    }

    /// The `--json` document: target, rows, the rankings by method, the notes, the hidden neurons' statistics
    /// and, for an image, the occlusion map keyed by input name.
    /// - Parameter analysis: The analysis to render.
    /// - Returns: The JSON text.
    public static func json(_ analysis: SensitivityAnalysis) -> String {
        let methods: [(String, JSONOutput)] = analysis.rankings.map { ranking in
            let (method, scores) = (ranking.method, ranking.scores)
            return (method, JSONOutput.array(scores.map { score -> JSONOutput in
                var members: [(String, JSONOutput)] = [("feature", .string(score.feature)), ("value", .number(score.value))]
                if let interval = score.interval {
                    members.append(("ci", .array([.number(interval.low), .number(interval.high)])))
                }
                if let spread = score.spread { members.append((method == "morris_mu_star" ? "sigma" : "sd", .number(spread))) }
                return .object(members)
            }))
        }
        let neurons: [JSONOutput] = analysis.neurons.neurons.map { neuron in
            .object([("layer", .int(neuron.layer)), ("unit", .int(neuron.unit)), ("mean", .number(neuron.mean)),
                     ("variance", .number(neuron.variance)), ("active_share", .number(neuron.activeShare)),
                     ("contribution", .number(neuron.contribution))])
        }
        var members: [(String, JSONOutput)] = [
            ("target", .string(analysis.target)),
            ("rows", .int(analysis.rows)),
            ("explained_rows", .int(analysis.explainedRows)),
            ("methods", .object(methods)),
            ("notes", .array(analysis.notes.map { .string(SensitivityNoteText.render($0)) })),
            ("neurons", .array(neurons)),
        ]
        if let maps = analysis.imageMaps {
            // Per pixel, keyed by the name of the pixel's (first channel's) input.
            members.append(("occlusion", .object(maps.occlusion.enumerated().map {
                (analysis.featureNames[maps.shape.feature(pixel: $0)], .number($1))
            })))
        }
        return JSONOutput.object(members).render()
    }

    /// For a model with an image: the mean row and, per method that ranks features, its scores over the
    /// pixels (channels summed), then the occlusion map. Nil without an image.
    public static func pixelMaps(_ analysis: SensitivityAnalysis) -> String? {
        guard let maps = analysis.imageMaps else { return nil }
        var panels: [PixelMapSVG.Panel] = [.image(title: "mean input", values: maps.meanRow, range: nil)]
        let index = Dictionary(uniqueKeysWithValues: analysis.featureNames.enumerated().map { ($1, $0) })
        for ranking in analysis.rankings {
            let (method, scores) = (ranking.method, ranking.scores)
            var values = [Double](repeating: 0, count: analysis.featureNames.count)
            for score in scores { values[index[score.feature]!] = score.value }
            panels.append(.signed(title: method, values: maps.shape.pixelSums(values)))
        }
        panels.append(.signed(title: "occlusion", values: maps.occlusion))
        return PixelMapSVG.render(title: "Sensitivity of \(analysis.target) over the image (\(analysis.rows) rows; mean magnitudes, darker is stronger)", shape: maps.shape, panels: panels)
    }

    /// The rankings as CSV, one line per method and rank; the interval columns hold the 95% interval of every
    /// method that has one (empty for permutation importance, whose spread is a standard deviation, and Morris).
    /// - Parameter analysis: The analysis to render.
    /// - Returns: The CSV text with a header line, each line ending in a newline.
    public static func csv(_ analysis: SensitivityAnalysis) -> String {
        var text = "method,rank,feature,value,ci_low,ci_high\n"
        for ranking in analysis.rankings {
            let (method, scores) = (ranking.method, ranking.scores)
            for (rank, score) in scores.enumerated() {
                let interval = score.interval
                text += [method, String(rank + 1), CSVField.escape(score.feature), NumberText.roundTrip(score.value),
                         interval.map { NumberText.roundTrip($0.low) } ?? "", interval.map { NumberText.roundTrip($0.high) } ?? ""]
                    .joined(separator: ",") + "\n"
            }
        }
        return text
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
