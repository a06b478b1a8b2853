/// Fits surrogates of every kind on the network's own answers: the fitting rows plus points drawn from the
/// input distribution and labelled by the network (`Extraction.Options.oraclePoints`), with trees grown
/// larger than asked and pruned back to the size by fidelity on further drawn points
/// (`validationPoints`) that the fit never saw. Thresholds are rounded against the data rows only.
struct SurrogateFitter {
    let network: Network
    let data: TrainingData
    private(set) var options: Extraction.Options
    let distribution: InputDistribution
    /// The fitting rows and drawn points, labelled by the network.
    let fitting: OracleSample
    /// The first `rulePoints` of `fitting` (rows first; with more rows than that, `rulePoints` of the rows
    /// evenly spaced), and the added points: what the rule learners fit on.
    let ruleFitting: OracleSample
    /// Points added to the fitting rows (`init`'s `added`: counterexamples), labelled by the network when
    /// fitted; nil when there are none.
    let added: Dataset?
    /// Where the added points are in `fitting` (after the rows): every subsample keeps them.
    var addedRange: Range<Int> { data.train.rows..<(data.train.rows + (added?.rows ?? 0)) }
    /// Drawn points the trees are pruned on; nil when `validationPoints` is 0.
    let validation: OracleSample?

    /// RIPPER lists and optimal trees' splits, computed once for the contenders that share them.
    let ripperLists = ComputedOnce<RipperKey, RuleList>()
    let optimalPlans = ComputedOnce<OptimalPlanKey, PlannedTree>()
    /// The selection points of `contest`, per count (drawn once for every fitter that shares the points).
    let selections = ComputedOnce<Int, OracleSample>()
    /// Every surrogate fitted, by what decides it (`FitKey`): a `compare` sweep's rows and its `best`
    /// contenders of the same kind and size are fitted once.
    let fits = ComputedOnce<FitKey, FittedSurrogate>()

    /// Trees are grown to this many times the leaves asked for before they are pruned back.
    static let growthFactor = 4

    /// Whether fitting with `options` on `fittingRows` rows chooses the kernel scale
    /// (`InputDistribution.choosingKernelScale`): none is given, points are drawn around rows, some are
    /// drawn at all, and there are rows enough to halve.
    static func choosesKernelScale(_ options: Extraction.Options, fittingRows: Int) -> Bool {
        options.kernelScale == nil && options.sampler == .rows && fittingRows >= InputDistribution.kernelScaleMinimumRows
            && (options.oraclePoints > fittingRows || options.validationPoints > 0 || options.domainPoints > 0)
    }

    /// Throws when the network's answer on a fitting row is not finite (`NetworkEvaluator.nonFinite`).
    /// `added`: raw points (row-major) fitted after the rows and before the drawn points, labelled by the
    /// network too (counterexamples found by certification, with `--refine`).
    init(network: Network, data: TrainingData, options: Extraction.Options, modelPath: String, added: [Double] = []) throws {
        self.network = network
        self.data = data
        let options = options.scaledPoints(inputs: data.train.schema.count)
        self.options = options
        let seed = options.data.seed
        let answers = try NetworkEvaluator(network: network).checkedEvaluate(raw: data.train.values, rows: data.train.rows,
                                                                              file: modelPath, what: "fitting row")
        var distribution = InputDistribution(data: data.train)
        if let scale = options.kernelScale {
            distribution.kernelScale = scale
        } else if Self.choosesKernelScale(options, fittingRows: data.train.rows) {
            distribution = distribution.choosingKernelScale(network: network, rows: data.train, seed: seed)
        }
        self.distribution = distribution
        var rows = OracleSample(points: data.train, target: OracleSample.target(answers, of: network))
        let points = Dataset(schema: data.train.schema, rows: added.count / max(data.train.schema.count, 1), values: added)
        self.added = added.isEmpty ? nil : points
        if !added.isEmpty {
            rows = OracleSample(points: points, target: OracleSample.label(points, by: network)).appended(to: data.train, target: rows.target)
        }
        // Drawn points top the fitting rows up to `oraclePoints`: a large data file needs none, and the
        // oracle tree draws its own.
        let missing = options.kind == .oracleTree ? 0 : options.oraclePoints - rows.points.rows
        fitting = missing > 0
            ? try OracleSample.draw(missing, network: network, distribution: distribution, rows: data.train,
                                    sampler: options.sampler, seed: seed &+ 0x0F17, checkedFor: modelPath)
                .appended(to: rows.points, target: rows.target)
            : rows
        // The rule learners read the rows and the first drawn points up to `rulePoints`; with more rows than
        // that (RIPPER on a million rows takes many minutes), `rulePoints` of the rows, evenly spaced, and the
        // added points.
        if options.rulePoints > 0, data.train.rows > options.rulePoints {
            ruleFitting = fitting.prefix(rows.points.rows).evenlySpaced(options.rulePoints, keeping: data.train.rows..<rows.points.rows)
        } else {
            let ruleRows = min(fitting.points.rows, max(options.rulePoints, rows.points.rows))
            ruleFitting = ruleRows == fitting.points.rows ? fitting : fitting.prefix(ruleRows)
        }
        validation = options.validationPoints > 0 && options.kind != .oracleTree
            ? try OracleSample.draw(options.validationPoints, network: network, distribution: distribution, rows: data.train,
                                    sampler: options.sampler, seed: seed &+ 0x7A1D, checkedFor: modelPath)
            : nil
    }

