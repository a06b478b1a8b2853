/// The pruning report: per layer, neurons and parameters before and after; removals by kind; inputs kept;
/// held-out agreement with the original and accuracy before and after.
public enum PruningReport {
    /// The report as text: a header with the budget and seed, a table of dense layers (the original with
    /// normalisation folded in, `Pruning.folded`) and one line per summary figure.
    /// - Parameter pruning: The pruning to report.
    /// - Returns: The report, ending in a newline.
    public static func text(_ pruning: Pruning) -> String {
        let before = pruning.folded.denseLayers, after = pruning.pruned.denseLayers
        var lines = ["# pruning \(pruning.original.name) · budget \(NumberText.trimmed(pruning.settings.maxFidelityLoss * 100, decimals: 2)) points\(pruning.settings.fineTune ? " · fine-tuned" : "") · seed \(pruning.settings.seed)"]
        lines.append("layer    neurons before  neurons after  parameters before  parameters after")
        for index in before.indices {
            let b = before[index], a = index < after.count ? after[index] : b
            let name = index == before.count - 1 ? "\(index + 1) (out)" : "\(index + 1)"
            lines.append(RuleListing.pad(name, 9) + RuleListing.pad(String(b.units), 16) + RuleListing.pad(String(a.units), 15)
                         + RuleListing.pad(String(b.weights.count + b.bias.count), 19) + String(a.weights.count + a.bias.count))
        }
        let hiddenBefore = before.dropLast().reduce(0) { $0 + $1.units }, hiddenAfter = after.dropLast().reduce(0) { $0 + $1.units }
        let removed = hiddenBefore - hiddenAfter
        lines.append("hidden neurons: \(hiddenBefore) -> \(hiddenAfter) (\(NumberText.percent(hiddenBefore > 0 ? Double(removed) / Double(hiddenBefore) : 0)) removed: \(pruning.log.dead) dead, \(pruning.log.constant) constant, \(pruning.log.lowContribution) low contribution)")
        lines.append("parameters: \(pruning.original.parameterCount) -> \(pruning.pruned.parameterCount)")
        let kept = pruning.pruned.schema.count, total = pruning.original.schema.count
        lines.append("inputs kept: \(kept) of \(total)" + (pruning.log.inputsDropped.isEmpty ? "" : " (dropped: \(pruning.log.inputsDropped.joined(separator: ", ")))"))
        if let image = pruning.original.image, pruning.pruned.image == nil {
            lines.append("image: the \(image.height) x \(image.width) pixel grid is no longer declared (pixels were dropped)")
        }
        if let agreeing = pruning.agreeingRows {
            lines.append("held-out agreement with the original: \(NumberText.percent(pruning.heldoutAgreement)) (\(agreeing) of \(pruning.data.test.rows) rows), max |probability difference| \(NumberText.significant(pruning.maxDifference, digits: 3))")
        } else {
            lines.append("held-out R² against the original: \(NumberText.trimmed(pruning.heldoutAgreement, decimals: 4)), max |output difference| \(NumberText.significant(pruning.maxDifference, digits: 3))")
        }
        if pruning.settings.fineTune {
            lines.append("fine-tuning: \(pruning.log.distillations) distillation runs (at most \(PruningSettings.maximumDistillations); one per round of removals that broke the budget as it stood)")
        }
        if let before = pruning.accuracyBefore, let after = pruning.accuracyAfter {
            lines.append("held-out accuracy: original \(NumberText.percent(before)), pruned \(NumberText.percent(after))")
        }
        lines.append((pruning.original.task == .classification ? "agreement" : "fit") + " on \(pruning.settings.checkSamples + pruning.data.train.rows) check points (the fitting rows, and draws at \(NumberText.trimmed(pruning.log.spread, decimals: 2))x the kernel bandwidth, as far out as new rows): \(pruning.original.task == .classification ? NumberText.percent(pruning.log.checkFidelity) : "R² " + NumberText.trimmed(pruning.log.checkFidelity, decimals: 4))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as the `--json` document: per dense layer neurons and parameters before and after, removals
    /// by kind, inputs kept and dropped, agreement figures, accuracy when known, and the seed.
    /// - Parameter pruning: The pruning to report.
    /// - Returns: The JSON text.
    public static func json(_ pruning: Pruning) -> String {
        let before = pruning.folded.denseLayers, after = pruning.pruned.denseLayers
        let layers: [JSONOutput] = before.indices.map { index in
            let a = index < after.count ? after[index] : before[index]
            return .object([("neurons_before", .int(before[index].units)), ("neurons_after", .int(a.units)),
                            ("parameters_before", .int(before[index].weights.count + before[index].bias.count)),
                            ("parameters_after", .int(a.weights.count + a.bias.count))])
        }
        var members: [(String, JSONOutput)] = [
            ("layers", .array(layers)),
            ("hidden_neurons_before", .int(before.dropLast().reduce(0) { $0 + $1.units })),
            ("hidden_neurons_after", .int(after.dropLast().reduce(0) { $0 + $1.units })),
            ("removed", .object([("dead", .int(pruning.log.dead)), ("constant", .int(pruning.log.constant)),
                                 ("low_contribution", .int(pruning.log.lowContribution))])),
            ("parameters_before", .int(pruning.original.parameterCount)),
            ("parameters_after", .int(pruning.pruned.parameterCount)),
            ("inputs_kept", .array(pruning.pruned.schema.features.map { .string($0.name) })),
            ("inputs_dropped", .array(pruning.log.inputsDropped.map { .string($0) })),
            ("heldout_agreement", .number(pruning.heldoutAgreement)),
            ("max_difference", .number(pruning.maxDifference)),
            ("check_agreement", .number(pruning.log.checkFidelity)),
            ("check_points", .int(pruning.settings.checkSamples + pruning.data.train.rows)),
            ("check_spread", .number(pruning.log.spread)),
            ("distillations", .int(pruning.log.distillations)),
        ]
        if let before = pruning.accuracyBefore, let after = pruning.accuracyAfter {
            members.append(("accuracy", .object([("original", .number(before)), ("pruned", .number(after))])))
        }
        if pruning.original.image != nil { members.append(("image_declared", .bool(pruning.pruned.image != nil))) }
        members.append(("heldout_rows", .int(pruning.data.test.rows)))
        members.append(("seed", .literal(String(pruning.settings.seed))))
        return JSONOutput.object(members).render()
    }
}
