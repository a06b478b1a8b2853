import Foundation

extension Comparison {
    /// The surrogates of the sweep, in order: kind, size setting, and how each sets the options.
    static func sweep(task: PredictionTask, quick: Bool) -> [(kind: SurrogateKind, setting: String, configure: (inout Extraction.Options) -> Void)] {
        var jobs: [(kind: SurrogateKind, setting: String, configure: (inout Extraction.Options) -> Void)] = []
        func add(_ kind: SurrogateKind, _ setting: String, _ configure: @escaping (inout Extraction.Options) -> Void) {
            jobs.append((kind, setting, configure))
        }
        let depths = quick ? [1, 2, 3, 4] : Array(1...12)
        let leafCounts = quick ? [2, 4, 8] : [2, 4, 8, 16, 32, 64, 128, 256]
        for depth in depths { add(.tree, "max-depth=\(depth)") { $0.tree = TreeSettings(maxDepth: depth) } }
        for leaves in leafCounts { add(.tree, "max-leaves=\(leaves)") { $0.tree = TreeSettings(maxLeaves: leaves) } }
        if task == .classification {
            for leaves in leafCounts.filter({ $0 <= 64 }) {
                add(.oracleTree, "max-leaves=\(leaves)") { $0.tree = TreeSettings(maxLeaves: leaves); $0.minOracleSamples = 400 }
            }
            for leaves in leafCounts.filter({ $0 <= 8 }) {
                add(.optimalTree, "max-leaves=\(leaves)") { $0.tree = TreeSettings(maxLeaves: leaves) }
            }
            for maxRules in (quick ? [2, 4] : [2, 3, 4, 6, 8, 12, 16]) {
                add(.rules, "max-rules=\(maxRules)") { $0.tree = TreeSettings(maxDepth: 6); $0.rules.maxRules = maxRules }
                add(.ripper, "max-rules=\(maxRules)") { $0.rules.maxRules = maxRules }
                if maxRules <= 8 { add(.ruleSearch, "max-rules=\(maxRules)") { $0.rules.maxRules = maxRules } }
            }
        } else {
            for leaves in leafCounts.filter({ $0 <= 64 }) {
                add(.tree, "max-leaves=\(leaves)") { $0.tree = TreeSettings(maxLeaves: leaves); $0.leaves = .linear(maxTerms: 3) }
            }
        }
        // Tree sums (for regression also with a linear start) at the sizes `best` fits them too (the fits
        // are shared).
        for leaves in leafCounts.filter({ $0 >= 4 && $0 <= 64 }) {
            add(.treeSum, "max-leaves=\(leaves)") { $0.tree = TreeSettings(maxLeaves: leaves) }
            if task == .regression {
                add(.treeSum, "max-leaves=\(leaves)") { $0.tree = TreeSettings(maxLeaves: leaves); $0.leaves = .linear(maxTerms: 3) }
            }
        }
        // The most faithful kind at each size, chosen on drawn points (never on the held-out rows), among
        // the kinds as the sweep fits them (the oracle tree with 400 points a node), so that a contender
        // the sweep has fitted at the size is not fitted again (`SurrogateFitter.fits`).
        for leaves in leafCounts.filter({ $0 >= 4 && $0 <= 64 }) {
            add(.best, "max-leaves=\(leaves)") { $0.tree = TreeSettings(maxLeaves: leaves); $0.minOracleSamples = 400 }
        }
        return jobs
    }

    /// Surrogates the sweep fits for a network of `task`.
    public static func surrogateCount(task: PredictionTask, quick: Bool) -> Int { sweep(task: task, quick: quick).count }

    /// The pruning budgets the sweep tries, in points of fidelity.
    public static func pruningBudgets(quick: Bool) -> [Double] { quick ? [0.5] : [0.5, 1, 2, 5] }