    /// This fitter's drawn points and shared learners, fitting with `options` instead (which must draw the
    /// same points: `ExtractionCache.SamplingKey`), their point counts scaled to the inputs as `init`'s are.
    func with(_ options: Extraction.Options) -> SurrogateFitter {
        var copy = self
        copy.options = options.scaledPoints(inputs: data.train.schema.count)
        return copy
    }

    /// The surrogate of `kind` (regression trees with `leaves` leaf models), and the tree it is (or a
    /// `rules` list came from); nil for RIPPER.
    func fit(_ kind: SurrogateKind, leaves: LeafKind? = nil, budget: Int? = nil) -> (surrogate: Surrogate, tree: DecisionTree?) {
        var settings = options.tree
        var rules = options.rules
        if let budget {
            settings.maxLeaves = budget
            rules.maxRules = budget
        }
        let leaves = leaves ?? options.leaves
        guard let key = key(kind, leaves: leaves, settings: settings, rules: rules) else {
            return fitted(kind, leaves: leaves, settings: settings, rules: rules, budget: budget)
        }
        let result = fits.value(key) {
            let (surrogate, tree) = fitted(kind, leaves: leaves, settings: settings, rules: rules, budget: budget)
            return FittedSurrogate(surrogate: surrogate, tree: tree)
        }
        return (result.surrogate, result.tree)
    }

    /// What decides a fit of `kind` with these settings, beyond the points this fitter shares; nil for
    /// `best`, whose contest is not kept.
    func key(_ kind: SurrogateKind, leaves: LeafKind, settings: TreeSettings, rules: RuleListSettings) -> FitKey? {
        let merge = options.mergeRedundantLeaves
        switch kind {
        case .best: return nil
        case .tree: return .tree(settings, leaves: leaves, merge: merge)
        case .rules: return .rules(settings, rules, merge: merge)
        case .ripper: return .ripper(rules, allowedFeatures: settings.allowedFeatures)
        case .ruleSearch:
            let size = rules.maxRules ?? settings.maxLeaves ?? (1 << min(settings.maxDepth ?? 4, 20))
            return .ruleSearch(size: size, maxConditions: rules.maxConditions, allowedFeatures: settings.allowedFeatures)
        case .oracleTree:
            return .oracleTree(settings, minOracleSamples: options.minOracleSamples, lookahead: options.lookahead, merge: merge)
        case .optimalTree: return .optimalTree(settings, merge: merge)
        case .treeSum: return .treeSum(settings, leaves: leaves)
        }
    }

