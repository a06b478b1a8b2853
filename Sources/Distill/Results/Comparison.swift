import Foundation

/// One surrogate (or pruned network) in a comparison sweep.
public struct ComparisonRow: Sendable {
    /// The surrogate kind's name, "tree (linear leaves)", "tree-sum (linear start)", or "pruned-network".
    public var kind: String
    /// The size setting of the row ("max-depth=3", "max-rules=4", "max-fidelity-loss=0.5").
    public var setting: String
    /// For `best`: the name of the kind that won at this size.
    public var winner: String?
    /// For a pruned network whose pruning stopped at the sweep's work bound (`Comparison.pruningWork`): the
    /// rounds it took; nil when it ran to its budget.
    public var roundsAtWorkBound: Int?
    /// Held-out agreement with the network (R² for regression).
    public var fidelity: Double
    /// 95% Wilson interval of `fidelity` (classification); for regression the point itself at both ends.
    public var fidelityInterval: Interval
    /// Fidelity on points drawn from the input distribution, and its 95% Wilson interval (classification).
    public var domainFidelity: Double?
    /// 95% Wilson interval of `domainFidelity` (classification only).
    public var domainInterval: Interval?
    /// Held-out accuracy against the labels (R² for a regression surrogate), when there are labels.
    public var accuracy: Double?
    /// 95% Wilson interval of the accuracy.
    public var accuracyInterval: Interval?
    /// Leaves of a tree surrogate; nil for rule lists and pruned networks.
    public var leaves: Int?
    /// Rules as listed (a rule list counts its default rule); nil for pruned networks.
    public var rules: Int?
    /// Conditions over all listed rules, the size surrogates are compared by; nil for pruned networks.
    public var conditions: Int?
    /// Parameters of a pruned network, the size pruned networks are compared by; nil for surrogates.
    public var parameters: Int?
    /// Whether the row lies on the Pareto frontier of fidelity against size, among rows of the same size measure.
    public var pareto = false
    /// Seconds spent fitting the surrogate or pruning the network.
    public var seconds: Double
    /// The extraction behind a surrogate row (for the report's rules).
    public var extraction: Extraction?
}

/// `distill compare`: sweeps surrogate size for every surrogate kind and pruning budgets, measures held-out
/// fidelity (with a 95% Wilson interval), accuracy and size, marks the Pareto frontier of fidelity
/// against size, and answers the usual questions.
public struct Comparison: Sendable {
    /// The network compared against.
    public var network: Network
    /// The network's held-out accuracy, when the held-out rows have class labels.
    public var networkAccuracy: Double?
    /// Held-out rows every row was measured on.
    public var heldoutRows: Int
    /// One row per surrogate kind and size, then the pruned networks.
    public var rows: [ComparisonRow]

    /// Work each pruned network of the sweep may take at most, in multiply-adds (`PruningSettings.maxWork`):
    /// 2.5 x 10^10, about five seconds here. A 256-256 network's pruning would otherwise take minutes per
    /// budget; the samples' networks never reach it. A row that stopped there says so in its setting (the
    /// rounds it took); `distill prune` has no such bound.
    public static let pruningWork = 2.5e10
    /// Fitting rows the sweep's pruning uses at most (evenly spaced): the pruner measures every candidate
    /// on them and on its own drawn check points; `distill prune` uses every row.
    public static let pruningRows = 5000


    /// The smallest surrogate (fewest conditions, then highest fidelity) meeting `condition`.
    public func smallest(where condition: (ComparisonRow) -> Bool) -> ComparisonRow? {
        rows.filter { $0.conditions != nil && condition($0) }
            .min { ($0.conditions!, -$0.fidelity) < ($1.conditions!, -$1.fidelity) }
    }
}
