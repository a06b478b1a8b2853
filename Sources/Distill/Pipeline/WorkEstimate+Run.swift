import Foundation

extension WorkEstimate {
    /// Seconds per row for a forward pass and for a gradient (forward and backward) on this machine.
    public struct Probe: Sendable {
        public var forward: Double
        public var gradient: Double
        /// Seconds per row of integrated gradients (128 Gauss-Legendre steps split at ReLU switches), timed
        /// on 16 rows against their mean.
        public var integratedGradients: Double

        /// Times the network on `rows` (2,048 rows drawn from them, or from the declared domain without any).
        public static func measure(network: Network, rows: Dataset?, modelPath: String) throws -> Probe {
            var generator = SeededGenerator(seed: 7)
            let sample: Dataset
            if let rows, rows.rows > 0 {
                sample = rows.subset((0..<2048).map { _ in generator.nextInt(below: rows.rows) })
            } else {
                sample = try DomainSampler(schema: network.schema, file: modelPath).sample(rows: 2048, generator: &generator)
            }
            let evaluator = NetworkEvaluator(network: network)
            _ = evaluator.evaluate(raw: sample.values, rows: 256)
            var start = DispatchTime.now().uptimeNanoseconds
            _ = evaluator.evaluate(raw: sample.values, rows: sample.rows)
            let forward = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(sample.rows)
            let encoded = network.schema.encode(sample.values, rows: sample.rows)
            start = DispatchTime.now().uptimeNanoseconds
            _ = NetworkGradient(network: network).gradients(encoded: encoded, rows: sample.rows, targets: .predicted)
            let gradient = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(sample.rows)
            let few = sample.subset(Array(0..<16))
            let baseline = network.schema.encode(few.columnMeans(), rows: 1)
            start = DispatchTime.now().uptimeNanoseconds
            _ = Attributions(network: network).integratedGradients(few, baseline: baseline, target: nil, steps: 128)
            let integrated = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / 16
            return Probe(forward: forward, gradient: gradient, integratedGradients: integrated)
        }
    }

    /// The sensitivity analysis of `rows` rows (data rows or domain points) with `options`.
    public static func sensitivity(network: Network, rows: Int, options: SensitivityAnalysis.Options, probe: Probe) -> WorkEstimate {
        let d = network.schema.count, explained = min(rows, options.explainRows)
        var items: [Item] = [.analysedRows(rows: rows, explained: explained)]
        var seconds = Double(rows) * probe.forward
        func add(_ method: SensitivityMethod, _ item: Item, forward: Int = 0, gradient: Int = 0, integrated: Int = 0) {
            guard options.methods.contains(method) else { return }
            items.append(item)
            seconds += Double(forward) * probe.forward + Double(gradient) * probe.gradient
                + Double(integrated) * probe.integratedGradients * Double(options.integrationSteps) / 128
        }
        add(.gradient, .gradients(rows: explained), gradient: explained)
        // Gauss-Legendre panels take about as many gradient evaluations as steps, more with many ReLU switches.
        add(.ig, .integratedGradients(rows: explained, steps: options.integrationSteps), integrated: explained)
        add(.lrp, .relevance(rows: explained), gradient: explained)
        add(.permutation, .permutation(features: d, repeats: options.permutationRepeats, rows: explained),
            forward: d * options.permutationRepeats * explained)
        add(.sobol, .sobol(samples: options.sobolSamples, features: d), forward: options.sobolSamples * (d + 2))
        add(.morris, .morris(trajectories: options.morrisTrajectories, features: d), forward: options.morrisTrajectories * (d + 1))
        let shapleyRows = min(rows, options.shapleyRows)
        let coalitions = d <= ShapleyValues.exactLimit ? (1 << d) : options.shapleyPermutations * (d + 1)
        let shapley = shapleyRows * coalitions * options.shapleyBackground
        add(.shapley, .shapley(forwardRows: shapley), forward: shapley)
        return WorkEstimate(items: items, seconds: seconds, leftOut: .reporting)
    }

