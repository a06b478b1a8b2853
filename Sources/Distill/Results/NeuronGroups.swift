import Foundation

/// Groups of neurons of one hidden layer that fire together: the layer's activations over the rows
/// factorised into `count` non-negative parts (`NonnegativeFactorization`; ReLU activations as they are,
/// others shifted by each unit's minimum to be non-negative, which `shifted` says), each part described
/// like a neuron (the factorisation of k parts extends that of k - 1): its units (the largest weights of the part), its activation over the rows (the part's
/// coefficient), the rows where it is strongest, a rule for when it is above its median, and the inputs
/// that move its direction (Σ_u H[k, u] a_u) most. With the share of the activations' variance that 1 to
/// 8 groups explain, so the number can be chosen.
public struct NeuronGroups: Sendable {
    /// A unit of the layer (from 0) and its share of a group's weight.
    public struct UnitWeight: Equatable, Sendable {
        /// The unit's index in the layer, from 0.
        public var unit: Int
        /// The unit's part H[k, u] divided by the sum of the group's row of H (0 to 1).
        public var weight: Double
    }

    /// One group of neurons: a part of the factorisation, described like a neuron.
    public struct Group: Sendable {
        /// "G2.3": the 3rd group (from 1) of the 2nd hidden layer.
        public var name: String
        /// Units (from 0) by their weight in the group, largest first (at most 5), weights summing to 1 over
        /// all of the group's units.
        public var units: [UnitWeight]
        /// Mean of the group's coefficient (its activation) over the rows.
        public var mean: Double
        /// The 5 rows with the highest coefficient, as indices into the data given to `find` (from 0).
        public var mostActive: [NeuronProfile.RowActivation]
        /// Conditions on raw features (at most 2) for the coefficient being above its median; empty when no
        /// test agrees better than "never".
        public var rule: [RuleTest]
        /// Share of the rows on which `rule` agrees with "above the median".
        public var ruleAgreement: Double
        /// The 3 raw features that move the group's direction (Σ_u H[k, u] a_u) most, by mean
        /// |gradient x (input - mean)|, largest first.
        public var strongestInputs: [NeuronProfile.InputScore]
        /// The group's share of the decision's attribution at this layer: mean over the rows of
        /// |Σ_u ∂f/∂a_u W[row, k] H[k, u]| over the mean of those magnitudes summed over the groups (f: the
        /// row's predicted class's probability, or the first output of a regression).
        public var attributionShare: Double
    }

    /// Index of the dense layer in `Network.layers`.
    public var layer: Int
    /// The layer's place among the hidden layers, from 1.
    public var ordinal: Int
    /// Whether the activations were shifted by each unit's minimum (some unit had a negative activation).
    public var shifted: Bool
    /// Rows the factorisation used (at most `maxRows`, evenly spaced).
    public var rows: Int
    /// Explained variance with 1, 2, ... 8 groups (at most as many as units).
    public var explained: [Double]
    /// The groups, `min(count, units)` of them, in the factorisation's order.
    public var groups: [Group]
    /// How far the groups' attributions fall from the layer's, Σ_u ∂f/∂a_u (a_u - shift_u): the mean over
    /// the rows of |their sum - the layer's| over the mean |layer's| (0 when the factorisation is exact).
    public var attributionGap: Double
    /// The factorisation (its parts H, `groups.count x units`) and each unit's shift (its minimum when
    /// `shifted`, else 0): what `attribution(of:)` needs to place a new row.
    public var factors: NonnegativeFactorization
    /// Each unit's shift: its minimum over the rows when `shifted`, else 0.
    public var shifts: [Double]

    /// One row's decision attributed to the groups of a layer: its coefficient on each group, each group's
    /// attribution (Σ_u ∂f/∂a_u w_k H[k, u]) and the layer's own (Σ_u ∂f/∂a_u (a_u - shift_u)).
    public struct RowAttribution: Equatable, Sendable {
        /// The row's non-negative coefficient on each group.
        public var coefficients: [Double]
        /// Each group's attribution, Σ_u ∂f/∂a_u w_k H[k, u].
        public var attributions: [Double]
        /// The layer's attribution, Σ_u ∂f/∂a_u (a_u - shift_u).
        public var layerAttribution: Double
    }
}
