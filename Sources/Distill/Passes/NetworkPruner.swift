/// Settings of the pruning passes.
public struct PruningSettings: Equatable, Sendable {
    /// Largest allowed loss of agreement with the original network on the check rows (0.005 = 0.5 points).
    public var maxFidelityLoss: Double
    /// A neuron whose activation variance is at most this is constant.
    public var constantTolerance: Double
    /// Train the pruned network to imitate the original after each round of removals.
    public var fineTune: Bool
    /// Points drawn (perturbed fitting rows) and labelled by the original network to check decisions on.
    public var checkSamples: Int
    /// Seed of the check draws, the distillation and the permutation importance that orders the inputs.
    public var seed: UInt64
    /// Work the neuron removals may take at most, in multiply-adds (`NetworkPruner.roundWork`: a round ranks
    /// every removable neuron on the scoring points from one forward pass, measures the fitting and check
    /// points, and each one-by-one try measures the check points again); nil (the default) until no neuron
    /// can go. A sweep (`distill compare`) bounds it so that a wide network's pruning stays quick while a
    /// small one's never reaches the bound, and says when a run stopped there.
    public var maxWork: Double?
    /// Fine-tuning trains at most this many times in one pruning run (each run is tens of epochs).
    public static let maximumDistillations = 40

    /// Creates settings.
    /// - Parameters:
    ///   - maxFidelityLoss: The agreement budget; 0.005 (half a point) by default.
    ///   - constantTolerance: Variance at or below which a neuron is constant; 1e-12 by default.
    ///   - fineTune: Whether to train after removals that break the budget; off by default.
    ///   - checkSamples: Points drawn to check decisions on; 16,000 by default.
    ///   - seed: Seed of the pass; 1 by default.
    public init(maxFidelityLoss: Double = 0.005, constantTolerance: Double = 1e-12, fineTune: Bool = false,
                checkSamples: Int = 16000, seed: UInt64 = 1) {
        self.maxFidelityLoss = maxFidelityLoss
        self.constantTolerance = constantTolerance
        self.fineTune = fineTune
        self.checkSamples = checkSamples
        self.seed = seed
    }
}

/// What the pruning did, step by step.
public struct PruningLog: Equatable, Sendable {
    /// ReLU neurons removed because they were never active on the fitting rows.
    public var dead = 0
    /// Neurons removed because their activation variance was within `PruningSettings.constantTolerance`.
    public var constant = 0
    /// Neurons removed by the low-contribution search.
    public var lowContribution = 0
    /// Names of the inputs replaced by a constant and removed, in the order they went.
    public var inputsDropped: [String] = []
    /// Agreement with the original on the check rows after all removals.
    public var checkFidelity = 1.0
    /// The kernel-noise multiplier of the fitting and check draws (`InputDistribution.newRowSpread`).
    public var spread = 1.0
    /// Distillation runs made (at most `PruningSettings.maximumDistillations`).
    public var distillations = 0
    /// Rounds of neuron removals taken.
    public var rounds = 0
    /// The neuron removals stopped at `PruningSettings.maxWork` with neurons still to try.
    public var stoppedAtWorkLimit = false
}

/// Structured pruning as IR-to-IR rewrites: fold normalisation into dense layers; remove dead ReLU
/// neurons and near-constant neurons (their mean folded into the next bias); remove low-contribution
/// neurons greedily, in batches, those whose compensated removal moves the outputs least first (each
/// removal compensated by a weighted least-squares fit of its output on its layer's remaining neurons,
/// `LinearCompensation`), re-checking agreement with the ORIGINAL network on the check points
/// (`PruningCheck`: the fitting rows and draws as far out as new rows) and stopping at the budget; then
/// drop inputs whose replacement by their mean (or most frequent value) stays within the budget. With
/// `fineTune`, a round of removals that breaks the budget is first trained to imitate the original
/// (`NetworkDistiller`), which lets far more neurons go.
public enum NetworkPruner {
    /// The pruned network, and the log of what was removed.
    public struct Result: Sendable {
        /// The pruned network: a folded stack of dense layers over the inputs that were kept.
        public var network: Network
        /// What was removed.
        public var log: PruningLog
    }

