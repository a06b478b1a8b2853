import Foundation

/// The main job: import the network, prepare rows, label them with the network, fit a decision-tree
/// surrogate to those labels, tidy it (merge redundant leaves, round thresholds), optionally turn it into
/// a rule list (or learn one with RIPPER), and measure the surrogate on held-out rows.
public struct Extraction: Sendable {
    /// Everything that decides the result.
    public struct Options: Equatable, Sendable {
        /// Where the fitting and held-out rows come from, and how they are split.
        public var data: TrainingData.Options
        /// The tree's size and shape (also the size of the tree a rule list is read from); depth
        /// `defaultDepth` by default.
        public var tree: TreeSettings
        /// Collapse sibling leaves that predict the same class.
        public var mergeRedundantLeaves: Bool
        /// Which surrogate to produce.
        public var kind: SurrogateKind
        /// Settings of the rule-list learners.
        public var rules: RuleListSettings
        /// Oracle-guided tree: points per node, and whether to look two levels ahead.
        public var minOracleSamples: Int = 1000
        /// Oracle-guided tree: score splits by the best fidelity two levels down where no single split adds
        /// fidelity; on by default.
        public var lookahead: Bool = true
        /// Oracle-guided tree: how points are drawn inside a node's region; perturbed data rows by default.
        public var sampler: OracleSampler = .rows
        /// The kernel scale of the drawn points (`InputDistribution.kernelScale`, a fraction of Scott's
        /// bandwidth); nil (the default) chooses it (`InputDistribution.choosingKernelScale`).
        public var kernelScale: Double?
        /// Fitting rows are topped up to this many points with points drawn from the input distribution and
        /// labelled by the network (tree, rules, RIPPER); 0 fits on the data rows alone. The oracle tree
        /// grows on at most this many of the rows (evenly spaced), with its own draws.
        public var oraclePoints: Int = 100_000
        /// The rule learners (RIPPER, and tree-to-rules simplification) use the first this many of those
        /// points (with more data rows than this, this many of the rows, evenly spaced): rule growth costs more per point, and beyond this many RIPPER's rules grow longer, not
        /// more faithful (docs/benchmarks.md).
        public var rulePoints: Int = 25_000
        /// Drawn points trees are pruned back on (grown 4 times larger than asked, then pruned to the size
        /// by fidelity on these); 0 grows to the size directly.
        public var validationPoints: Int = 20_000
        /// Drawn points `--surrogate best` judges the kinds on.
        public var selectionPoints: Int = 20_000
        /// What regression trees' leaves predict: the mean, or a short linear model.
        public var leaves: LeafKind = .constant
        /// `best` chooses only among surrogates whose every rule decides a constant (no tree sums, no
        /// linear leaves): what certification proves things of. Set by `outputs` when certifying.
        public var constantRulesOnly = false
        /// Drawn points the domain fidelity is measured on (0 for none).
        public var domainPoints: Int = 100_000
        /// Whether `oraclePoints` shrinks on inputs wider than `fullPointsInputs` (`scaledPoints(inputs:)`);
        /// true by default, false keeps it as set whatever the width (as the CLI's `--oracle-points` does).
        public var scalesOraclePoints = true
        /// Whether `rulePoints` shrinks so; true by default, false with the CLI's `--rule-points`.
        public var scalesRulePoints = true
        /// Raw inputs up to which `oraclePoints` and `rulePoints` are used as set: 64. On wider inputs, where
        /// every point costs more to draw, label and fit on, both shrink in proportion to the inputs (the
        /// values they hold stay as at this width), to no fewer than `minWideOraclePoints` and
        /// `minWideRulePoints` (or the counts set, when smaller): `scaledPoints(inputs:)`.
        public static let fullPointsInputs = 64
        /// The fewest fitting points `scaledPoints(inputs:)` shrinks `oraclePoints` to: 20,000.
        public static let minWideOraclePoints = 20_000
        /// The fewest rule-fitting points `scaledPoints(inputs:)` shrinks `rulePoints` to: 10,000.
        public static let minWideRulePoints = 10_000
        /// Which raw features the surrogate may use.
        public var features: FeatureSelection = .all
        /// Prune the network first (the surrogate then imitates the pruned network).
        public var prune: PruningSettings?

        /// The depth of a tree when neither a depth nor a number of leaves is asked for.
        public static let defaultDepth = 4

        /// Creates options; the settings not among the parameters take their defaults.
        /// - Parameters:
        ///   - data: Where the rows come from; the defaults of `TrainingData.Options` by default.
        ///   - tree: The tree's size; depth `defaultDepth` (4) by default.
        ///   - mergeRedundantLeaves: Whether to merge sibling leaves of the same class; on by default.
        ///   - kind: The surrogate to produce; a tree by default.
        ///   - rules: Settings of the rule-list learners; an ordered list with no caps by default.
        public init(data: TrainingData.Options = .init(), tree: TreeSettings = .init(maxDepth: defaultDepth),
                    mergeRedundantLeaves: Bool = true, kind: SurrogateKind = .tree, rules: RuleListSettings = .init()) {
            self.data = data
            self.tree = tree
            self.mergeRedundantLeaves = mergeRedundantLeaves
            self.kind = kind
            self.rules = rules
        }

