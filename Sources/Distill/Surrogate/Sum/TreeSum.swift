/// A sum of small trees (FIGS: Tan et al., "Fast interpretable greedy-tree sums", arXiv:2201.11931, 2022):
/// a row's scores are `base`, plus the linear `terms` of raw inputs when the sum has a linear start, plus,
/// from every tree, the value of the one leaf the row reaches.
///
/// Regression: the scores are the outputs. Classification with two classes: one score, the share of the
/// second class (`outputs[1]`), which wins when its score is above 1/2. With more classes: one score per
/// class, and the highest wins (the first on ties). Each tree is stored as a regression `DecisionTree`
/// whose leaf `value`s are its additions, one per score, and whose `samples` count the fitting points.
public struct TreeSum: Equatable, Sendable {
    /// Whether the sum predicts classes or values.
    public var task: PredictionTask
    /// The raw features the splits read.
    public var schema: FeatureSchema
    /// Class names or output names, as in the network.
    public var outputs: [String]
    /// The scores every row starts from, `scoreCount` of them: the fitting targets' means, less the linear
    /// start's terms at the inputs' means when there is one.
    public var base: [Double]
    /// The linear start: per score, terms in raw units added to its base (in order, before the trees);
    /// empty when the start is constant.
    public var terms: [[LinearTerm]]
    /// The trees, in the order they were started.
    public var trees: [DecisionTree]

    /// Creates a sum from its parts, stored as given (not checked); a constant start without `terms`.
    public init(task: PredictionTask, schema: FeatureSchema, outputs: [String], base: [Double], terms: [[LinearTerm]] = [],
                trees: [DecisionTree]) {
        self.task = task
        self.schema = schema
        self.outputs = outputs
        self.base = base
        self.terms = terms.allSatisfy(\.isEmpty) ? [] : terms
        self.trees = trees
    }

    /// Whether the scores start from a linear model of raw inputs (one leaf of the sum's size).
    public var hasLinearStart: Bool { !terms.isEmpty }

    /// The start of each score: its base plus its terms, as a leaf's linear model.
    public var start: [LeafModel] {
        base.indices.map { LeafModel(intercept: base[$0], terms: hasLinearStart ? terms[$0] : []) }
    }

    /// Scores per row: the outputs (regression), one for two classes, else one per class.
    public var scoreCount: Int { base.count }

    /// What the scores are named (each tree's `outputs`): the outputs, or the second class alone for two
    /// classes.
    public static func scoreNames(task: PredictionTask, outputs: [String]) -> [String] {
        task == .classification && outputs.count == 2 ? [outputs[1]] : outputs
    }

    /// How many scores a sum over `outputs` keeps (`scoreNames`).
    public static func scoreCount(task: PredictionTask, outputs: Int) -> Int {
        task == .classification && outputs == 2 ? 1 : outputs
    }

    /// Leaves over all the trees, and one for a linear start: the sum's size, as a reader counts rules.
    public var leafCount: Int { trees.reduce(hasLinearStart ? 1 : 0) { $0 + $1.leafCount } }

    /// The scores of one raw row.
    public func scores(for row: UnsafeBufferPointer<Double>) -> [Double] {
        var scores = base
        if hasLinearStart {
            for k in scores.indices { for term in terms[k] { scores[k] += term.coefficient * row[term.feature] } }
        }
        for tree in trees {
            let value = tree.nodes[tree.leaf(for: row)].value
            for k in scores.indices { scores[k] += value[k] }
        }
        return scores
    }

    /// The class the scores give: for one score, the second class when it is above 1/2; else the highest
    /// score, the first on ties.
    public func predictedClass(scores: [Double]) -> Int {
        if scores.count == 1 { return scores[0] > 0.5 ? 1 : 0 }
        return Agreement.argmax(scores)
    }

    /// Class probabilities from scores: each score clipped to [0, 1] and the clipped scores scaled to sum
    /// to 1 (equal shares when every one is 0); for one score, `[1 - p, p]` with p the clipped score.
    public func probabilities(scores: [Double]) -> [Double] {
        if scores.count == 1 {
            let p = min(max(scores[0], 0), 1)
            return [1 - p, p]
        }
        let clipped = scores.map { min(max($0, 0), 1) }
        let total = clipped.reduce(0, +)
        return total > 0 ? clipped.map { $0 / total } : clipped.map { _ in 1 / Double(clipped.count) }
    }

    /// Scores of every row, row-major.
    public func scores(raw: [Double], rows: Int) -> [Double] {
        let width = schema.count
        var result: [Double] = []
        result.reserveCapacity(rows * scoreCount)
        raw.withUnsafeBufferPointer { all in
            for row in 0..<rows { result += scores(for: UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])) }
        }
        return result
    }

    /// Predicted class per row (classification).
    public func predictClasses(raw: [Double], rows: Int) -> [Int] {
        let all = scores(raw: raw, rows: rows), width = scoreCount
        return (0..<rows).map { predictedClass(scores: Array(all[($0 * width)..<(($0 + 1) * width)])) }
    }

    /// Predicted outputs per row, row-major: the scores (regression) or the class probabilities.
    public func predictValues(raw: [Double], rows: Int) -> [Double] {
        let all = scores(raw: raw, rows: rows)
        guard task == .classification else { return all }
        let width = scoreCount
        return (0..<rows).flatMap { probabilities(scores: Array(all[($0 * width)..<(($0 + 1) * width)])) }
    }
}
