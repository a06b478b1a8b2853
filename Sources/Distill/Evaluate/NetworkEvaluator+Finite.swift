/// Non-finite outputs stopped where they appear: weights too large for Double (1e308 and beyond overflow
/// in the first product), or inputs far outside what the network was trained on. No surrogate, listing or
/// code is made from such answers.
extension NetworkEvaluator {
    /// `evaluate`, with a diagnostic (naming `file`, the first row of `rows` whose outputs are not finite,
    /// as `what` calls them, and the layer where its values stopped being finite) instead of outputs that
    /// hold an infinity or NaN. `firstIndex`: the index the diagnostic gives the first of these rows (rows
    /// evaluated a block at a time).
    public func checkedEvaluate(raw: [Double], rows: Int, file: String, what: String, firstIndex: Int = 0) throws -> NetworkOutput {
        let output = evaluate(raw: raw, rows: rows)
        if let bad = output.values.firstIndex(where: { !$0.isFinite }) {
            let width = network.schema.count
            throw nonFinite(row: Array(raw[(bad / output.width * width)..<((bad / output.width + 1) * width)]),
                            index: firstIndex + bad / output.width, file: file, what: what)
        }
        return output
    }

    /// The diagnostic for `row` (the `index`-th of `what`), whose outputs are not finite: the row is traced
    /// layer by layer to name the first step whose values are not all finite.
    public func nonFinite(row: [Double], index: Int, file: String, what: String) -> Diagnostic {
        let encoded = network.schema.encode(row, rows: 1)
        let trace = encoded.withUnsafeBufferPointer { ForwardTrace(network: network, kernel: kernel, encoded: $0.baseAddress!, rows: 1) }
        let inputs = row.contains { !$0.isFinite } || encoded.contains { !$0.isFinite }
        var place = "its output"
        var location = InputLocation.none
        if inputs {
            place = "its inputs"
        } else if let step = trace.standardized.dropFirst().firstIndex(where: { $0.contains { !$0.isFinite } }) {
            place = "the input standardisation (preprocessing[\(step - 1)])"
        } else {
            for (layer, values) in network.layers.indices.map({ ($0, $0 + 1 < trace.inputs.count ? trace.inputs[$0 + 1] : trace.output) })
                where values.contains(where: { !$0.isFinite }) {
                place = "layers[\(layer)] (\(network.layers[layer].typeName))"
                location = .jsonPath("layers[\(layer)]")
                break
            }
        }
        let shown = trace.output.first { !$0.isFinite }.map { $0.isNaN ? "NaN" : "\($0)" } ?? "not finite"
        return Diagnostic(file: file, at: location,
                          "the network's output for \(what) \(index + 1) is \(shown): its values stop being finite at \(place); its weights may be too large for 64-bit floating point, or the row far outside the inputs' domain",
                          failure: .data)
    }
}
