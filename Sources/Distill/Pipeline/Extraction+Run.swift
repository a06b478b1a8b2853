import Foundation

extension Extraction {
    /// Runs the job on the model file at `modelPath`.
    ///
    /// - Parameters:
    ///   - modelPath: the model file (`ModelDecoder.load(path:)`).
    ///   - options: what to fit, and where the rows come from (`options.data`).
    /// - Returns: the fitted surrogate and its measurements.
    /// - Throws: a `Diagnostic` for a model or data file that cannot be read, or a network that answers
    ///   non-finite values.
    public static func run(modelPath: String, options: Options) throws -> Extraction {
        let network = try ModelDecoder.load(path: modelPath)
        return try run(network: network, modelPath: modelPath, options: options)
    }

    /// Runs the job on an already imported network.
    ///
    /// - Parameters:
    ///   - network: the network to imitate.
    ///   - modelPath: the model's file, named in diagnostics.
    ///   - options: what to fit, and where the rows come from (`options.data`: files, rows in memory or
    ///     the declared domain).
    /// - Returns: the fitted surrogate and its measurements.
    /// - Throws: a `Diagnostic` for data that cannot be read, or a network that answers non-finite values.
    /// - Complexity: dominated by labelling `options.oraclePoints` drawn points and fitting on them.
    public static func run(network: Network, modelPath: String, options: Options) throws -> Extraction {
        try run(network: network, modelPath: modelPath, options: options, added: [])
    }

    /// Runs the job on a network and rows held in memory: fits on `rows` and measures on `test` (nil: a
    /// seeded `options.data.testFraction` of `rows` held out). Diagnostics name the network.
    ///
    /// - Parameters:
    ///   - network: the network to imitate (`ModelDecoder.load(path:)`, or built in code).
    ///   - rows: the fitting rows, with the network's `schema` (`DatasetLoader.load(path:network:label:)`).
    ///   - test: held-out rows to measure fidelity on.
    ///   - options: what to fit; `options.data`'s paths are not read.
    /// - Returns: the fitted surrogate (`surrogate`), its held-out and domain fidelity (`evaluation`) and
    ///   how it was obtained.
    /// - Throws: a `Diagnostic` when the rows do not fit the network or the network answers NaN.
    public static func run(network: Network, rows: Dataset, test: Dataset? = nil, options: Options = .init()) throws -> Extraction {
        var options = options
        options.data.rows = rows
        options.data.testRows = test
        return try run(network: network, modelPath: network.name, options: options, added: [])
    }

    /// Fits a CART tree to the network's answers on `rows` (its predicted classes, or its outputs).
    public static func fitTree(network: Network, on rows: Dataset, settings: TreeSettings) -> DecisionTree {
        TreeBuilder(settings: settings).fit(rows, target: OracleSample.label(rows, by: network), outputs: network.outputs)
    }
}
