extension TrainingData {
    /// Loads or samples the rows for `network` (whose model file is `modelPath`).
    public static func prepare(network: Network, modelPath: String, options: Options) throws -> TrainingData {
        guard options.testFraction > 0, options.testFraction < 1 else {
            throw Diagnostic("{testFraction} must be between 0 and 1 (exclusive), found \(options.testFraction)")
        }
        var generator = SeededGenerator(seed: options.seed)
        func split(_ whole: Int) -> RowSource.Split { RowSource.Split(fraction: options.testFraction, seed: options.seed, whole: whole) }
        if let rows = options.rows {
            try check(rows, network: network, what: "the fitting rows")
            if let test = options.testRows {
                try check(test, network: network, what: "the held-out rows")
                return TrainingData(train: rows, test: test, trainSource: RowSource(rows: rows.rows, origin: .memory),
                                    testSource: RowSource(rows: test.rows, origin: .memory))
            }
            guard rows.rows >= 2 else { throw Diagnostic("need at least 2 rows to hold some out, found \(rows.rows)") }
            let parts = rows.split(testFraction: options.testFraction, seed: generator.next())
            let (train, test) = (parts.train, parts.test)
            return TrainingData(train: train, test: test, trainSource: RowSource(rows: train.rows, of: rows.rows, origin: .memory),
                                testSource: RowSource(rows: test.rows, origin: .memory, split: split(rows.rows)))
        }
        if let dataPath = options.dataPath {
            // Without a test file the rows are split as they are read: the file's rows are held once.
            let seed = generator.next()
            if options.streaming != .never,
               let streamed = try streamed(dataPath, network: network, options: options, seed: seed) {
                return streamed
            }
            let (train, heldOutRows) = try DatasetLoader.loadParts(path: dataPath, network: network, label: options.label) { rows in
                options.testPath == nil && rows >= 2 ? Dataset.heldOut(rows: rows, testFraction: options.testFraction, seed: seed) : nil
            }
            if let testPath = options.testPath {
                let test = try DatasetLoader.load(path: testPath, network: network, label: options.label)
                return TrainingData(train: train, test: test, trainSource: RowSource(rows: train.rows, origin: .file(dataPath)),
                                    testSource: RowSource(rows: test.rows, origin: .file(testPath)))
            }
            guard heldOutRows.rows > 0 else {
                throw Diagnostic(file: dataPath, "need at least 2 rows to hold some out, found \(train.rows)")
            }
            return TrainingData(train: train, test: heldOutRows,
                                trainSource: RowSource(rows: train.rows, of: train.rows + heldOutRows.rows, origin: .file(dataPath)),
                                testSource: RowSource(rows: heldOutRows.rows, origin: .file(dataPath), split: split(train.rows + heldOutRows.rows)))
        }
        guard options.samples >= 2 else { throw Diagnostic("{samples} must be at least 2, found \(options.samples)") }
        try ResourceLimit.check("samples", options.samples, items: ResourceLimit.product(options.samples, network.schema.count + network.outputs.count),
                                bytesEach: 16, what: "its points and the network's answers")
        let sampler = try DomainSampler(schema: network.schema, file: modelPath)
        let pool = sampler.sample(rows: options.samples, generator: &generator)
        if let testPath = options.testPath {
            let test = try DatasetLoader.load(path: testPath, network: network, label: options.label)
            return TrainingData(train: pool, test: test, trainSource: RowSource(rows: pool.rows, origin: .domain),
                                testSource: RowSource(rows: test.rows, origin: .file(testPath)))
        }
        let parts = pool.split(testFraction: options.testFraction, seed: generator.next())
        let (train, test) = (parts.train, parts.test)
        return TrainingData(train: train, test: test, trainSource: RowSource(rows: train.rows, of: pool.rows, origin: .domain),
                            testSource: RowSource(rows: test.rows, origin: .domain, split: split(pool.rows)))
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
    private static func streamed(_ dataPath: String, network: Network, options: Options, seed: UInt64) throws -> TrainingData? {
        // A file under 64 MB is not even counted for it.
        guard options.streaming == .always || (FileInput.size(path: dataPath) ?? 0) >= 1 << 26,
              let (train, kept, streamed, fileRows) = try StreamedRows.load(
                path: dataPath, network: network, label: options.label, testFraction: options.testFraction,
                holdOut: options.testPath == nil, seed: seed, always: options.streaming == .always) else { return nil }
        let trainSource = RowSource(rows: streamed.rows, of: fileRows, origin: .file(dataPath), streamedWhole: train.rows)
        if let testPath = options.testPath {
            let test = try DatasetLoader.loadEvenlySpaced(path: testPath, network: network, label: options.label,
                                                           rows: StreamedRows.heldOutRows)
            let spaced = test.data.rows != test.fileRows
            let source = RowSource(rows: test.data.rows, of: spaced ? test.fileRows : nil, origin: .file(testPath), evenlySpaced: spaced)
            return TrainingData(train: train, test: test.data, trainSource: trainSource, testSource: source, streamed: streamed)
        }
        let held = fileRows - streamed.rows
        let split = RowSource.Split(fraction: options.testFraction, seed: options.seed, whole: fileRows)
        let source = RowSource(rows: kept.rows, of: kept.rows == held ? nil : held, origin: .file(dataPath), evenlySpaced: kept.rows != held,
                               split: split)
        return TrainingData(train: train, test: kept, trainSource: trainSource, testSource: source, streamed: streamed)
    }
}
