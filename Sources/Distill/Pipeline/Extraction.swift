import Foundation

/// The main job: import the network, prepare rows, label them with the network, fit a decision-tree
/// surrogate to those labels, tidy it (merge redundant leaves, round thresholds), optionally turn it into
/// a rule list (or learn one with RIPPER), and measure the surrogate on held-out rows.
public struct Extraction: Sendable {
    /// Everything that decides the result.
    public struct Options: Equatable, Sendable {
        public var data: TrainingData.Options
        public var tree: TreeSettings
        /// Collapse sibling leaves that predict the same class.
        public var mergeRedundantLeaves: Bool
        /// Which surrogate to produce.
        public var kind: SurrogateKind
        /// Settings of the rule-list learners.
        public var rules: RuleListSettings
        /// Oracle-guided tree: points per node, and whether to look two levels ahead.
        public var minOracleSamples: Int = 1000
        public var lookahead: Bool = true
        public var sampler: OracleSampler = .rows
        /// Points drawn from the input distribution to measure fidelity off the data (oracle trees).
        public var freshSamples: Int = 10_000
        /// Which raw features the surrogate may use.
        public var features: FeatureSelection = .all
        /// Prune the network first (the surrogate then imitates the pruned network).
        public var prune: PruningSettings?

        public init(data: TrainingData.Options = .init(), tree: TreeSettings = .init(maxDepth: 4),
                    mergeRedundantLeaves: Bool = true, kind: SurrogateKind = .tree, rules: RuleListSettings = .init()) {
            self.data = data
            self.tree = tree
            self.mergeRedundantLeaves = mergeRedundantLeaves
            self.kind = kind
            self.rules = rules
        }
    }

    public var modelPath: String
    public var network: Network
    public var options: Options
    public var data: TrainingData
    /// The fitted tree (the surrogate itself, or the tree a `rules` list came from); nil for RIPPER.
    public var tree: DecisionTree?
    /// The surrogate measured and emitted.
    public var surrogate: Surrogate
    public var evaluation: SurrogateEvaluation
    /// Seconds spent fitting the surrogate (labelling excluded).
    public var fitSeconds: Double
    /// With a feature selection: the features kept and dropped (by permutation importance on the fitting
    /// rows), and the held-out fidelity of the same surrogate kind on all features.
    public var selection: (kept: [String], dropped: [String], allFeaturesFidelity: Double)?
    /// With pruning first: hidden neurons before and after, inputs kept, and the surrogate's held-out
    /// fidelity to the ORIGINAL network (its `evaluation` is against the pruned one).
    public var pruning: (hiddenBefore: Int, hiddenAfter: Int, inputs: Int, originalInputs: Int, fidelityToOriginal: Double)?

    /// Runs the job on the model file at `modelPath`.
    public static func run(modelPath: String, options: Options) throws -> Extraction {
        let network = try ModelDecoder.load(path: modelPath)
        return try run(network: network, modelPath: modelPath, options: options)
    }

