/// The pruning job: fold, prune, and measure the pruned network against the original on held-out rows.
public struct Pruning: Sendable {
    /// The network as given.
    public var original: Network
    /// The pruned network: a folded stack of dense layers over the inputs kept.
    public var pruned: Network
    /// What was removed.
    public var log: PruningLog
    /// The settings the pruning ran with.
    public var settings: PruningSettings
    /// The fitting rows pruning used and the held-out rows it was measured on.
    public var data: TrainingData
    /// Held-out agreement of the pruned network's decisions with the original's (R² for regression).
    public var heldoutAgreement: Double
    /// Classification: held-out rows where the two networks decide the same class; nil for regression.
    public var agreeingRows: Int?
    /// Largest |difference| between their probabilities (or outputs) on the held-out rows.
    public var maxDifference: Double
    /// The original's held-out accuracy, when the held-out rows have class labels.
    public var accuracyBefore: Double?
    /// The pruned network's held-out accuracy, when the held-out rows have class labels.
    public var accuracyAfter: Double?

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
        var result = Pruning(original: network, pruned: pruned, log: log, settings: settings, data: data,
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
