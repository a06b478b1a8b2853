/// The sensitivity methods `distill sensitivity` can run.
public enum SensitivityMethod: String, CaseIterable, Sendable {
    case gradient, ig, lrp, permutation, sobol, morris, shapley

    /// What `all` (the default) runs: every method but Shapley values, which `--method shapley` asks for
    /// (2^d coalitions per explained row).
    public static let standard: Set<SensitivityMethod> = Set(allCases).subtracting([.shapley])
}

/// One feature's score under one method.
public struct FeatureScore: Equatable, Sendable {
    /// The raw feature's name.
    public var feature: String
    /// The method's score for the feature; larger is more important.
    public var value: Double
    /// 95% interval of the score: Sobol', Shapley, and the means of saliency, gradient × input, integrated
    /// gradients and LRP over the explained rows (nil for permutation and Morris, which have `spread`).
    public var interval: Interval?
    /// A second figure: sigma (Morris), standard deviation (permutation).
    public var spread: Double?
}

/// Runs the chosen sensitivity methods on a network and ranks its raw features under each (keys as in the
/// `--json` contract: saliency, gradient_x_input, integrated_gradients, lrp, permutation, sobol_first,
/// sobol_total, morris_mu_star), with notes (negative Sobol' estimates, the completeness gap) and the
/// Sobol' convergence table.
public struct SensitivityAnalysis: Sendable {
    /// Which methods run, and the budget and seed of each.
    public struct Options: Equatable, Sendable {
        /// The methods to run; `SensitivityMethod.standard` (all but Shapley values) by default.
        public var methods: Set<SensitivityMethod> = SensitivityMethod.standard
        /// Class name whose probability is explained (classification); nil: the most often predicted class.
        public var className: String?
        /// Sobol' base points N (a power of two keeps the net properties); 1024 by default.
        public var sobolSamples = 1024
        /// Morris trajectories r, each of d + 1 evaluations; 20 by default.
        public var morrisTrajectories = 20
        /// Quadrature points along each row's integrated-gradients path; 128 by default.
        public var integrationSteps = 128
        /// The quadrature rule of integrated gradients; Gauss–Legendre by default.
        public var integrationRule: IntegrationRule = .gaussLegendre
        /// Shuffles per feature for the permutation importance; 5 by default.
        public var permutationRepeats = 5
        /// Integrated-gradients baseline: "zeros", "mean", "median", or a raw row given in `baselineRow`.
        public var baseline = "mean"
        /// A raw row used as the integrated-gradients baseline; when set it overrides `baseline`. Nil by default.
        public var baselineRow: [Double]?
        /// The LRP rule; epsilon by default.
        public var lrpRule: LayerwiseRelevance.Rule = .epsilon
        /// Rows for the gradient methods and the permutation importance when there is no data.
        public var domainSamples = 2000
        /// Rows the per-row methods (saliency, gradient × input, integrated gradients, LRP, permutation
        /// importance) explain at most: with more rows, a seeded sample of this many; 2,000 by default
        /// (integrated gradients on a 256-256 network take about 3 ms a row on two cores).
        public var explainRows = 2000
        /// Shapley values: rows explained (a seeded sample of the rows), background rows (another), and
        /// orderings sampled per row beyond `ShapleyValues.exactLimit` features.
        public var shapleyRows = 50
        /// Background rows for the Shapley values; 32 by default.
        public var shapleyBackground = 32
        /// Orderings sampled per explained row when there are too many features for exact values; 256 by default.
        public var shapleyPermutations = 256
        /// The inputs that form an image (nil: the model's own, `Network.image`): adds `imageMaps`, with
        /// the occlusion map over a seeded sample of `occlusionRows` rows, hiding `occlusionPatch`-pixel squares.
        public var image: ImageShape?
        /// Rows sampled for the occlusion map; 500 by default.
        public var occlusionRows = 500
        /// Side of the occlusion squares, in pixels; 2 by default.
        public var occlusionPatch = 2
        /// Seed of the drawn points and of every sampled method; 1 by default.
        public var seed: UInt64 = 1

        /// Default options: the standard methods with the budgets above.
        public init() {}
    }

    /// One method's scores, most important feature first.
    public struct Ranking: Sendable {
        /// The method's name as reports show it (`saliency`, `sobol_total`, ...).
        public var method: String
        /// Every feature's score, by decreasing value (ties: schema order).
        public var scores: [FeatureScore]
    }

    /// One ranking per method run, in a fixed order (gradient methods, integrated gradients, LRP,
    /// permutation, Sobol', Morris, Shapley).
    public var rankings: [Ranking]
    /// Remarks for the reader: negative Sobol' estimates, the completeness gap, how intervals were formed.
    public var notes: [SensitivityNote]
    /// Sobol' indices from the first N/4, N/2 and N points (empty without Sobol').
    public var convergence: [SobolIndices.Convergence]
    /// The raw features' names, in schema order.
    public var featureNames: [String]
    /// The output analysed, as reports show it: "P(class)" for classification, else the output's name.
    public var target: String
    /// Statistics of the hidden neurons over the rows analysed.
    public var neurons: NeuronStatistics
    /// Rows analysed (data rows, or points drawn from the declared domain).
    public var rows: Int
    /// Rows the per-row methods explained: all `rows`, or a seeded sample of `Options.explainRows` of them.
    public var explainedRows: Int
    /// The seed of that sample.
    public var seed: UInt64
    /// For a model with an image: the mean row and the occlusion map.
    public var imageMaps: ImageMaps?
}

extension SensitivityAnalysis {
    /// What a sensitivity analysis adds for a model with an image: the mean row (drawn as the image) and the
    /// occlusion map, the mean over rows of |f(row) - f(row with a patch set to the baseline)| per pixel.
    public struct ImageMaps: Sendable {
        /// Which inputs form the image, and its size.
        public var shape: ImageShape
        /// The mean of every raw input over all the rows analysed.
        public var meanRow: [Double]
        /// Per pixel (row-major, channels together), the mean |change of the output| when its patch is hidden.
        public var occlusion: [Double]
        /// Rows the occlusion map averages over, and the side of the square hidden at a time.
        public var rows: Int
        /// The side of the hidden square, in pixels.
        public var patch: Int
    }
}

/// A remark a sensitivity analysis makes for its reader (`SensitivityNoteText` words it): how a method's
/// figures were formed, or why one looks odd.
public enum SensitivityNote: Equatable, Sendable {
    /// Integrated gradients: the largest |sum of attributions - (f(x) - f(baseline))| as a share of the
    /// change, with the quadrature steps, rule and baseline that gave it.
    case completenessGap(gap: Double, steps: Int, rule: IntegrationRule, baseline: String)
    /// A Sobol' estimate (`index`: `sobol_first` or `sobol_total`) below zero: its true value is near zero.
    case negativeSobol(index: String, feature: String, value: Double)
    /// How the Sobol' intervals were formed: evaluations, base points N, inputs d, blocks of the sequence
    /// and the convergence rate assumed from block to whole.
    case sobolIntervals(evaluations: Int, samples: Int, dimensions: Int, blocks: Int, rate: Double)
    /// How the Shapley values were formed: rows explained of all, seed, exact (the coalitions) or sampled
    /// (orderings per row), and the background rows (other rows, or the same ones when there are no others).
    case shapley(explained: Int, rows: Int, seed: UInt64, coalitions: Int?, orderings: Int, background: Int, otherRows: Bool)
    /// What the occlusion map measures: the output's label, the patch side, the baseline and the rows.
    case occlusion(target: String, patch: Int, baseline: String, rows: Int)
}
