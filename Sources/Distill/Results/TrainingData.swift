/// Where the rows for fitting and for held-out evaluation come from, and how they were obtained.
public struct TrainingData: Sendable {
    /// The fitting rows (for a streamed file, evenly spaced rows of them; see `fittingRows`).
    public var train: Dataset
    /// The held-out rows the surrogate is measured on.
    public var test: Dataset
    /// Where the fitting rows came from (for listings).
    public var trainSource: RowSource
    /// Where the held-out rows came from.
    public var testSource: RowSource
    /// A streamed data file's fitting rows as bins with the network's answers (`train` then holds evenly
    /// spaced rows of them); nil when the rows are held whole.
    var streamed: StreamedRows?
    /// The fitting rows the tree surrogate is fitted on: all of a streamed file's, else `train`'s.
    public var fittingRows: Int { streamed?.rows ?? train.rows }

    init(train: Dataset, test: Dataset, trainSource: RowSource, testSource: RowSource, streamed: StreamedRows? = nil) {
        self.train = train
        self.test = test
        self.trainSource = trainSource
        self.testSource = testSource
        self.streamed = streamed
    }

    /// Whether a data file's rows are streamed (read in blocks and kept as bins) or held whole.
    public enum Streaming: String, CaseIterable, Sendable {
        /// Streamed when its values would take more than a quarter of the machine's memory.
        case automatic = "auto"
        case always
        case never
    }

    /// Options that decide the rows.
    public struct Options: Equatable, Sendable {
        /// CSV of fitting rows; nil to sample the model's declared domain.
        public var dataPath: String?
        /// CSV of held-out rows; nil to hold out part of the fitting rows.
        public var testPath: String?
        /// Ground-truth column, if any.
        public var label: String?
        /// Share of rows held out when no test file is given.
        public var testFraction: Double
        /// Rows drawn from the declared domain when there is no data file.
        public var samples: Int
        /// Seed of the held-out split and of the points drawn from the domain.
        public var seed: UInt64
        /// Whether the data file is streamed.
        public var streaming: Streaming = .automatic
        /// Fitting rows held in memory (from a library caller); when set, `dataPath` is not read.
        public var rows: Dataset?
        /// Held-out rows held in memory; when set, `testPath` is not read. Without held-out rows, a seeded
        /// `testFraction` of `rows` is held out.
        public var testRows: Dataset?

        /// Creates options; by default the rows are 10,000 points drawn from the declared domain, a quarter
        /// held out, seed 1, streaming automatic, no rows in memory.
        public init(dataPath: String? = nil, testPath: String? = nil, label: String? = nil,
                    testFraction: Double = 0.25, samples: Int = 10_000, seed: UInt64 = 1) {
            self.dataPath = dataPath
            self.testPath = testPath
            self.label = label
            self.testFraction = testFraction
            self.samples = samples
            self.seed = seed
        }
    }
}
