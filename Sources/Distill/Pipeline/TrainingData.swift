/// Where the rows for fitting and for held-out evaluation come from, and how they were obtained.
public struct TrainingData: Sendable {
    public var train: Dataset
    public var test: Dataset
    /// One line saying where the fitting rows came from (for listings).
    public var trainSource: String
    /// One line saying where the held-out rows came from.
    public var testSource: String

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
        public var seed: UInt64

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
            throw Diagnostic("--test-fraction must be between 0 and 1 (exclusive), found \(options.testFraction)")
        }
        var generator = SeededGenerator(seed: options.seed)
        let percent = NumberText.trimmed(options.testFraction * 100, decimals: 1)
        let heldOut = "(--test-fraction \(options.testFraction) = \(percent)%, seed \(options.seed))"
        if let dataPath = options.dataPath {
            // Without a test file the rows are split as they are read: the file's rows are held once.
            let seed = generator.next()
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
                                testSource: "the other \(heldOutRows.rows) rows \(heldOut)")
        }
        guard options.samples >= 2 else { throw Diagnostic("--samples must be at least 2, found \(options.samples)") }
        let sampler = try DomainSampler(schema: network.schema, file: modelPath)
        let pool = sampler.sample(rows: options.samples, generator: &generator)
        let poolSource = "\(pool.rows) points drawn uniformly from the model's declared input domain"
        if let testPath = options.testPath {
            let test = try DatasetLoader.load(path: testPath, network: network, label: options.label)
            return TrainingData(train: pool, test: test, trainSource: poolSource, testSource: "\(test.rows) rows of \(testPath)")
        }
        let (train, test) = pool.split(testFraction: options.testFraction, seed: generator.next())
        return TrainingData(train: train, test: test, trainSource: "\(train.rows) of the \(poolSource)",
                            testSource: "the other \(test.rows) rows \(heldOut)")
    }
}