    /// Prunes `original` within the budget of `settings`.
    /// - Parameters:
    ///   - original: The network to prune; it is folded first (`FoldNormalization`).
    ///   - fitting: Raw rows in the original's schema; neuron statistics, input means and the check points come
    ///     from them.
    ///   - settings: The budget and the other settings.
    ///   - file: The model's file, named in diagnostics; empty by default.
    /// - Returns: The pruned network and the log.
    /// - Throws: `Diagnostic` when the network cannot be folded into a stack of dense layers.
    /// - Complexity: Each round re-measures the network on the fitting rows and checks it on the check points;
    ///   a round removes a tenth of the removable neurons, or tries the batch's neurons one by one when it breaks
    ///   the budget, and each input is checked once more at the end.
    public static func prune(_ original: Network, fitting: Dataset, settings: PruningSettings, file: String = "") throws
        -> Result {
        var network = try FoldNormalization.apply(to: original, file: file)
        var generator = SeededGenerator(seed: settings.seed)
        let points = PruningCheck(original: original, fitting: fitting, settings: settings, generator: &generator)
        var log = PruningLog()
        log.spread = points.spread
        let distiller = NetworkDistiller(teacher: original, rows: points.fitRows, seed: settings.seed)

        /// `candidate` if it keeps the budget, else (with fine-tuning, while runs remain) its distilled
        /// version if that does, else nil.
        func withinBudget(_ candidate: Network) -> Network? {
            if points.withinBudget(candidate) { return candidate }
            guard settings.fineTune && log.distillations < PruningSettings.maximumDistillations else { return nil }
            log.distillations += 1
            let trained = distiller.train(candidate)
            return points.withinBudget(trained) ? trained : nil
        }

        // Dead and constant neurons: exact on the fitting rows.
        var stats = NeuronStatistics.measure(network: network, data: network.project(fitting)).neurons
        for neuron in stats.sorted(by: { ($0.layer, $0.unit) > ($1.layer, $1.unit) }) {
            let dense = network.denseLayers[neuron.layer]
            if dense.activation == .relu && neuron.activeShare == 0 {
                network.removeNeuron(layer: neuron.layer, unit: neuron.unit, value: 0)
                log.dead += 1
            } else if neuron.variance <= settings.constantTolerance {
                network.removeNeuron(layer: neuron.layer, unit: neuron.unit, value: neuron.mean)
                log.constant += 1
            }
        }

        // Low-contribution neurons, smallest effect first: a batch of a tenth of what is left at a time;
        // when a batch breaks the budget, its neurons are tried one by one and those that break it are
        // kept for good.
        var kept = Set<String>()
        let hidden = network.hiddenNeuronCounts.reduce(0, +)
        let neuronStage = Progress.stage("pruning neurons", total: hidden, unit: "neurons decided")
        func key(_ neuron: NeuronStatistics.Neuron, _ network: Network) -> String {
            // Identify a neuron by its incoming weights (indices shift as neurons go).
            let dense = network.denseLayers[neuron.layer]
            return "\(neuron.layer):" + dense.weights[(neuron.unit * dense.inputs)..<((neuron.unit + 1) * dense.inputs)]
                .map { String($0.bitPattern) }.joined(separator: ",")
        }
        var work = 0.0
        while true {
            neuronStage?.reach(hidden - network.hiddenNeuronCounts.reduce(0, +) + kept.count)
            stats = NeuronStatistics.measure(network: network, data: network.project(fitting)).neurons
            let removable = stats.filter { network.denseLayers[$0.layer].units > 1 && !kept.contains(key($0, network)) }
            guard !removable.isEmpty else { break }
            work += roundWork(network, removable: removable, points: points, fittingRows: fitting.rows)
            if let limit = settings.maxWork, work > limit {
                log.stoppedAtWorkLimit = true
                break
            }
            log.rounds += 1
            let grams = points.grams(network)
            // Each layer's matrix factored once, for the ranking and the one-by-one tries.
            let leaveOneOut = points.leaveOneOutFits(network, grams: grams, layers: Set(removable.map(\.layer)))
            let effects = points.effects(of: removable, in: network, grams: grams, leaveOneOut: leaveOneOut)
            let ordered = removable.indices.sorted { (effects[$0], $0) < (effects[$1], $1) }.map { removable[$0] }
            let batch = Array(ordered.prefix(max(1, removable.count / 10)))
            var candidate = network
            for layer in Set(batch.map(\.layer)).sorted(by: >) {
                candidate = points.remove(batch.filter { $0.layer == layer }.map(\.unit), layer: layer, from: candidate, grams: grams)
            }
            if let accepted = withinBudget(candidate) {
                network = accepted
                log.lowContribution += batch.count
                continue
            }
            // One by one: the first that fits the budget goes; the others that do not are kept for good.
            var removedOne = false
            for neuron in batch {
                // Each try measures a network on the check points.
                work += Double(points.check.rows * network.parameterCount)
                if let limit = settings.maxWork, work > limit {
                    log.stoppedAtWorkLimit = true
                    break
                }
                let reduced = points.remove([neuron.unit], layer: neuron.layer, from: network, grams: grams,
                                            leaveOneOut: leaveOneOut[neuron.layer])
                if let accepted = withinBudget(reduced) {
                    network = accepted
                    log.lowContribution += 1
                    removedOne = true
                    break
                }
                kept.insert(key(neuron, network))
            }
            if log.stoppedAtWorkLimit || (!removedOne && batch.count == removable.count) { break }
        }

        neuronStage?.finish()
        // Inputs, least important first (permutation importance on the fitting rows).
        let importance = PermutationImportance.measure(network: network, data: network.project(fitting), seed: settings.seed).map(\.mean)
        let order = importance.indices.sorted { importance[$0] < importance[$1] }.map { network.schema.features[$0].name }
        let inputStage = Progress.stage("pruning inputs", total: order.count, unit: "inputs")
        defer { inputStage?.finish() }
        for name in order where network.schema.count > 1 {
            defer { inputStage?.advance() }
            guard let feature = network.schema.features.firstIndex(where: { $0.name == name }),
                  let source = fitting.schema.features.firstIndex(where: { $0.name == name }) else { continue }
            let column = (0..<fitting.rows).map { fitting[$0, source] }
            let value: Double
            if fitting.schema.features[source].isCategorical || fitting.schema.features[source].isBinary {
                var counts: [Double: Int] = [:]
                for x in column { counts[x, default: 0] += 1 }
                value = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
            } else {
                value = column.reduce(0, +) / Double(column.count)
            }
            var candidate = network
            candidate.removeInput(feature: feature, value: value)
            if points.withinBudget(candidate) {
                network = candidate
                log.inputsDropped.append(name)
            }
        }
        log.checkFidelity = points.agreement(network)
        return Result(network: network, log: log)
    }