    /// Runs the job on an already imported network.
    public static func run(network: Network, modelPath: String, options: Options) throws -> Extraction {
        if options.kind != .tree, network.task != .classification {
            throw Diagnostic(file: modelPath, "--surrogate \(options.kind.rawValue) needs a classification network; this one is a regression network (use --surrogate tree)")
        }
        let data = try TrainingData.prepare(network: network, modelPath: modelPath, options: options.data)
        if let settings = options.prune {
            let (pruned, _) = try NetworkPruner.prune(network, fitting: data.train, settings: settings, file: modelPath)
            var inner = options
            inner.prune = nil
            var result = try run(network: pruned, modelPath: modelPath, options: inner)
            // The same seeded split, so held-out rows line up; the original judges the surrogate too.
            let originalClasses = NetworkEvaluator(network: network).evaluate(raw: data.test.values, rows: data.test.rows)
            let surrogate = result.surrogate
            let fidelity: Double
            if network.task == .classification {
                fidelity = Agreement.share(surrogate.predictClasses(raw: result.data.test.values, rows: result.data.test.rows),
                                           originalClasses.predictedClasses)
            } else {
                fidelity = Agreement.rSquared(predicted: surrogate.predictValues(raw: result.data.test.values, rows: result.data.test.rows),
                                              reference: originalClasses.values, outputs: originalClasses.width)
            }
            let before = (try? FoldNormalization.apply(to: network))?.hiddenNeuronCounts.reduce(0, +) ?? 0
            result.pruning = (before, pruned.hiddenNeuronCounts.reduce(0, +), pruned.schema.count, network.schema.count, fidelity)
            result.options.prune = settings
            return result
        }
        var options = options
        var selection: (kept: [String], dropped: [String], allFeaturesFidelity: Double)?
        if options.features != .all {
            let importance = PermutationImportance.measure(network: network, data: data.train, seed: options.data.seed).map(\.mean)
            let allowed = options.features.chosen(importance)
            let names = network.schema.features.map(\.name)
            var unrestricted = options
            unrestricted.features = .all
            let full = try run(network: network, modelPath: modelPath, options: unrestricted)
            selection = (names.indices.filter { allowed.contains($0) }.map { names[$0] },
                         names.indices.filter { !allowed.contains($0) }.map { names[$0] }, full.evaluation.fidelity)
            options.tree.allowedFeatures = allowed
        }
        // The oracle tree labels its own rows and points; the other learners share these labels.
        let labels = options.kind == .oracleTree ? .values([], outputs: 1) : networkTarget(network: network, on: data.train)
        let start = DispatchTime.now().uptimeNanoseconds
        var tree: DecisionTree?
        let surrogate: Surrogate
        var distribution: InputDistribution?
        if options.kind == .oracleTree {
            let model = InputDistribution(data: data.train)
            distribution = model
            let settings = OracleTreeSettings(maxLeaves: options.tree.maxLeaves ?? (1 << min(options.tree.maxDepth ?? 4, 20)),
                                              maxDepth: options.tree.maxDepth, minSamplesLeaf: options.tree.minSamplesLeaf,
                                              minOracleSamples: options.minOracleSamples, lookahead: options.lookahead,
                                              sampler: options.sampler, allowedFeatures: options.tree.allowedFeatures)
            var fitted = OracleTreeBuilder(network: network, distribution: model, settings: settings,
                                           seed: options.data.seed).fit(data.train).tree
            if options.mergeRedundantLeaves { fitted = MergeRedundantLeaves.apply(to: fitted) }
            // Rounded against the data rows only: the drawn points are dense and would keep every digit;
            // the held-out and off-the-data fidelity below are those of the rounded tree.
            fitted = ThresholdRounding.apply(to: fitted, keeping: [data.train, data.test])
            tree = fitted
            surrogate = .tree(fitted)
        } else if case let .classes(classes, _) = labels, options.kind == .ripper {
            var learner = RipperLearner(settings: options.rules, seed: options.data.seed)
            learner.allowedFeatures = options.tree.allowedFeatures
            let list = learner.fit(data.train, labels: classes, outputs: network.outputs)
            surrogate = .rules(ThresholdRounding.apply(to: list, keeping: [data.train, data.test]))
        } else {
            var fitted = TreeBuilder(settings: options.tree).fit(data.train, target: labels, outputs: network.outputs)
            if options.mergeRedundantLeaves { fitted = MergeRedundantLeaves.apply(to: fitted) }
            fitted = ThresholdRounding.apply(to: fitted, keeping: [data.train, data.test])
            tree = fitted
            if case let .classes(classes, _) = labels, options.kind == .rules {
                surrogate = .rules(TreeRuleSimplifier.simplify(fitted, data: data.train, labels: classes, settings: options.rules))
            } else {
                surrogate = .tree(fitted)
            }
        }
        let fitSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var evaluation = SurrogateEvaluation.measure(surrogate, network: network, on: data.test)
        if let distribution, options.freshSamples > 0 {
            var generator = SeededGenerator(seed: options.data.seed &+ 0x5EED)
            let whole = Region(schema: network.schema)
            let values = options.sampler == .rows
                ? distribution.samplePerturbed(options.freshSamples, in: whole, rows: data.train.values, generator: &generator)
                : distribution.sample(options.freshSamples, in: whole, generator: &generator)
            let fresh = Dataset(schema: network.schema, rows: options.freshSamples, values: values)
            evaluation.freshFidelity = SurrogateEvaluation.measure(surrogate, network: network, on: fresh).fidelity
            evaluation.freshRows = fresh.rows
        }
        return Extraction(modelPath: modelPath, network: network, options: options, data: data, tree: tree,
                          surrogate: surrogate, evaluation: evaluation, fitSeconds: fitSeconds, selection: selection,
                          pruning: nil)
    }

    /// The network's answers on `rows` as a tree target: its predicted classes, or its outputs.
    public static func networkTarget(network: Network, on rows: Dataset) -> TreeTarget {
        let output = NetworkEvaluator(network: network).evaluate(raw: rows.values, rows: rows.rows)
        return network.task == .classification
            ? .classes(output.predictedClasses, classCount: network.outputs.count)
            : .values(output.values, outputs: output.width)
    }

    /// Fits a CART tree to the network's answers on `rows` (its predicted classes, or its outputs).
    public static func fitTree(network: Network, on rows: Dataset, settings: TreeSettings) -> DecisionTree {
        TreeBuilder(settings: settings).fit(rows, target: networkTarget(network: network, on: rows), outputs: network.outputs)
    }
}

/// Which raw features a surrogate may use.
public enum FeatureSelection: Equatable, Sendable {
    case all
    /// The K most important by permutation importance on the fitting rows.
    case top(Int)
    /// Those whose permutation importance is at least this share of decisions changed.
    case minImportance(Double)

    /// The allowed feature indices given each feature's importance (at least one: the most important).
    func chosen(_ importance: [Double]) -> Set<Int> {
        let order = importance.indices.sorted { importance[$0] > importance[$1] || (importance[$0] == importance[$1] && $0 < $1) }
        switch self {
        case .all: return Set(importance.indices)
        case let .top(count): return Set(order.prefix(max(1, count)))
        case let .minImportance(threshold):
            let kept = order.filter { importance[$0] >= threshold }
            return Set(kept.isEmpty ? Array(order.prefix(1)) : kept)
        }
    }
}
