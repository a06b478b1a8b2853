/// Tree sums (`TreeSumBuilder`) fitted on the fitter's points.
extension SurrogateFitter {
    /// Operations (histogram additions) a tree sum's growth may take: its points are the fitting points,
    /// or as many of them, evenly spaced, as keep it within this.
    static let treeSumOperations = 2_000_000_000.0

    /// The tree sum (`TreeSumBuilder`) of at most the size's leaves over all its trees, fitted to the
    /// network's answers (the class's indicator: one for two classes, else one per class); its thresholds
    /// rounded against the data rows; with linear `leaves` (regression), a linear start of up to their
    /// terms. Every tree of the sum is searched at every step, so the points are thinned to keep the work
    /// within `treeSumOperations`. Nil when a feature cannot be binned.
    func fitTreeSum(_ settings: TreeSettings, leaves: LeafKind) -> TreeSum? {
        let budget = Self.treeSumLeaves(settings)
        let outputs = network.outputs
        let scoreCount = TreeSum.scoreCount(task: network.task, outputs: outputs.count)
        let sample = fitting.evenlySpaced(treeSumPoints(leaves: budget), keeping: addedRange)
        let targets: [Double]
        switch sample.target {
        case let .values(values, _): targets = values
        case let .classes(labels, count):
            targets = scoreCount == 1 ? labels.map { $0 == 1 ? 1 : 0 }
                : labels.flatMap { label in (0..<count).map { $0 == label ? 1.0 : 0 } }
        }
        var builder = TreeSumBuilder(maxLeaves: budget, minSamplesLeaf: settings.minSamplesLeaf, allowedFeatures: settings.allowedFeatures,
                                     maxBins: settings.maxBins)
        if network.task == .regression, case let .linear(maxTerms) = leaves { builder.maxTerms = maxTerms }
        guard var sum = builder.fit(sample.points, targets: targets, scoreCount: scoreCount, task: network.task, outputs: outputs) else {
            return nil
        }
        sum.trees = sum.trees.map { ThresholdRounding.apply(to: $0, keeping: [data.train, data.test], gaps: data.streamed?.gap) }
        return sum
    }

    /// The leaves a tree sum may have: those asked for, else as many as the depth gives a tree (16 by default).
    static func treeSumLeaves(_ settings: TreeSettings) -> Int {
        max(2, settings.maxLeaves ?? settings.maxDepth.map { 1 << min($0, 20) } ?? 16)
    }

    /// How many of the fitting points a tree sum of `leaves` leaves grows on: all of them, or as many as
    /// keep its work within `treeSumOperations` (each step searches every tree and a new one: about an
    /// eighth of the leaves in trees, and at least 3 searches, on the samples), and at least 5,000; past
    /// 64 inputs (`Extraction.Options.fullPointsInputs`) only while that is within 4 times the work (784
    /// pixels and 10 classes at 64 leaves keep 1,992).
    func treeSumPoints(leaves: Int) -> Int {
        Self.treeSumPoints(leaves: leaves, features: network.schema.count,
                           scores: TreeSum.scoreCount(task: network.task, outputs: network.outputs.count), available: fitting.points.rows)
    }

    /// `treeSumPoints(leaves:)` for `features` inputs, `scores` scores per point and `available` fitting points.
    static func treeSumPoints(leaves: Int, features: Int, scores: Int, available: Int) -> Int {
        let perPoint = Double(features * scores) * Double(leaves) * Double(max(leaves / 8, 3))
        let within = treeSumOperations / perPoint
        let floor = features > Extraction.Options.fullPointsInputs ? min(5_000, 4 * within) : 5_000
        return Int(min(Double(available), max(floor, within)))
    }
}