    /// One extraction with `options` on `rows` fitting rows and `heldOut` held-out rows.
    public static func extraction(network: Network, rows: Int, heldOut: Int, options: Extraction.Options, probe: Probe) -> WorkEstimate {
        let options = options.scaledPoints(inputs: network.schema.count)
        let drawn = options.kind == .oracleTree ? 0 : max(0, options.oraclePoints - rows)
        let selection = options.kind == .best ? options.selectionPoints : 0
        var items: [Item] = [.labelledRows(fitting: rows, heldOut: heldOut)]
        let choosesScale = SurrogateFitter.choosesKernelScale(options, fittingRows: rows)
        if choosesScale {
            items.append(.kernelScale(scales: InputDistribution.kernelScales.count, rounds: InputDistribution.kernelScaleRounds,
                                      pointsPerHalf: InputDistribution.kernelScalePoints))
        }
        if drawn > 0 { items.append(.fittingPoints(drawn: drawn, total: options.oraclePoints)) }
        if options.kind == .oracleTree { items.append(.oracleTree(pointsPerNode: options.minOracleSamples)) }
        if options.validationPoints > 0, options.kind != .oracleTree { items.append(.treePruning(points: options.validationPoints)) }
        if selection > 0 { items.append(.selection(points: selection)) }
        if options.domainPoints > 0 { items.append(.domainFidelity(points: options.domainPoints)) }
        let scaleDraws = choosesScale
            ? InputDistribution.kernelScales.count * InputDistribution.kernelScaleRounds * 2 * InputDistribution.kernelScalePoints : 0
        let evaluations = rows + heldOut + scaleDraws + drawn + (options.kind == .oracleTree ? 0 : options.validationPoints)
            + selection + options.domainPoints
        return WorkEstimate(items: items, seconds: Double(evaluations) * probe.forward)
    }

    /// `compare`'s sweep: one extraction's labelling (its drawn points are shared), the surrogates, and the
    /// pruned networks at their work bound.
    public static func comparison(network: Network, rows: Int, heldOut: Int, data: TrainingData.Options, quick: Bool,
                                  probe: Probe) -> WorkEstimate {
        var shared = extraction(network: network, rows: rows, heldOut: heldOut, options: Extraction.Options(data: data), probe: probe)
        let budgets = Comparison.pruningBudgets(quick: quick)
        shared.items.insert(.sweep(surrogates: Comparison.surrogateCount(task: network.task, quick: quick), prunedNetworks: budgets.count), at: 0)
        shared.items.append(.pruningWork(budgets: budgets.count, multiplyAdds: Comparison.pruningWork))
        // A forward row is about parameterCount multiply-adds.
        shared.seconds += Double(budgets.count) * Comparison.pruningWork / Double(max(network.parameterCount, 1)) * probe.forward
        return shared
    }

    /// `distill prune` of `network` on `rows` fitting rows with `settings`: the setup and the first round
    /// (the rounds that follow depend on what the budget lets go).
    /// - Throws: `Diagnostic` when the network cannot be folded into a stack of dense layers.
    public static func pruning(network: Network, rows: Int, settings: PruningSettings, probe: Probe, modelPath: String) throws -> WorkEstimate {
        let work = try NetworkPruner.work(network, fittingRows: rows, settings: settings, file: modelPath)
        let hidden = network.denseLayers.dropLast().reduce(0) { $0 + $1.units }
        let secondsPerMultiplyAdd = probe.forward / Double(max(network.parameterCount, 1))
        let items: [Item] = [
            .pruningSetup(checkPoints: settings.checkSamples + rows, fitPoints: rows + settings.checkSamples / 2, multiplyAdds: work.setup),
            .pruningRound(neurons: hidden, multiplyAdds: work.round),
            .pruningTry(multiplyAdds: work.tryOne),
        ]
        return WorkEstimate(items: items, seconds: (work.setup + work.round) * secondsPerMultiplyAdd, leftOut: .laterRounds)
    }
}
