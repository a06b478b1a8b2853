/// Where the rows for fitting and for held-out evaluation come from, and how they were obtained.
public struct TrainingData: Sendable {
    /// The fitting rows (for a streamed file, evenly spaced rows of them; see `fittingRows`).
    public var train: Dataset
    /// The held-out rows the surrogate is measured on.
    public var test: Dataset
    /// One line saying where the fitting rows came from (for listings).
    public var trainSource: String
    /// One line saying where the held-out rows came from.
    public var testSource: String
    /// A streamed data file's fitting rows as bins with the network's answers (`train` then holds evenly
    /// spaced rows of them); nil when the rows are held whole.
    var streamed: StreamedRows?
    /// The fitting rows the tree surrogate is fitted on: all of a streamed file's, else `train`'s.
    public var fittingRows: Int { streamed?.rows ?? train.rows }

    init(train: Dataset, test: Dataset, trainSource: String, testSource: String, streamed: StreamedRows? = nil) {
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

    /// Loads or samples the rows for `network` (whose model file is `modelPath`).
    public static func prepare(network: Network, modelPath: String, options: Options) throws -> TrainingData {
        guard options.testFraction > 0, options.testFraction < 1 else {
            throw Diagnostic("{testFraction} must be between 0 and 1 (exclusive), found \(options.testFraction)")
        }
        var generator = SeededGenerator(seed: options.seed)
        let percent = NumberText.trimmed(options.testFraction * 100, decimals: 1)
        let heldOut = "({testFraction} \(options.testFraction) = \(percent)%, seed \(options.seed))"
        /// The note, saying so when rounding to whole rows (at least one held out, one kept) moved the
        /// share by more than a point.
        func noted(held: Int, of total: Int) -> String {
            guard total > 0, abs(Double(held) / Double(total) - options.testFraction) > 0.01 else { return heldOut }
            let share = NumberText.trimmed(Double(held) / Double(total) * 100, decimals: 1)
            return "({testFraction} \(options.testFraction) = \(percent)%, which leaves \(held) of \(total) rows = \(share)% in whole rows, seed \(options.seed))"
        }
        if let rows = options.rows {
            try check(rows, network: network, what: "the fitting rows")
            if let test = options.testRows {
                try check(test, network: network, what: "the held-out rows")
                return TrainingData(train: rows, test: test, trainSource: "\(rows.rows) rows given in memory",
                                    testSource: "\(test.rows) rows given in memory")
            }
            guard rows.rows >= 2 else { throw Diagnostic("need at least 2 rows to hold some out, found \(rows.rows)") }
            let parts = rows.split(testFraction: options.testFraction, seed: generator.next())
            let (train, test) = (parts.train, parts.test)
            return TrainingData(train: train, test: test, trainSource: "\(train.rows) of the \(rows.rows) rows given in memory",
                                testSource: "the other \(test.rows) rows \(noted(held: test.rows, of: rows.rows))")
        }
        if let dataPath = options.dataPath {
            // Without a test file the rows are split as they are read: the file's rows are held once.
            let seed = generator.next()
            if options.streaming != .never,
               let streamed = try streamed(dataPath, network: network, options: options, seed: seed, heldOut: heldOut) {
                return streamed
            }
            let (train, heldOutRows) = try DatasetLoader.loadParts(path: dataPath, network: network, label: options.label) { rows in
                options.testPath == nil && rows >= 2 ? Dataset.heldOut(rows: rows, testFraction: options.testFraction, seed: seed) : nil
            }
            if let testPath = options.testPath {
                let test = try DatasetLoader.load(path: testPath, network: network, label: options.label)
                return TrainingData(train: train, test: test, trainSource: "\(train.rows) rows of \(dataPath)",
                                    testSource: "\(test.rows) rows of \(testPath)")
            }
            guard heldOutRows.rows > 0 else {
                throw Diagnostic(file: dataPath, "need at least 2 rows to hold some out, found \(train.rows)")
            }
            return TrainingData(train: train, test: heldOutRows,
                                trainSource: "\(train.rows) of the \(train.rows + heldOutRows.rows) rows of \(dataPath)",
                                testSource: "the other \(heldOutRows.rows) rows \(noted(held: heldOutRows.rows, of: train.rows + heldOutRows.rows))")
        }
        guard options.samples >= 2 else { throw Diagnostic("{samples} must be at least 2, found \(options.samples)") }
        try ResourceLimit.check("samples", options.samples, items: ResourceLimit.product(options.samples, network.schema.count + network.outputs.count),
                                bytesEach: 16, what: "its points and the network's answers")
        let sampler = try DomainSampler(schema: network.schema, file: modelPath)
        let pool = sampler.sample(rows: options.samples, generator: &generator)
        let poolSource = "\(pool.rows) points drawn uniformly from the model's declared input domain"
        if let testPath = options.testPath {
            let test = try DatasetLoader.load(path: testPath, network: network, label: options.label)
            return TrainingData(train: pool, test: test, trainSource: poolSource, testSource: "\(test.rows) rows of \(testPath)")
        }
        let parts = pool.split(testFraction: options.testFraction, seed: generator.next())
        let (train, test) = (parts.train, parts.test)
        return TrainingData(train: train, test: test, trainSource: "\(train.rows) of the \(poolSource)",
                            testSource: "the other \(test.rows) rows \(noted(held: test.rows, of: pool.rows))")
    }

    /// Rows given in memory must have the network's features and at least one row.
    private static func check(_ rows: Dataset, network: Network, what: String) throws {
        guard rows.schema == network.schema else {
            throw Diagnostic("\(what) have the features \(rows.schema.features.map(\.name)); the network reads \(network.schema.features.map(\.name))")
        }
        guard rows.rows >= 1 else { throw Diagnostic("\(what) hold no rows") }
    }

    /// A streamed data file's rows (`StreamedRows`), with the test file's (evenly spaced, at most
    /// `StreamedRows.heldOutRows`) when there is one; nil when the file is held whole.
    private static func streamed(_ dataPath: String, network: Network, options: Options, seed: UInt64,
                                 heldOut: String) throws -> TrainingData? {
        // A file under 64 MB is not even counted for it.
        guard options.streaming == .always || (FileInput.size(path: dataPath) ?? 0) >= 1 << 26,
              let (train, kept, streamed, fileRows) = try StreamedRows.load(
                path: dataPath, network: network, label: options.label, testFraction: options.testFraction,
                holdOut: options.testPath == nil, seed: seed, always: options.streaming == .always) else { return nil }
        let trainSource = "\(streamed.rows) of the \(fileRows) rows of \(dataPath), streamed (held as bins, \(train.rows) whole)"
        if let testPath = options.testPath {
            let test = try DatasetLoader.loadEvenlySpaced(path: testPath, network: network, label: options.label,
                                                           rows: StreamedRows.heldOutRows)
            let source = test.data.rows == test.fileRows ? "\(test.data.rows) rows of \(testPath)"
                : "\(test.data.rows) evenly spaced of the \(test.fileRows) rows of \(testPath)"
            return TrainingData(train: train, test: test.data, trainSource: trainSource, testSource: source, streamed: streamed)
        }
        let held = fileRows - streamed.rows
        let source = kept.rows == held ? "the other \(held) rows \(heldOut)" : "\(kept.rows) evenly spaced of the other \(held) rows \(heldOut)"
        return TrainingData(train: train, test: kept, trainSource: trainSource, testSource: source, streamed: streamed)
    }
}