    /// `fit`'s work, with the size applied to `settings` and `rules`.
    private func fitted(_ kind: SurrogateKind, leaves: LeafKind, settings: TreeSettings, rules: RuleListSettings,
                        budget: Int?) -> (surrogate: Surrogate, tree: DecisionTree?) {
        switch kind {
        case .tree:
            let tree = fitTree(settings, leaves: leaves)
            return (.tree(tree), tree)
        case .best:
            let entry = contest(budget: budget).first!
            return (entry.surrogate, entry.tree)
        case .rules:
            // The tree contender's tree when both are fitted (`best`, `compare`).
            let tree = fits.value(key(.tree, leaves: .constant, settings: settings, rules: rules)!) {
                let tree = fitTree(settings, leaves: .constant)
                return FittedSurrogate(surrogate: .tree(tree), tree: tree)
            }.tree!
            return (.rules(TreeRuleSimplifier.simplify(tree, data: ruleFitting.points, labels: ruleFitting.classes, settings: rules)), tree)
        case .ripper:
            let list = ripper(rules, allowedFeatures: settings.allowedFeatures)
            return (.rules(ThresholdRounding.apply(to: list, keeping: [data.train, data.test])), nil)
        case .ruleSearch:
            return (.rules(ThresholdRounding.apply(to: searchRules(settings, rules), keeping: [data.train, data.test])), nil)
        case .oracleTree:
            let tree = fitOracleTree(settings)
            return (.tree(tree), tree)
        case .optimalTree:
            let tree = fitOptimalTree(settings)
            return (.tree(tree), tree)
        case .treeSum:
            guard let sum = fitTreeSum(settings, leaves: leaves) else {
                let tree = fitTree(settings, leaves: .constant)
                return (.tree(tree), tree)
            }
            return (.sum(sum), nil)
        }
    }

    /// The size `contest` fits at unless given one: the leaves, else the rules asked for, else 2^depth.
    var contestSize: Int {
        options.tree.maxLeaves ?? options.rules.maxRules ?? (1 << min(options.tree.maxDepth ?? 4, 20))
    }

    /// What `best` chooses from, for the network's task: every kind for classifiers; trees with constant
    /// and with linear leaves (3 terms, or the terms asked for) and tree sums with a linear start of as many
    /// terms for regression. Only those whose rules each decide a constant with `constantRulesOnly`.
    var contenders: [Contender] {
        guard options.constantRulesOnly else { return allContenders }
        return allContenders.filter { $0.kind != .treeSum && $0.leaves == .constant }
    }

    private var allContenders: [Contender] {
        guard network.task == .regression else {
            return [SurrogateKind.tree, .optimalTree, .oracleTree, .rules, .ripper, .ruleSearch, .treeSum].map { Contender(kind: $0, leaves: .constant) }
        }
        let terms: Int
        if case let .linear(asked) = options.leaves { terms = asked } else { terms = 3 }
        // A sum with a linear start takes a term only where it lowers the error more than every split; the
        // sum without one grows the same way until a term is taken, and is left out (on the diabetes and
        // friedman samples the start was the more faithful at 8, 16, 32 and 64 leaves: docs/benchmarks.md).
        return [Contender(kind: .tree, leaves: .constant), Contender(kind: .tree, leaves: .linear(maxTerms: terms)),
                Contender(kind: .treeSum, leaves: .linear(maxTerms: terms))]
    }

