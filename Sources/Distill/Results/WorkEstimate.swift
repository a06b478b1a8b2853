/// What a run would evaluate, and about how long it would take on this machine: `--dry-run`. The counts
/// come from the options; the time from a short timed probe of the network on this machine (forward
/// passes and gradients of 2,048 rows), times the evaluations, plus what fitting costs on top of them
/// (not probed: the estimate says so).
public struct WorkEstimate: Sendable {
    /// One piece of work a run would do, with its counts (`DryRunText` words it).
    public enum Item: Equatable, Sendable {
        /// Sensitivity: the rows analysed, and how many of them the per-row methods explain.
        case analysedRows(rows: Int, explained: Int)
        /// Saliency and gradient × input: one gradient per explained row.
        case gradients(rows: Int)
        /// Integrated gradients: explained rows and quadrature steps per row.
        case integratedGradients(rows: Int, steps: Int)
        /// LRP: one backward pass per explained row.
        case relevance(rows: Int)
        /// Permutation importance: features x shuffles x explained rows forward rows.
        case permutation(features: Int, repeats: Int, rows: Int)
        /// Sobol' indices: N (d + 2) forward rows.
        case sobol(samples: Int, features: Int)
        /// Morris screening: r (d + 1) forward rows.
        case morris(trajectories: Int, features: Int)
        /// Shapley values: forward rows in all.
        case shapley(forwardRows: Int)
        /// Fitting and held-out rows labelled by the network.
        case labelledRows(fitting: Int, heldOut: Int)
        /// Choosing the kernel scale: `pointsPerHalf` drawn points labelled for each scale, round of halving
        /// and half.
        case kernelScale(scales: Int, rounds: Int, pointsPerHalf: Int)
        /// Points drawn and labelled to top the fitting rows up to `total` fitting points.
        case fittingPoints(drawn: Int, total: Int)
        /// The oracle tree: points labelled per node at least.
        case oracleTree(pointsPerNode: Int)
        /// Drawn points the tree is pruned back on.
        case treePruning(points: Int)
        /// Drawn points `best` chooses the kind on.
        case selection(points: Int)
        /// Drawn points domain fidelity is measured on.
        case domainFidelity(points: Int)
        /// `compare`: the surrogates of the sweep and the pruned networks.
        case sweep(surrogates: Int, prunedNetworks: Int)
        /// `compare`: multiply-adds each pruned network may take at most.
        case pruningWork(budgets: Int, multiplyAdds: Double)
        /// Certification: boxes bounded and the time limit.
        case certification(maxBoxes: Int, timeLimit: Double)
        /// Pruning: the points drawn and labelled by the original before any removal, and their work.
        case pruningSetup(checkPoints: Int, fitPoints: Int, multiplyAdds: Double)
        /// Pruning: one round of removals with every hidden neuron removable.
        case pruningRound(neurons: Int, multiplyAdds: Double)
        /// Pruning: one try of a single neuron when a batch breaks the budget.
        case pruningTry(multiplyAdds: Double)
    }

    /// What the estimate leaves out.
    public enum LeftOut: Equatable, Sendable {
        /// Fitting the surrogates (extraction, compare).
        case fitting
        /// Sorting and reporting (sensitivity).
        case reporting
        /// The rounds after the first, the one-by-one tries, fine-tuning and input dropping (pruning).
        case laterRounds
    }

    /// The pieces of work, in the order a run does them.
    public var items: [Item]
    /// Seconds estimated for the evaluations listed.
    public var seconds: Double
    /// What the estimate leaves out.
    public var leftOut = LeftOut.fitting
}
