import Foundation

/// Everything distill can say about one row's decision (`distill explain`): the network's answer, three
/// attributions of the explained output to the raw features (interventional Shapley values, integrated
/// gradients from the background's mean, LRP), the surrogate rule the row falls into (with a surrogate), and
/// the nearest counterfactual inside the domain: the closest point found (largest change of any
/// feature, relative to its range) where the network decides another class.
public struct RowExplanation: Sendable {
    /// What to explain and with what: the class, the background, the surrogate, certification, image maps
    /// and neuron groups.
    public struct Options: Sendable {
        /// The class whose probability is explained (classification); nil: the row's predicted class.
        public var className: String?
        /// Background rows for Shapley values and the integrated-gradients baseline: a seeded sample of
        /// this many, or nil for all of them.
        public var backgroundRows: Int?
        /// Gauss–Legendre points of the integrated-gradients path; 64 by default.
        public var integrationSteps = 64
        /// Seed of the background sample, the points drawn when there is no data, and the sampled Shapley
        /// values; 1 by default.
        public var seed: UInt64 = 1
        /// The surrogate whose rule is looked up (needs a data file); nil: none.
        public var surrogate: Extraction.Options?
        /// With a surrogate: certify it (`Extraction.certify`) and say whether the row lies in a certified
        /// box of its rule; nil: not certified.
        public var certify: RuleCertifier.Options?
        /// The inputs that are the pixels of an image; nil: the model's own (`Network.image`), if any. With
        /// an image the explanation adds the occlusion map, hiding `patch x patch` squares (set to the
        /// background's mean) one at a time.
        public var image: ImageShape?
        /// Side of the occlusion squares, in pixels (at least 1); 2 by default.
        public var patch = 2
        /// Groups of neurons (`NeuronGroups`, found over the data rows) of hidden layer `groupLayer` (from 1;
        /// nil: the last) to attribute the row's decision to; nil: none.
        public var groups: Int?
        /// The hidden layer (from 1) whose neurons are grouped; nil: the last hidden layer.
        public var groupLayer: Int?

        /// Default options: the predicted class, all background rows, 64 integration steps, seed 1, no
        /// surrogate, no certification, the model's own image if any, 2-pixel patches, no groups.
        public init() {}
    }

    /// The nearest point found where the network decides otherwise.
    public struct Counterfactual: Equatable, Sendable {
        /// The point, a raw row.
        public var inputs: [Double]
        /// The network's outputs at the point.
        public var outputs: [Double]
        /// The largest change of any continuous feature, as a share of its range in the domain.
        public var distance: Double
    }

    /// The network explained.
    public var network: Network
    /// The raw row explained (a value per input feature).
    public var row: [Double]
    /// The network's outputs at the row (probabilities, or regression outputs).
    public var outputs: [Double]
    /// The output explained.
    public var target: Int
    /// Interventional Shapley values of the explained output over the background, per raw feature.
    public var shapley: ShapleyValues.Explanation
    /// Integrated gradients from the background's mean to the row, per raw feature.
    public var integratedGradients: [Double]
    /// The gradient of the explained output at the row, per raw feature (one-hot columns summed).
    public var saliency: [Double]
    /// Layer-wise relevance (epsilon rule) of the explained output, per raw feature (one-hot columns summed).
    public var lrp: [Double]
    /// The surrogate fitted (with `Options.surrogate`) and the name of its rule that decides the row ("R3").
    public var surrogate: Extraction?
    /// The name of the surrogate's rule that decides the row; nil without a surrogate, or for a tree with
    /// linear leaves.
    public var ruleName: String?
    /// With `Options.certify`: whether the row lies in a certified box of its rule, and the rule's certified
    /// share of mass.
    public var certification: RowCertification?

    /// Whether the row lies in a certified box of its rule, and the rule's certified share of mass.
    public struct RowCertification: Equatable, Sendable {
        /// Whether the row lies in one of the rule's certified boxes.
        public var rowCertified: Bool
        /// The rule's certified share of mass (0 to 1).
        public var ruleCertifiedMass: Double
    }
    /// With `Options.image`: per pixel, how much the explained output falls when the patch holding it is
    /// set to the background's mean; and the image's size.
    public var occlusion: [Double]?
    /// The image the occlusion map covers (`Options.image`, else the model's own); nil without one.
    public var image: ImageShape?
    /// The nearest counterfactual (classification only); nil for regression or when the search finds none.
    public var counterfactual: Counterfactual?
    /// With `Options.groups`: the groups, and the row's decision attributed to them.
    public var groups: NeuronGroups?
    /// The row's decision attributed to `groups`; nil without groups.
    public var groupAttribution: NeuronGroups.RowAttribution?
    /// Rows of the background and how they were chosen.
    public var backgroundRows: Int
    /// How the background was chosen, in words: "rows of the data" or "drawn from the declared domain".
    public var backgroundSource: String
}