    /// Every contender fitted at the same size (`budget` leaves or rules: the leaves or rules asked for,
    /// else as many leaves as the depth allows; trees with more conditions than a `maxConditions` cap
    /// left out), most faithful first on `selection`: drawn points held apart from fitting and pruning.
    /// Ties keep the order of `contenders`. Rule lists always meet the cap, so the result is never empty.
    func contest(budget: Int?, selectionPoints: Int? = nil) -> [ContestEntry] {
        let size = budget ?? contestSize
        let count = max(1, selectionPoints ?? options.selectionPoints)
        let selection = selections.value(count) {
            OracleSample.draw(count, network: network, distribution: distribution, rows: data.train, sampler: options.sampler,
                              seed: options.data.seed &+ 0x5E1E)
        }
        // A cap on conditions binds the rule lists; a tree that exceeds it cannot enter.
        let cap = network.task == .classification ? options.rules.maxConditions ?? Int.max : Int.max
        // The contenders are fitted side by side, each on one thread (their results do not depend on it),
        // the slowest started first so that they do not start last on a free thread: the rule search; the
        // optimal tree, whose splits are the rule search's too (`optimalTree`), which reaches them after its
        // other starts (and fits the next contenders while it waits for them: `WaitingWork`); the tree,
        // whose tree the rule list simplifies; the tree sum and the oracle tree.
        let contenders = contenders
        let ranks: [SurrogateKind: Int] = [.ruleSearch: 0, .optimalTree: 1, .tree: 2, .treeSum: 3, .oracleTree: 4]
        func rank(_ index: Int) -> Int { ranks[contenders[index].kind] ?? 5 }
        let starts = contenders.indices.sorted { a, b in (rank(a), a) < (rank(b), b) }
        var fitted = [ContestEntry?](repeating: nil, count: contenders.count)
        fitted.withUnsafeMutableBufferPointer { fitted in
            let output = UncheckedBox(fitted)
            let work = WaitingWork(pieces: contenders.count) { [self] piece in
                let index = starts[piece]
                let contender = contenders[index]
                // Reported as the contest's one stage, whichever thread a contender runs on.
                let (surrogate, tree) = Progress.silenced {
                    Parallelism.withThreads(1) { fit(contender.kind, leaves: contender.leaves, budget: size) }
                }
                guard surrogate.size.conditions <= cap else { return }
                output.value[index] = ContestEntry(contender: contender, surrogate: surrogate, tree: tree,
                                                   fidelity: SurrogateEvaluation.fidelity(surrogate, on: selection))
            }
            work.runAll(threads: Parallelism.threads)
        }
        let entries = fitted.compactMap { $0 }
        return entries.indices.sorted { a, b in
            entries[a].fidelity != entries[b].fidelity ? entries[a].fidelity > entries[b].fidelity : a < b
        }.map { entries[$0] }
    }

    /// CART on the fitting rows and drawn points, grown `growthFactor` times larger and pruned back; for
    /// linear leaves the tree is grown on its nodes' residuals (`LinearTreeBuilder`) and every node gets
    /// its model before pruning, so the pruning weighs nodes as linear leaves.
    func fitTree(_ settings: TreeSettings, leaves: LeafKind) -> DecisionTree {
        var grown = settings
        let budget = settings.maxLeaves ?? settings.maxDepth.map { 1 << min($0, 20) } ?? Int.max
        if validation != nil, let leaves = settings.maxLeaves { grown.maxLeaves = leaves * Self.growthFactor }
        var tree: DecisionTree
        // A streamed file's bins hold its rows only: with added points the tree fits the rows in memory.
        if let streamed = data.streamed, leaves == .constant, added == nil {
            tree = TreeBuilder(settings: grown).fit(binned: streamed.bins, schema: network.schema, target: streamed.target,
                                                    outputs: network.outputs)
        } else if case let .linear(maxTerms) = leaves, case let .values(targets, _) = fitting.target {
            let fitter = LinearLeafFitter(maxTerms: maxTerms, allowedFeatures: settings.allowedFeatures)
            // Every node of the grown tree holds its model (`LinearTreeBuilder`).
            tree = LinearTreeBuilder(settings: grown, fitter: fitter).fit(fitting.points, targets: targets, outputs: network.outputs)
        } else {
            tree = TreeBuilder(settings: grown).fit(fitting.points, target: fitting.target, outputs: network.outputs)
        }
        if let validation {
            tree = FidelityPruning.prune(tree, maxLeaves: budget, validation: validation.points, target: validation.target)
        }
        for index in tree.nodes.indices where !tree.nodes[index].isLeaf { tree.nodes[index].models = [] }
        return tidied(tree)
    }

