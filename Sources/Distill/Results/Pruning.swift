/// The pruning job: fold, prune, and measure the pruned network against the original on held-out rows.
public struct Pruning: Sendable {
    /// The network as given.
    public var original: Network
    /// The original with its normalisation folded into the dense layers: the layers the report sets the
    /// pruned network's against.
    public var folded: Network
    /// The pruned network: a folded stack of dense layers over the inputs kept.
    public var pruned: Network
    /// What was removed.
    public var log: PruningLog
    /// The settings the pruning ran with.
    public var settings: PruningSettings
    /// The fitting rows pruning used and the held-out rows it was measured on.
    public var data: TrainingData
    /// Held-out agreement of the pruned network's decisions with the original's (R² for regression).
    public var heldoutAgreement: Double
    /// Classification: held-out rows where the two networks decide the same class; nil for regression.
    public var agreeingRows: Int?
    /// Largest |difference| between their probabilities (or outputs) on the held-out rows.
    public var maxDifference: Double
    /// The original's held-out accuracy, when the held-out rows have class labels.
    public var accuracyBefore: Double?
    /// The pruned network's held-out accuracy, when the held-out rows have class labels.
    public var accuracyAfter: Double?
}