        /// These options with `oraclePoints` and `rulePoints` as a network of `inputs` raw inputs uses them:
        /// unchanged up to `fullPointsInputs`, else each that scales (`scalesOraclePoints`,
        /// `scalesRulePoints`) times `fullPointsInputs / inputs`, rounded down, but no fewer than its floor
        /// (`minWideOraclePoints`, `minWideRulePoints`) or than the count set, when that is smaller.
        public func scaledPoints(inputs: Int) -> Options {
            guard inputs > Self.fullPointsInputs else { return self }
            func scaled(_ count: Int, floor: Int) -> Int {
                max(min(count, floor), Int(Double(count) * Double(Self.fullPointsInputs) / Double(inputs)))
            }
            var scaledOptions = self
            if scalesOraclePoints { scaledOptions.oraclePoints = scaled(oraclePoints, floor: Self.minWideOraclePoints) }
            if scalesRulePoints { scaledOptions.rulePoints = scaled(rulePoints, floor: Self.minWideRulePoints) }
            return scaledOptions
        }
    }

    /// The model's file, named in diagnostics and listings.
    public var modelPath: String
    /// The network the surrogate imitates (the pruned network when `options.prune` was set).
    public var network: Network
    /// The options the job ran with (with a feature selection, `tree.allowedFeatures` holds the kept features).
    public var options: Options
    /// The fitting and held-out rows (prepared for the pruned network when pruning first).
    public var data: TrainingData
    /// The fitted tree (the surrogate itself, or the tree a `rules` list came from); nil for RIPPER.
    public var tree: DecisionTree?
    /// The surrogate measured and emitted.
    public var surrogate: Surrogate
    /// The surrogate's agreement with `network` on the held-out rows (and on drawn points), and its accuracy
    /// when there are labels.
    public var evaluation: SurrogateEvaluation
    /// Seconds spent fitting the surrogate, drawing and labelling the oracle points included.
    public var fitSeconds: Double
    /// Rows and drawn points the surrogate was fitted on (the oracle tree's own draws not counted).
    public var fittingPoints: Int = 0
    /// The data rows among `fittingPoints`: fewer than `data.fittingRows` when the surrogate took them
    /// evenly spaced (a tree sum thinning its points; rule lists, the optimal and the oracle tree on a large
    /// file; every kind but a tree with constant leaves on a streamed file, which fits on the rows held whole).
    public var fittedRows: Int = 0
    /// The input distribution points were drawn from (with the kernel scale chosen for the fitting rows),
    /// which domain fidelity and certified mass are measured under.
    public var inputDistribution: InputDistribution?
    /// With a feature selection: the features kept and dropped.
    public var selection: SelectedFeatures?
    /// With pruning first: the network before and after, and the surrogate's fidelity to the original.
    public var pruning: PrunedFirst?
    /// With `--surrogate best`: every kind tried at the size, most faithful first, with its fidelity on
    /// drawn points held apart from fitting (`Options.selectionPoints`).
    public var contest: [ContestEntry]?

    /// The features a surrogate was restricted to (by permutation importance on the fitting rows), and the
    /// held-out fidelity of the same surrogate kind on all features.
    public struct SelectedFeatures: Equatable, Sendable {
        /// Names of the features the surrogate may use, in schema order.
        public var kept: [String]
        /// Names of the other features, in schema order.
        public var dropped: [String]
        /// Held-out fidelity of the same surrogate kind fitted on all features.
        public var allFeaturesFidelity: Double
    }

    /// A surrogate of a network pruned first: hidden neurons before and after, inputs kept of the
    /// original's, and the surrogate's held-out fidelity to the ORIGINAL network (its `evaluation` is
    /// against the pruned one).
    public struct PrunedFirst: Equatable, Sendable {
        /// Hidden neurons of the original network (after folding normalisation).
        public var hiddenBefore: Int
        /// Hidden neurons of the pruned network.
        public var hiddenAfter: Int
        /// Inputs the pruned network reads.
        public var inputs: Int
        /// Inputs the original network reads.
        public var originalInputs: Int
        /// Held-out agreement with the original network (R² for regression).
        public var fidelityToOriginal: Double
    }

    /// One kind tried by `--surrogate best`, with its fidelity on the selection points.
    public struct ContestEntry: Equatable, Sendable {
        /// The contender's name as reports show it.
        public var name: String
        /// The surrogate kind.
        public var kind: SurrogateKind
        /// Its fidelity on the selection points.
        public var fidelity: Double
    }

    /// The kind that produced the surrogate: the one asked for, or the winner of `--surrogate best`.
    public var fittedKind: SurrogateKind { contest?.first?.kind ?? options.kind }
}

/// Which raw features a surrogate may use.
public enum FeatureSelection: Equatable, Sendable {
    case all
    /// The K most important by permutation importance on the fitting rows.
    case top(Int)
    /// Those whose permutation importance is at least this share of decisions changed.
    case minImportance(Double)

    /// The allowed feature indices given each feature's importance (at least one: the most important),
    /// ranked by `PermutationImportance.ranking`: features whose decisions change equally often (often
    /// none, where many inputs carry the same information) by how far the network's output moves.
    func chosen(_ importance: [PermutationImportance.Score]) -> Set<Int> {
        let order = PermutationImportance.ranking(importance)
        switch self {
        case .all: return Set(importance.indices)
        case let .top(count): return Set(order.prefix(max(1, count)))
        case let .minImportance(threshold):
            let kept = order.filter { importance[$0].mean >= threshold }
            return Set(kept.isEmpty ? Array(order.prefix(1)) : kept)
        }
    }
}
