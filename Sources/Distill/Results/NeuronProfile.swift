import Foundation

/// What one hidden neuron responds to, over data rows (`distill neurons`): its activation statistics, the
/// inputs that move it most (mean |gradient x (input - mean)| on the rows, exact backpropagation), the
/// rows that activate it most and least (dataset examples), the input inside the data's box that
/// maximises it (projected gradient ascent from several starts: the tabular form of feature
/// visualisation), and a rule of one or two conditions saying when it is active, with that rule's
/// agreement on the rows.
public struct NeuronProfile: Equatable, Sendable {
    /// "N2.7": the 7th unit (from 1) of the 2nd hidden dense layer.
    public var name: String
    /// Index of the dense layer in `Network.layers`, its place among the hidden layers (from 1), and the
    /// unit in it (from 0).
    public var layer: Int
    /// The layer's place among the hidden layers, from 1.
    public var ordinal: Int
    /// The unit in the layer, from 0.
    public var unit: Int
    /// Mean activation over the rows.
    public var mean: Double
    /// Population standard deviation of the activation over the rows.
    public var standardDeviation: Double
    /// Lowest activation over the rows (0 without rows).
    public var minimum: Double
    /// Highest activation over the rows (0 without rows).
    public var maximum: Double
    /// Share of rows where the neuron is active: its activation above `threshold`.
    public var activeShare: Double
    /// 0 for activations that are 0 below a kink (ReLU and kin) when some rows are at or below it; else
    /// the median activation ("active" then means above its median).
    public var threshold: Double
    /// Raw features by mean |gradient x (input - mean)|, largest first (the top 3).
    public var strongestInputs: [InputScore]
    /// Data rows (from 0) with the highest and lowest activations (5 each), with the activation.
    public var mostActive: [RowActivation]
    /// The 5 rows with the lowest activations, lowest first.
    public var leastActive: [RowActivation]
    /// The highest activation found inside the data's box, and the raw input that gives it.
    public var maximised: Maximum
    /// "active when" conditions (tests on raw features, at most 2) and their agreement with "active".
    public var rule: [RuleTest]
    /// Share of the rows on which `rule` agrees with "active".
    public var ruleAgreement: Double

    /// A raw feature (from 0) and how strongly it moves a neuron or group.
    public struct InputScore: Equatable, Sendable {
        /// The raw feature's index, from 0.
        public var feature: Int
        /// Mean |gradient x (input - mean)| over the rows (one-hot columns summed per feature).
        public var score: Double
    }

    /// A data row (from 0) and a neuron's or group's activation on it.
    public struct RowActivation: Equatable, Sendable {
        /// The row's index in the data, from 0.
        public var row: Int
        /// The activation on that row.
        public var activation: Double
    }

    /// An activation and the raw input that gives it.
    public struct Maximum: Equatable, Sendable {
        /// The activation reached.
        public var activation: Double
        /// The raw row that reaches it.
        public var inputs: [Double]
    }
}
