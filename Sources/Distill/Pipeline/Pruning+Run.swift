extension Pruning {
    /// Folds normalisation into the layers, removes dead, constant and low-contribution neurons within the
    /// fidelity budget, and measures the pruned network against the original on held-out rows.
    ///
    /// - Parameters:
    ///   - network: the network to prune.
    ///   - modelPath: the model's file, named in diagnostics.
    ///   - options: where the fitting and held-out rows come from.
    ///   - settings: the budget (largest share of held-out decisions allowed to change), fine-tuning, seed.
    /// - Returns: the original and pruned networks with their held-out agreement and accuracies.
    /// - Throws: a `Diagnostic` when the rows cannot be read or the network cannot be folded.
    public static func run(network: Network, modelPath: String, data options: TrainingData.Options,
                           settings: PruningSettings) throws -> Pruning {
        let data = try TrainingData.prepare(network: network, modelPath: modelPath, options: options)
        _ = try NetworkEvaluator(network: network).checkedEvaluate(raw: data.train.values, rows: data.train.rows, file: modelPath, what: "fitting row")
        let before = try NetworkEvaluator(network: network).checkedEvaluate(raw: data.test.values, rows: data.test.rows, file: modelPath, what: "held-out row")
        let outcome = try NetworkPruner.prune(network, fitting: data.train, settings: settings, file: modelPath)
        let (pruned, log) = (outcome.network, outcome.log)
        let after = NetworkEvaluator(network: pruned).evaluate(raw: pruned.project(data.test).values, rows: data.test.rows)
        let maxDifference = zip(before.values, after.values).map { abs($0 - $1) }.max() ?? 0
        var result = Pruning(original: network, folded: try FoldNormalization.apply(to: network, file: modelPath), pruned: pruned, log: log, settings: settings, data: data,
                             heldoutAgreement: 0, maxDifference: maxDifference)
        if network.task == .classification {
            result.agreeingRows = Agreement.matches(after.predictedClasses, before.predictedClasses)
            result.heldoutAgreement = Agreement.share(after.predictedClasses, before.predictedClasses)
            if case let .classes(truth) = data.test.labels {
                result.accuracyBefore = Agreement.share(before.predictedClasses, truth)
                result.accuracyAfter = Agreement.share(after.predictedClasses, truth)
            }
        } else {
            result.heldoutAgreement = Agreement.rSquared(predicted: after.values, reference: before.values, outputs: before.width)
        }
        return result
    }
}