    /// The optimal tree of at most 8 leaves (`OptimalTreeSearch`) on the fitting points; asked for more
    /// leaves (and deeper than 3 levels), it is the top of a tree whose leaves each grow a CART subtree
    /// `growthFactor` times their share of the leaves, pruned back to the size by fidelity.
    func fitOptimalTree(_ settings: TreeSettings) -> DecisionTree {
        let budget = Self.optimalTreeLeaves(settings)
        // The search reads at most `oraclePoints` of the fitting points (evenly spaced): a file of a million
        // rows needs no drawn points, and the search over all of them would take many minutes.
        let searched = options.oraclePoints > 0 ? fitting.evenlySpaced(options.oraclePoints, keeping: addedRange) : fitting
        var tree = optimalTree(on: searched, maxLeaves: min(budget, 8), maxDepth: settings.maxDepth,
                               allowedFeatures: settings.allowedFeatures)
        if budget > tree.leafCount, (settings.maxDepth ?? Int.max) > tree.depth {
            // Grown larger only when the pruning can cut it back to the size.
            var below = settings
            below.maxLeaves = max(1, (validation == nil ? 1 : Self.growthFactor) * budget / max(tree.leafCount, 1))
            tree = tree.grafted(below: below, data: fitting.points, target: fitting.target)
            if let validation {
                tree = FidelityPruning.prune(tree, maxLeaves: budget, validation: validation.points, target: validation.target)
            }
        }
        return tidied(tree)
    }

    /// The leaves an optimal tree may have: those asked for, else as many as the depth gives, else 8.
    static func optimalTreeLeaves(_ settings: TreeSettings) -> Int {
        settings.maxLeaves ?? settings.maxDepth.map { 1 << min($0, 20) } ?? 8
    }

    /// A decision list searched for (`RuleListSearch`) on the rule-fitting points, from the conjunctions of
    /// CART trees of the size and of 4 times it, the optimal tree, the C4.5rules list of the smaller tree and
    /// the RIPPER list (both capped to the size, and where more agreeing, where the search starts).
    func searchRules(_ settings: TreeSettings, _ rules: RuleListSettings) -> RuleList {
        let size = rules.maxRules ?? settings.maxLeaves ?? (1 << min(settings.maxDepth ?? 4, 20))
        let classes = ruleFitting.classes, outputs = network.outputs
        // Both trees bin the points alike: once.
        let defaults = TreeSettings()
        let bins = defaults.usesHistograms(rows: ruleFitting.points.rows, features: ruleFitting.points.schema.count) ? FeatureBins(data: ruleFitting.points, maxBins: defaults.maxBins, only: settings.allowedFeatures) : nil
        let trees = [size, Self.growthFactor * size].map { leaves in
            TreeBuilder(settings: TreeSettings(maxLeaves: leaves, allowedFeatures: settings.allowedFeatures))
                .fit(ruleFitting.points, bins: bins, target: ruleFitting.target, outputs: outputs)
        }
        let capped = RuleListSettings(ordered: true, maxRules: size, maxConditions: rules.maxConditions)
        let simplified = TreeRuleSimplifier.simplify(trees[0], data: ruleFitting.points, labels: classes, settings: capped)
        let ripper = ripper(capped, allowedFeatures: settings.allowedFeatures)
        // Last: in `contest` the optimal tree's contender searches the same splits meanwhile.
        let optimal = optimalTree(on: ruleFitting, maxLeaves: min(size, 8), maxDepth: nil, allowedFeatures: settings.allowedFeatures)
        let candidates = RuleListSearch.candidates(from: trees + [optimal], and: [simplified, ripper])
        let fit = RuleFitData(data: ruleFitting.points, labels: classes, classCount: outputs.count)
        // Before each of the first greedy steps: the paths of a CART tree of twice the size (at most 16
        // leaves) on the points still undecided.
        let generate = { (undecided: [Bool]) -> [[RuleTest]] in
            let rows = undecided.indices.filter { undecided[$0] }
            guard rows.count >= 2 else { return [] }
            let points = ruleFitting.points.subset(rows)
            let tree = TreeBuilder(settings: TreeSettings(maxLeaves: min(2 * size, 16), allowedFeatures: settings.allowedFeatures))
                .fit(points, target: .classes(rows.map { classes[$0] }, classCount: outputs.count), outputs: outputs)
            return RuleListSearch.candidates(from: [tree])
        }
        return RuleListSearch(maxRules: size, maxConditions: rules.maxConditions ?? Int.max)
            .fit(fit, candidates: candidates, outputs: outputs, starts: [simplified, ripper], generate: generate)
    }

