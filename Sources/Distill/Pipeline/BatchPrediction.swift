/// `distill predict`: the network's answers on rows, evaluated a block at a time, under one progress stage
/// when there is more than one block.
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
        let stage = rows.rows > blockRows ? Progress.stage("predicting", total: rows.rows, unit: "rows") : nil
        defer { stage?.finish() }
        var values: [Double] = [], outputWidth = 0
        for start in stride(from: 0, to: max(rows.rows, 1), by: blockRows) {
            let count = min(blockRows, rows.rows - start)
            let block = try evaluator.checkedEvaluate(raw: Array(rows.values[(start * width)..<((start + count) * width)]), rows: count,
                                                      file: modelPath, what: "row", firstIndex: start)
            if values.isEmpty { values.reserveCapacity(rows.rows * block.width) }
            values += block.values
            outputWidth = block.width
            stage?.advance(by: count)
        }
        return NetworkOutput(rows: rows.rows, width: outputWidth, values: values)
    }
}
