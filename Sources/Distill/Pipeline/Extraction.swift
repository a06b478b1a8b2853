/// The main job: import the network, prepare rows, label them with the network, fit a decision-tree
/// surrogate to those labels, tidy it (merge redundant leaves, round thresholds) and measure it on
/// held-out rows.
public struct Extraction: Sendable {
    /// Everything that decides the result.
    public struct Options: Equatable, Sendable {
        public var data: TrainingData.Options
        public var tree: TreeSettings
        /// Collapse sibling leaves that predict the same class.
        public var mergeRedundantLeaves: Bool

        public init(data: TrainingData.Options = .init(), tree: TreeSettings = .init(maxDepth: 4),
                    mergeRedundantLeaves: Bool = true) {
            self.data = data
            self.tree = tree
            self.mergeRedundantLeaves = mergeRedundantLeaves
        }
    }

    public var modelPath: String
    public var network: Network
    public var options: Options
    public var data: TrainingData
    public var tree: DecisionTree
    public var evaluation: SurrogateEvaluation

    /// Runs the job on the model file at `modelPath`.
    public static func run(modelPath: String, options: Options) throws -> Extraction {
        let network = try ModelDecoder.load(path: modelPath)
        return try run(network: network, modelPath: modelPath, options: options)
    }

    /// Runs the job on an already imported network.
    public static func run(network: Network, modelPath: String, options: Options) throws -> Extraction {
        let data = try TrainingData.prepare(network: network, modelPath: modelPath, options: options.data)
        var tree = fitTree(network: network, on: data.train, settings: options.tree)
        if options.mergeRedundantLeaves { tree = MergeRedundantLeaves.apply(to: tree) }
        tree = ThresholdRounding.apply(to: tree, keeping: [data.train, data.test])
        let evaluation = SurrogateEvaluation.measure(tree: tree, network: network, on: data.test)
        return Extraction(modelPath: modelPath, network: network, options: options, data: data, tree: tree,
                          evaluation: evaluation)
    }

    /// Fits a CART tree to the network's answers on `rows` (its predicted classes, or its outputs).
    public static func fitTree(network: Network, on rows: Dataset, settings: TreeSettings) -> DecisionTree {
        let output = NetworkEvaluator(network: network).evaluate(raw: rows.values, rows: rows.rows)
        let target: TreeTarget = network.task == .classification
            ? .classes(output.predictedClasses, classCount: network.outputs.count)
            : .values(output.values, outputs: output.width)
        return TreeBuilder(settings: settings).fit(rows, target: target, outputs: network.outputs)
    }
}
