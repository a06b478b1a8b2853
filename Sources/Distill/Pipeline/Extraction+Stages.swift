import Foundation

/// The stages of `Extraction.run`, in order: check the request against the network, prepare the rows
/// (`TrainingData`), prune the network (when asked: the later stages then run on the pruned network),
/// select the features the surrogate may use (when asked), fit (draw points, label them with the network,
/// fit and tidy the surrogate: `SurrogateFitter`), and measure (held-out and domain fidelity).
extension Extraction {
    /// The job, with raw points (row-major) added to the fitting sample (`refined`'s counterexamples).
    /// `cache`: work shared with other extractions of the same network and rows (`compare`).
    static func run(network: Network, modelPath: String, options: Options, added: [Double],
                    cache: ExtractionCache? = nil) throws -> Extraction {
        try check(network: network, modelPath: modelPath, options: options)
        let cache = cache.flatMap { $0.serves(network, options) && added.isEmpty ? $0 : nil }
        let data = try cache?.trainingData(modelPath: modelPath)
            ?? TrainingData.prepare(network: network, modelPath: modelPath, options: options.data)
        if let settings = options.prune {
            return try prunedFirst(network: network, modelPath: modelPath, data: data, options: options, settings: settings, added: added)
        }
        return try fitted(network: network, modelPath: modelPath, data: data, options: options, added: added, cache: cache)
    }

    /// Check: a surrogate kind or leaf model that the network's task cannot have.
    static func check(network: Network, modelPath: String, options: Options) throws {
        if ![.tree, .best, .treeSum].contains(options.kind), network.task != .classification {
            throw Diagnostic(file: modelPath, "{kind} \(options.kind.rawValue) needs a classification network; this one is a regression network (use {kind} tree or tree-sum)")
        }
        if options.leaves != .constant, network.task != .regression {
            throw Diagnostic(file: modelPath, "{leaves} linear fits regression trees and sums; this one is a classification network")
        }
    }

    /// Prune: the network pruned on the fitting rows, the rows prepared again for it (it may read fewer
    /// inputs; the same seeded split, so held-out rows line up), the later stages on it, and the
    /// surrogate's fidelity to the original network on the held-out rows.
    static func prunedFirst(network: Network, modelPath: String, data: TrainingData, options: Options, settings: PruningSettings,
                            added: [Double]) throws -> Extraction {
        let pruned = try NetworkPruner.prune(network, fitting: data.train, settings: settings, file: modelPath).network
        var inner = options
        inner.prune = nil
        let prunedData = try TrainingData.prepare(network: pruned, modelPath: modelPath, options: inner.data)
        var result = try fitted(network: pruned, modelPath: modelPath, data: prunedData, options: inner, added: added)
        let original = NetworkEvaluator(network: network).evaluate(raw: data.test.values, rows: data.test.rows)
        let test = result.data.test
        let fidelity = network.task == .classification
            ? Agreement.share(result.surrogate.predictClasses(raw: test.values, rows: test.rows), original.predictedClasses)
            : Agreement.rSquared(predicted: result.surrogate.predictValues(raw: test.values, rows: test.rows),
                                 reference: original.values, outputs: original.width)
        let before = (try? FoldNormalization.apply(to: network))?.hiddenNeuronCounts.reduce(0, +) ?? 0
        result.pruning = PrunedFirst(hiddenBefore: before, hiddenAfter: pruned.hiddenNeuronCounts.reduce(0, +), inputs: pruned.schema.count,
                                     originalInputs: network.schema.count, fidelityToOriginal: fidelity)
        result.options.prune = settings
        return result
    }

