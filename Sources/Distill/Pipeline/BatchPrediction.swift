/// `distill predict`: the network's answers on rows, evaluated a block at a time under one progress stage
/// (rows that fit in one block: in one call, with nothing to report).
public enum BatchPrediction {
    /// Rows evaluated between two progress reports.
    static let blockRows = 65_536

    /// The network's outputs (class probabilities, or the regression outputs) on every row of `rows`.
    ///
    /// - Parameters:
    ///   - network: the network to evaluate.
    ///   - rows: raw rows in the network's schema.
    ///   - modelPath: the model's file, named in diagnostics.
    /// - Returns: one row of outputs per input row, as `NetworkEvaluator.evaluate` gives them.
    /// - Throws: a `Diagnostic` naming the first row (from 1) whose answer is not finite and the step of the
    ///   network where its values stopped being finite.
    /// - Complexity: O(rows × weights).
    public static func run(network: Network, rows: Dataset, modelPath: String) throws -> NetworkOutput {
        let evaluator = NetworkEvaluator(network: network)
        let width = network.schema.count
        guard rows.rows > blockRows else {
            return try evaluator.checkedEvaluate(raw: rows.values, rows: rows.rows, file: modelPath, what: "row")
        }
        var values: [Double] = [], outputWidth = 0
        Progress.run("predicting", total: rows.rows, unit: "rows") { stage in
            for start in stride(from: 0, to: rows.rows, by: blockRows) {
                let count = min(blockRows, rows.rows - start)
                let block = evaluator.evaluate(raw: Array(rows.values[(start * width)..<((start + count) * width)]), rows: count)
                if values.isEmpty { values.reserveCapacity(rows.rows * block.width) }
                values += block.values
                outputWidth = block.width
                stage?.advance(by: count)
            }
        }
        let output = NetworkOutput(rows: rows.rows, width: outputWidth, values: values)
        if let bad = output.values.firstIndex(where: { !$0.isFinite }) {
            let row = bad / output.width
            throw evaluator.nonFinite(row: Array(rows.values[(row * width)..<((row + 1) * width)]), index: row, file: modelPath, what: "row")
        }
        return output
    }
}