    /// The multiply-adds of one round of removals, as `maxWork` counts them: ranking every removable neuron
    /// (`PruningCheck.effects`: its layer's factorisation, about units³ / 3 once, its compensation's solve,
    /// about units², and on each scoring point
    /// the fit, the next layer's change and the layers after it), the Gram matrices and neuron statistics
    /// on the fitting points, and checking the batch on the check points.
    static func roundWork(_ network: Network, removable: [NeuronStatistics.Neuron], points: PruningCheck, fittingRows: Int) -> Double {
        roundWork(network, removableLayers: removable.map(\.layer), scoringRows: points.scoring.rows, fitPoints: points.fitRows.rows,
                  checkPoints: points.check.rows, fittingRows: fittingRows)
    }

    /// `roundWork` from the counts: the dense layer (index among the dense layers) of each removable
    /// neuron, and the scoring, compensation-fitting, check and fitting points.
    static func roundWork(_ network: Network, removableLayers: [Int], scoringRows: Int, fitPoints: Int, checkPoints: Int,
                          fittingRows: Int) -> Double {
        let layers = network.denseLayers
        let after = layers.indices.map { l in layers[l...].reduce(0) { $0 + $1.units * $1.inputs } }
        // One factorisation per layer with removable neurons; per neuron a solve with the factor and the
        // scoring points (`LinearCompensation.LeaveOneOutFits`).
        var ranking = Set(removableLayers).reduce(0.0) { total, layer in
            let m = Double(layers[layer].units)
            return total + m * m * m / 3
        }
        for layer in removableLayers {
            let m = Double(layers[layer].units), next = layers[layer + 1]
            let downstream = layer + 2 < layers.count ? after[layer + 2] : 0
            ranking += m * m + Double(scoringRows) * (m + Double(next.units) + Double(downstream))
        }
        let grams = layers.dropLast().reduce(0.0) { $0 + Double($1.units * $1.units) / 2 } * Double(fitPoints)
        let passes = Double(fittingRows + fitPoints + checkPoints) * Double(network.parameterCount)
        return ranking + grams + passes
    }

    /// The multiply-adds a pruning of `network` on `fittingRows` rows with `settings` does before its
    /// rounds (folding, the check and fitting points labelled by the original, the neuron statistics), one
    /// round with every hidden neuron removable, and one one-by-one try.
    /// - Throws: `Diagnostic` when the network cannot be folded into a stack of dense layers.
    public static func work(_ network: Network, fittingRows: Int, settings: PruningSettings, file: String = "") throws
        -> (setup: Double, round: Double, tryOne: Double) {
        let folded = try FoldNormalization.apply(to: network, file: file)
        let fitPoints = fittingRows + settings.checkSamples / 2, checkPoints = settings.checkSamples + fittingRows
        let step = max(1, fitPoints / 1000), scoringRows = (fitPoints + step - 1) / step
        let hidden = folded.denseLayers.dropLast().enumerated().flatMap { layer, dense in [Int](repeating: layer, count: dense.units) }
        let parameters = Double(folded.parameterCount)
        let setup = Double(fitPoints + checkPoints + fittingRows) * parameters
        let round = roundWork(folded, removableLayers: hidden, scoringRows: scoringRows, fitPoints: fitPoints, checkPoints: checkPoints,
                              fittingRows: fittingRows)
        return (setup, round, Double(checkPoints) * parameters)
    }
}