    /// Select features, fit and measure, on prepared rows.
    static func fitted(network: Network, modelPath: String, data: TrainingData, options: Options, added: [Double],
                       cache: ExtractionCache? = nil) throws -> Extraction {
        var options = options
        var selection: SelectedFeatures?
        if options.features != .all {
            let (chosen, allowed) = try selectFeatures(network: network, modelPath: modelPath, data: data, options: options, cache: cache)
            selection = chosen
            options.tree.allowedFeatures = allowed
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let scaled = options.scaledPoints(inputs: network.schema.count)
        let drawn = options.kind == .oracleTree ? options.validationPoints : scaled.oraclePoints + options.validationPoints
        let fitter = try Progress.step("drawing and labelling up to \(drawn) points") {
            try cache?.fitter(options: options, data: data, modelPath: modelPath)
                ?? SurrogateFitter(network: network, data: data, options: options, modelPath: modelPath, added: added)
        }
        // A non-finite answer on a held-out row stops the job before any surrogate is fitted.
        let heldOutAnswers = try NetworkEvaluator(network: network).checkedEvaluate(raw: data.test.values, rows: data.test.rows,
                                                                                    file: modelPath, what: "held-out row")
        var contest: [ContestEntry]?
        let surrogate: Surrogate, tree: DecisionTree?
        var fittedLeaves = options.leaves
        let fitting = Progress.stage(options.kind == .best ? "fitting every surrogate kind" : "fitting the \(options.kind.rawValue) surrogate",
                                     total: 1, unit: "step")
        if options.kind == .best {
            let entries = fitter.contest(budget: nil)
            (surrogate, tree) = (entries[0].surrogate, entries[0].tree)
            fittedLeaves = entries[0].contender.leaves
            contest = entries.map { ContestEntry(name: $0.contender.name, kind: $0.contender.kind, fidelity: $0.fidelity) }
        } else {
            (surrogate, tree) = fitter.fit(options.kind)
        }
        fitting?.advance()
        fitting?.finish()
        try surrogate.checkFinite(file: modelPath)
        let fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let evaluation = try measure(surrogate, network: network, modelPath: modelPath, data: data, answers: heldOutAnswers,
                                     distribution: fitter.distribution, options: options, cache: cache)
        var result = Extraction(modelPath: modelPath, network: network, options: options, data: data, tree: tree,
                                surrogate: surrogate, evaluation: evaluation, fitSeconds: fitSeconds, selection: selection,
                                pruning: nil, contest: contest)
        (result.fittingPoints, result.fittedRows) = fitter.fittingSample(contest?.first?.kind ?? options.kind, leaves: fittedLeaves)
        result.inputDistribution = fitter.distribution
        return result
    }

    /// Select features: the features allowed by permutation importance on the fitting rows, and the
    /// held-out fidelity of the same surrogate on all of them.
    static func selectFeatures(network: Network, modelPath: String, data: TrainingData,
                               options: Options, cache: ExtractionCache?) throws -> (SelectedFeatures, Set<Int>) {
        let importance = PermutationImportance.measure(network: network, data: data.train, seed: options.data.seed)
        let allowed = options.features.chosen(importance)
        let names = network.schema.features.map(\.name)
        var unrestricted = options
        unrestricted.features = .all
        let full = try fitted(network: network, modelPath: modelPath, data: data, options: unrestricted, added: [], cache: cache)
        let selection = SelectedFeatures(kept: names.indices.filter { allowed.contains($0) }.map { names[$0] },
                                         dropped: names.indices.filter { !allowed.contains($0) }.map { names[$0] },
                                         allFeaturesFidelity: full.evaluation.fidelity)
        return (selection, allowed)
    }

    /// Measure: agreement with the network's `answers` on the held-out rows, and on points drawn from the
    /// input distribution (`options.domainPoints`, none when 0).
    static func measure(_ surrogate: Surrogate, network: Network, modelPath: String, data: TrainingData, answers: NetworkOutput,
                        distribution: InputDistribution, options: Options, cache: ExtractionCache? = nil) throws -> SurrogateEvaluation {
        var evaluation = SurrogateEvaluation.measure(surrogate, network: network, on: data.test, answers: answers)
        if options.domainPoints > 0 {
            evaluation.domain = try Progress.step("measuring on \(options.domainPoints) drawn points") {
                let domain = try cache?.domainPoints(options: options, distribution: distribution, data: data, modelPath: modelPath)
                    ?? domainSample(options: options, network: network, distribution: distribution, data: data, modelPath: modelPath,
                                    predicting: surrogate)
                return SurrogateEvaluation.domainFidelity(surrogate, on: domain)
            }
        }
        return evaluation
    }

    /// The `options.domainPoints` points domain fidelity is measured on, labelled by the network (on wide
    /// inputs, drawn and labelled in pieces: `DomainSample`).
    /// `predicting`: the surrogate measured on them, answered while they are drawn.
    static func domainSample(options: Options, network: Network, distribution: InputDistribution, data: TrainingData,
                             modelPath: String, predicting surrogate: Surrogate? = nil) throws -> DomainSample {
        try DomainSample.draw(options.domainPoints, network: network, distribution: distribution, rows: data.train,
                              sampler: options.sampler, seed: options.data.seed &+ 0x5EED, checkedFor: modelPath, predicting: surrogate)
    }
}