    /// RIPPER's list on the rule-fitting points (computed once per settings).
    func ripper(_ settings: RuleListSettings, allowedFeatures: Set<Int>?) -> RuleList {
        ripperLists.value(RipperKey(rules: settings, allowedFeatures: allowedFeatures)) {
            var learner = RipperLearner(settings: settings, seed: options.data.seed)
            learner.allowedFeatures = allowedFeatures
            return learner.fit(ruleFitting.points, labels: ruleFitting.classes, outputs: network.outputs)
        }
    }

    /// The optimal tree (`OptimalTreeSearch`) on `sample`, the fitting points or the rule-fitting points.
    /// Its splits are searched once per size, depth and searched points: the optimal tree and the rule
    /// search share them when their samples begin with the same points (as the rule-fitting points begin
    /// the fitting points unless the data file is large); each lays them out on its own points.
    func optimalTree(on sample: OracleSample, maxLeaves: Int, maxDepth: Int?, allowedFeatures: Set<Int>?) -> DecisionTree {
        let search = OptimalTreeSearch(maxLeaves: maxLeaves, maxDepth: maxDepth, allowedFeatures: allowedFeatures)
        let points = sample.points, classes = sample.classes, count = search.searchedRows(of: points.rows)
        let key = OptimalPlanKey(maxLeaves: search.maxLeaves, maxDepth: search.maxDepth, allowedFeatures: allowedFeatures,
                                 values: points.values[0..<(count * points.schema.count)], classes: classes[0..<count])
        let plan = optimalPlans.value(key) { search.plan(points, classes: classes, classCount: network.outputs.count) }
        return plan.tree(schema: points.schema, outputs: network.outputs, data: points, classes: classes,
                         classCount: network.outputs.count)
    }

    /// The rows the oracle tree grows on: the fitting rows, or `oraclePoints` of them evenly spaced when
    /// there are more (every node sorts its rows, so a million rows would take many minutes; the drawn
    /// points fill the nodes the rows leave thin), then the added points.
    var oracleRows: Dataset {
        fitting.prefix(addedRange.upperBound).evenlySpaced(options.oraclePoints > 0 ? options.oraclePoints : .max, keeping: addedRange).points
    }

    /// The TREPAN-style tree, which draws its own points node by node.
    func fitOracleTree(_ tree: TreeSettings) -> DecisionTree {
        let settings = OracleTreeSettings(maxLeaves: tree.maxLeaves ?? (1 << min(tree.maxDepth ?? 4, 20)),
                                          maxDepth: tree.maxDepth, minSamplesLeaf: tree.minSamplesLeaf,
                                          minOracleSamples: options.minOracleSamples, lookahead: options.lookahead,
                                          sampler: options.sampler, allowedFeatures: tree.allowedFeatures)
        let fitted = OracleTreeBuilder(network: network, distribution: distribution, settings: settings,
                                       seed: options.data.seed).fit(oracleRows).tree
        return tidied(fitted)
    }

    /// Merges sibling leaves of one class and rounds thresholds against the data rows (the drawn points are
    /// dense and would keep every digit).
    func tidied(_ tree: DecisionTree) -> DecisionTree {
        let merged = options.mergeRedundantLeaves ? MergeRedundantLeaves.apply(to: tree) : tree
        return ThresholdRounding.apply(to: merged, keeping: [data.train, data.test], gaps: data.streamed?.gap)
    }
}

/// One learner `best` tries: a kind, and for regression trees the leaf model.
struct Contender: Equatable, Sendable {
    var kind: SurrogateKind
    var leaves: LeafKind

    /// How listings and `--json` name it: `tree`, `tree (linear leaves)`, `tree-sum (linear start)`, `ripper`, ...
    var name: String {
        if case .linear = leaves { return "\(kind.rawValue) \(kind == .treeSum ? "(linear start)" : "(linear leaves)")" }
        return kind.rawValue
    }
}

/// A contender's fitted surrogate and its fidelity on the selection points.
struct ContestEntry {
    var contender: Contender
    var surrogate: Surrogate
    var tree: DecisionTree?
    var fidelity: Double
}
