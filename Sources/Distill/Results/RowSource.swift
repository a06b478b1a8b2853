/// Where a set of rows came from, as a listing states it (`RowSourceText` renders it): how many rows, out
/// of how many, from where, and for held-out rows split off the fitting rows, the split.
public struct RowSource: Equatable, Sendable {
    /// Where rows come from.
    public enum Origin: Equatable, Sendable {
        /// Rows a library caller gave in memory.
        case memory
        /// Rows of a CSV file at this path.
        case file(String)
        /// Points drawn uniformly from the model's declared input domain.
        case domain
    }

    /// A held-out share split off the same rows as the fitting rows.
    public struct Split: Equatable, Sendable {
        /// The share asked for (`TrainingData.Options.testFraction`).
        public var fraction: Double
        /// The seed of the split.
        public var seed: UInt64
        /// Rows of the source that was split (fitting and held-out rows together).
        public var whole: Int

        /// Creates a split description.
        public init(fraction: Double, seed: UInt64, whole: Int) {
            self.fraction = fraction
            self.seed = seed
            self.whole = whole
        }
    }

    /// Rows used.
    public var rows: Int
    /// The rows they were taken from: all of the source (nil), or `rows` of this many (for held-out rows
    /// taken evenly spaced from a split, the rows split off).
    public var total: Int?
    /// Where they come from.
    public var origin: Origin
    /// Rows taken evenly spaced from `total` (a streamed file's held-out rows) rather than split at random.
    public var evenlySpaced = false
    /// For held-out rows split off the fitting rows' source: the split ("the other N rows").
    public var split: Split?
    /// For fitting rows streamed from a file: the rows also held whole (the rest are kept as bins).
    public var streamedWhole: Int?

    /// Creates a description of `rows` rows (of `total`) from `origin`.
    public init(rows: Int, of total: Int? = nil, origin: Origin, evenlySpaced: Bool = false, split: Split? = nil,
                streamedWhole: Int? = nil) {
        self.rows = rows
        self.total = total
        self.origin = origin
        self.evenlySpaced = evenlySpaced
        self.split = split
        self.streamedWhole = streamedWhole
    }
}