    /// Fits every surrogate kind at a sweep of sizes (and pruned networks) and measures each.
    ///
    /// - Parameters:
    ///   - network: the network to imitate.
    ///   - modelPath: the model's file, named in diagnostics.
    ///   - data: where the fitting and held-out rows come from (files, rows in memory, or the domain).
    ///   - quick: a short sweep.
    /// - Returns: one row per kind and size: fidelity, domain fidelity, accuracy and size, with the
    ///   Pareto frontier marked.
    /// - Throws: a `Diagnostic` when the rows cannot be read or the network answers non-finite values.
    public static func run(network: Network, modelPath: String, data: TrainingData.Options, quick: Bool = false) throws -> Comparison {
        // The sweep's runs are independent: they are spread over the cores and kept in this order.
        let jobs = sweep(task: network.task, quick: quick)
        let cache = ExtractionCache(network: network, data: data)
        let stage = Progress.stage("compare: fitting surrogates", total: jobs.count, unit: "runs")
        var rows = try Parallelism.map(jobs.count) { index -> ComparisonRow in
            defer { stage?.advance() }
            let job = jobs[index]
            var options = Extraction.Options(data: data)
            options.kind = job.kind
            job.configure(&options)
            let extraction = try Progress.silenced {
                try Extraction.run(network: network, modelPath: modelPath, options: options, added: [], cache: cache)
            }
            let size = extraction.surrogate.size
            let agreeing = extraction.evaluation.agreeingRows ?? 0
            var accuracyInterval: Interval?
            if let accuracy = extraction.evaluation.surrogateAccuracy, network.task == .classification {
                let n = extraction.evaluation.heldoutRows
                accuracyInterval = Agreement.wilson(Int((accuracy * Double(n)).rounded()), n)
            }
            let kind = Contender(kind: job.kind, leaves: options.leaves).name
            var row = ComparisonRow(kind: kind, setting: job.setting, fidelity: extraction.evaluation.fidelity,
                                 fidelityInterval: network.task == .classification
                                     ? Agreement.wilson(agreeing, extraction.evaluation.heldoutRows) : Interval(extraction.evaluation.fidelity, extraction.evaluation.fidelity),
                                 accuracy: extraction.evaluation.surrogateAccuracy, accuracyInterval: accuracyInterval,
                                 leaves: size.leaves, rules: size.rules,
                                 conditions: size.conditions, parameters: nil, seconds: extraction.fitSeconds, extraction: extraction)
            if job.kind == .best { row.winner = extraction.contest?.first?.name ?? "" }
            row.domainFidelity = extraction.evaluation.domain?.fidelity
            row.domainInterval = extraction.evaluation.domain?.interval
            return row
        }
        // Pruned networks at several budgets.
        let prepared = try TrainingData.prepare(network: network, modelPath: modelPath, options: data)
        let original = try NetworkEvaluator(network: network).checkedEvaluate(raw: prepared.test.values, rows: prepared.test.rows, file: modelPath, what: "held-out row")
        stage?.finish()
        let budgets = pruningBudgets(quick: quick)
        let fitting = prepared.train.rows
        let pruningRows = fitting > Self.pruningRows
            ? prepared.train.subset((0..<Self.pruningRows).map { $0 * fitting / Self.pruningRows }) : prepared.train
        let pruning = Progress.stage("compare: pruning the network", total: budgets.count, unit: "budgets")
        defer { pruning?.finish() }
        rows += try Parallelism.map(budgets.count) { index -> ComparisonRow in
            defer { pruning?.advance() }
            let budget = budgets[index]
            let start = DispatchTime.now().uptimeNanoseconds
            var settings = PruningSettings(maxFidelityLoss: budget / 100, seed: data.seed)
            settings.maxWork = Self.pruningWork
            let result = try Progress.silenced { try NetworkPruner.prune(network, fitting: pruningRows, settings: settings, file: modelPath) }
            let pruned = result.network
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let output = NetworkEvaluator(network: pruned).evaluate(raw: pruned.project(prepared.test).values, rows: prepared.test.rows)
            var row = ComparisonRow(kind: "pruned-network", setting: "max-fidelity-loss=\(NumberText.trimmed(budget, decimals: 2))",
                                    fidelity: 0, fidelityInterval: Interval(0, 0), parameters: pruned.parameterCount, seconds: seconds)
            if result.log.stoppedAtWorkLimit { row.roundsAtWorkBound = result.log.rounds }
            if network.task == .classification {
                let agreeing = Agreement.matches(output.predictedClasses, original.predictedClasses)
                row.fidelity = Double(agreeing) / Double(max(prepared.test.rows, 1))
                row.fidelityInterval = Agreement.wilson(agreeing, prepared.test.rows)
                if case let .classes(truth) = prepared.test.labels {
                    row.accuracy = Agreement.share(output.predictedClasses, truth)
                    row.accuracyInterval = Agreement.wilson(Agreement.matches(output.predictedClasses, truth), truth.count)
                }
            } else {
                row.fidelity = Agreement.rSquared(predicted: output.values, reference: original.values, outputs: original.width)
                row.fidelityInterval = Interval(row.fidelity, row.fidelity)
            }
            return row
        }
        // Pareto frontier: among surrogates by conditions, among pruned networks by parameters.
        for index in rows.indices {
            let size = rows[index].conditions ?? rows[index].parameters ?? 0
            let sameMeasure = rows.filter { ($0.conditions != nil) == (rows[index].conditions != nil) }
            rows[index].pareto = !sameMeasure.contains { other in
                let otherSize = other.conditions ?? other.parameters ?? 0
                return (otherSize <= size && other.fidelity > rows[index].fidelity) || (otherSize < size && other.fidelity >= rows[index].fidelity)
            }
        }
        var networkAccuracy: Double?
        if case let .classes(truth) = prepared.test.labels { networkAccuracy = Agreement.share(original.predictedClasses, truth) }
        return Comparison(network: network, networkAccuracy: networkAccuracy, heldoutRows: prepared.test.rows, rows: rows)
    }
}
