import Foundation

/// What a run would evaluate, and about how long it would take on this machine: `--dry-run`. The counts
/// come from the options; the time from a short timed probe of the network on this machine (forward
/// passes and gradients of 2,048 rows), times the evaluations, plus what fitting costs on top of them
/// (not probed: the estimate says so).
public struct WorkEstimate: Sendable {
    /// One line per piece of work: what, and how many evaluations.
    public var lines: [String]
    /// Seconds estimated for the evaluations listed.
    public var seconds: Double
    /// What the estimate leaves out.
    public var leftOut = "fitting the surrogates comes on top"

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

    /// The sensitivity analysis of `data` (nil: the declared domain) with `options`.
    public static func sensitivity(network: Network, rows: Int, options: SensitivityAnalysis.Options, probe: Probe) -> WorkEstimate {
        let d = network.schema.count, explained = min(rows, options.explainRows)
        var lines = ["\(rows) rows; the per-row methods explain \(explained) of them"]
        var seconds = Double(rows) * probe.forward
        func add(_ method: SensitivityMethod, _ text: String, forward: Int = 0, gradient: Int = 0, integrated: Int = 0) {
            guard options.methods.contains(method) else { return }
            lines.append(text)
            seconds += Double(forward) * probe.forward + Double(gradient) * probe.gradient
                + Double(integrated) * probe.integratedGradients * Double(options.integrationSteps) / 128
        }
        add(.gradient, "gradients: \(explained) gradients", gradient: explained)
        // Gauss-Legendre panels take about as many gradient evaluations as steps, more with many ReLU switches.
        add(.ig, "integrated gradients: \(explained) rows, \(options.integrationSteps) steps each (more where ReLUs switch)",
            integrated: explained)
        add(.lrp, "LRP: \(explained) backward passes", gradient: explained)
        add(.permutation, "permutation importance: \(d * options.permutationRepeats * explained) forward rows (\(d) features x \(options.permutationRepeats) shuffles x \(explained) rows)",
            forward: d * options.permutationRepeats * explained)
        add(.sobol, "Sobol' indices: \(options.sobolSamples * (d + 2)) forward rows (N = \(options.sobolSamples), d = \(d))",
            forward: options.sobolSamples * (d + 2))
        add(.morris, "Morris screening: \(options.morrisTrajectories * (d + 1)) forward rows", forward: options.morrisTrajectories * (d + 1))
        let shapleyRows = min(rows, options.shapleyRows)
        let coalitions = d <= ShapleyValues.exactLimit ? (1 << d) : options.shapleyPermutations * (d + 1)
        add(.shapley, "Shapley values: \(shapleyRows * coalitions * options.shapleyBackground) forward rows", forward: shapleyRows * coalitions * options.shapleyBackground)
        return WorkEstimate(lines: lines, seconds: seconds, leftOut: "sorting and reporting come on top")
    }

    /// One extraction with `options` on `rows` fitting rows and `heldOut` held-out rows.
    public static func extraction(network: Network, rows: Int, heldOut: Int, options: Extraction.Options, probe: Probe) -> WorkEstimate {
        let drawn = options.kind == .oracleTree ? 0 : max(0, options.oraclePoints - rows)
        let selection = options.kind == .best ? options.selectionPoints : 0
        let kernel = InputDistribution.kernelScales.count * 2 * 4000
        var lines = ["\(rows) fitting rows and \(heldOut) held-out rows labelled by the network",
                     "kernel scale: \(kernel) drawn points labelled (\(InputDistribution.kernelScales.count) scales x 2 halves x 4000)"]
        if drawn > 0 { lines.append("fitting: \(drawn) drawn points labelled (\(options.oraclePoints) fitting points in all)") }
        if options.kind == .oracleTree { lines.append("oracle tree: at least \(options.minOracleSamples) points labelled per node") }
        if options.validationPoints > 0, options.kind != .oracleTree { lines.append("pruning the tree by fidelity: \(options.validationPoints) drawn points labelled") }
        if selection > 0 { lines.append("choosing the best kind: \(selection) drawn points labelled") }
        if options.domainPoints > 0 { lines.append("domain fidelity: \(options.domainPoints) drawn points labelled") }
        let evaluations = rows + heldOut + kernel + drawn + (options.kind == .oracleTree ? 0 : options.validationPoints) + selection + options.domainPoints
        return WorkEstimate(lines: lines, seconds: Double(evaluations) * probe.forward)
    }

    /// `compare`'s sweep: one extraction's labelling (its drawn points are shared), the surrogates, and the
    /// pruned networks at their work bound.
    public static func comparison(network: Network, rows: Int, heldOut: Int, data: TrainingData.Options, quick: Bool,
                                  probe: Probe) -> WorkEstimate {
        var shared = extraction(network: network, rows: rows, heldOut: heldOut, options: Extraction.Options(data: data), probe: probe)
        let budgets = Comparison.pruningBudgets(quick: quick)
        shared.lines.insert("\(Comparison.surrogateCount(task: network.task, quick: quick)) surrogates fitted on the same labelled points; \(budgets.count) pruned network\(budgets.count == 1 ? "" : "s")", at: 0)
        shared.lines.append("pruning: at most \(budgets.count) x \(String(format: "%.0e", Comparison.pruningWork)) multiply-adds")
        // A forward row is about parameterCount multiply-adds.
        shared.seconds += Double(budgets.count) * Comparison.pruningWork / Double(max(network.parameterCount, 1)) * probe.forward
        return shared
    }

    /// `lines` and the estimate as text, ending in a newline.
    public var text: String {
        (lines.map { "  " + $0 } + ["about \(ProgressUpdate.durationText(seconds)) of network evaluation on this machine (\(leftOut))"])
            .joined(separator: "\n") + "\n"
    }
}
