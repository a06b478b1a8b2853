/// Permutation importance in terms of fidelity: the share of rows whose network decision changes when
/// one raw feature's column is shuffled (regression: 1 - R² of the outputs against the unshuffled
/// ones), over several seeded shuffles; mean and standard deviation per feature.
public enum PermutationImportance {
    /// One feature's importance: the mean over the shuffles and their sample standard deviation.
    public struct Score: Sendable {
        /// Mean over the shuffles of the share of changed decisions (1 - R² for regression).
        public var mean: Double
        /// Sample standard deviation over the shuffles (0 for a single shuffle).
        public var sd: Double
    }

    /// Measures each raw feature's permutation importance.
    /// - Parameters:
    ///   - network: The network whose decisions are compared.
    ///   - data: Raw rows; each feature's column is shuffled in turn.
    ///   - repeats: Seeded shuffles per feature; 5 by default.
    ///   - seed: Seed of the shuffles; 1 by default.
    /// - Returns: Per raw feature, in schema order, the mean and sample standard deviation (0 for one repeat) of
    ///   the share of changed decisions (classification) or of 1 - R² (regression).
    /// - Complexity: O(features × repeats × rows × weights).
    public static func measure(network: Network, data: Dataset, repeats: Int = 5, seed: UInt64 = 1)
        -> [Score] {
        let evaluator = NetworkEvaluator(network: network)
        let classification = network.task == .classification
        // The network's classes (classification) or outputs (regression) on the rows as they are.
        let baseClasses = classification ? evaluator.predictedClasses(raw: data.values, rows: data.rows) : []
        let base = classification ? nil : evaluator.evaluate(raw: data.values, rows: data.rows)
        let width = data.schema.count
        var generator = SeededGenerator(seed: seed)
        let stage = Progress.stage("permutation importance", total: width * repeats, unit: "shuffles")
        defer { stage?.finish() }
        return (0..<width).map { feature in
            let scores = (0..<repeats).map { _ -> Double in
                var shuffled = data.values
                let order = generator.permutation(data.rows)
                for (row, source) in order.enumerated() { shuffled[row * width + feature] = data.values[source * width + feature] }
                defer { stage?.advance() }
                if classification {
                    return 1 - Agreement.share(evaluator.predictedClasses(raw: shuffled, rows: data.rows), baseClasses)
                }
                let output = evaluator.evaluate(raw: shuffled, rows: data.rows)
                return 1 - Agreement.rSquared(predicted: output.values, reference: base!.values, outputs: base!.width)
            }
            let mean = scores.reduce(0, +) / Double(repeats)
            let sd = repeats > 1 ? (scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(repeats - 1)).squareRoot() : 0
            return Score(mean: mean, sd: sd)
        }
    }
}
