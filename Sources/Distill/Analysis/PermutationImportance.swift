/// Permutation importance in terms of fidelity: the share of rows whose network decision changes when
/// one raw feature's column is shuffled (regression: 1 - R² of the outputs against the unshuffled
/// ones), over several seeded shuffles; mean and standard deviation per feature, and how far the output
/// moves (`Score.shift`), which orders the features whose decisions change equally often.
public enum PermutationImportance {
    /// One feature's importance: the mean over the shuffles and their sample standard deviation.
    public struct Score: Sendable {
        /// Mean over the shuffles of the share of changed decisions (1 - R² for regression).
        public var mean: Double
        /// Sample standard deviation over the shuffles (0 for a single shuffle).
        public var sd: Double
        /// Mean over the shuffles and rows of how far the network's output moves: the absolute change of
        /// the probability of the class it gives the unshuffled row (regression: of the outputs, averaged
        /// over them, so the output of the largest scale weighs most). It orders features whose decisions
        /// seldom change: where many inputs say the same thing (the pixels of an image), shuffling any one
        /// of them changes no decision.
        public var shift: Double = 0
    }

    /// Feature indices, most important first: by `mean`, then by `shift`, then in schema order.
    public static func ranking(_ scores: [Score]) -> [Int] {
        scores.indices.sorted { a, b in
            if scores[a].mean != scores[b].mean { return scores[a].mean > scores[b].mean }
            if scores[a].shift != scores[b].shift { return scores[a].shift > scores[b].shift }
            return a < b
        }
    }

    /// Measures each raw feature's permutation importance.
    /// - Parameters:
    ///   - network: The network whose decisions are compared.
    ///   - data: Raw rows; each feature's column is shuffled in turn.
    ///   - repeats: Seeded shuffles per feature; 5 by default.
    ///   - seed: Seed of the shuffles; 1 by default.
    /// - Returns: Per raw feature, in schema order, the mean and sample standard deviation (0 for one repeat) of
    ///   the share of changed decisions (classification) or of 1 - R² (regression), and the mean `shift`.
    ///   The shuffled rows are evaluated in Double (`evaluate`), whose probabilities `shift` reads.
    /// - Complexity: O(features × repeats × rows × weights).
    public static func measure(network: Network, data: Dataset, repeats: Int = 5, seed: UInt64 = 1)
        -> [Score] {
        let evaluator = NetworkEvaluator(network: network)
        let classification = network.task == .classification
        // The network's outputs, and its classes (classification), on the rows as they are.
        let base = evaluator.evaluate(raw: data.values, rows: data.rows)
        let baseClasses = classification ? base.predictedClasses : []
        let width = data.schema.count
        var generator = SeededGenerator(seed: seed)
        let stage = Progress.stage("permutation importance", total: width * repeats, unit: "shuffles")
        defer { stage?.finish() }
        return (0..<width).map { feature in
            let scores = (0..<repeats).map { _ -> (score: Double, shift: Double) in
                var shuffled = data.values
                let order = generator.permutation(data.rows)
                for (row, source) in order.enumerated() { shuffled[row * width + feature] = data.values[source * width + feature] }
                defer { stage?.advance() }
                let output = evaluator.evaluate(raw: shuffled, rows: data.rows)
                guard classification else {
                    let moved = zip(output.values, base.values).reduce(0) { $0 + abs($1.0 - $1.1) }
                    return (1 - Agreement.rSquared(predicted: output.values, reference: base.values, outputs: base.width),
                            moved / Double(max(output.values.count, 1)))
                }
                let moved = baseClasses.enumerated().reduce(0) { $0 + abs(output[$1.offset, $1.element] - base[$1.offset, $1.element]) }
                return (1 - Agreement.share(output.predictedClasses, baseClasses), moved / Double(max(data.rows, 1)))
            }
            let mean = scores.reduce(0) { $0 + $1.score } / Double(repeats)
            let sd = repeats > 1 ? (scores.reduce(0) { $0 + ($1.score - mean) * ($1.score - mean) } / Double(repeats - 1)).squareRoot() : 0
            return Score(mean: mean, sd: sd, shift: scores.reduce(0) { $0 + $1.shift } / Double(repeats))
        }
    }
}
