/// A regression network's outputs for many drawn points, with the dense layers of a wide network
/// multiplied in single precision.
///
/// A regression surrogate is fitted to the outputs themselves, so unlike `predictedClasses` nothing can
/// make these equal to Double's; they are instead held close to them. Each call evaluates
/// `measuredRows` evenly spaced rows both ways, and keeps the single-precision outputs only when every
/// difference seen there is within `largestRelativeError` (1e-4) of that output's spread (its standard
/// deviation over the measured rows): a surrogate's R² against the network then moves by about the square
/// of that, and its listed numbers not at all. On a 30-1024-1024-512 ReLU network the differences are near
/// 1e-6 of the spread. Rows not finite in single precision are evaluated again in Double.
extension NetworkEvaluator {
    /// The largest difference from Double, as a share of an output's spread over the measured rows, that
    /// `drawnOutputs` accepts from single precision.
    static let largestRelativeError = 1e-4

    /// The outputs of many drawn points (`evaluate`'s for a classifier, a small network or few rows): for a
    /// regression network of at least `singlePrecisionWork` multiply-adds per row, with single-precision
    /// products where their measured error is within `largestRelativeError` of each output's spread.
    public func drawnOutputs(raw: [Double], rows: Int) -> NetworkOutput {
        // Without a check nothing throws.
        if let output = try? singlePrecisionValues(raw: raw, rows: rows, check: nil) { return output }
        return evaluate(raw: raw, rows: rows)
    }

    /// `drawnOutputs`, with `checkedEvaluate`'s diagnostic (naming `file` and the first row, as `what`
    /// calls them, whose outputs are not finite in Double).
    public func checkedDrawnOutputs(raw: [Double], rows: Int, file: String, what: String) throws -> NetworkOutput {
        if let output = try singlePrecisionValues(raw: raw, rows: rows, check: (file, what)) { return output }
        return try checkedEvaluate(raw: raw, rows: rows, file: file, what: what)
    }

    /// The outputs by single-precision products; nil for a classifier, when single precision does not pay
    /// (`usesSinglePrecision`), when more than an eighth of the measured rows are finite only in Double,
    /// or when its error on the measured rows exceeds `largestRelativeError` of an output's spread (or an
    /// output does not vary there). Rows not finite in single precision are
    /// evaluated again in Double; with `check`, the first row (in row order) not finite in Double throws.
    func singlePrecisionValues(raw: [Double], rows: Int, check: (file: String, what: String)?) throws -> NetworkOutput? {
        guard network.task == .regression, usesSinglePrecision(rows: rows) else { return nil }
        let width = outputWidth
        var values = singlePrecisionOutputs(raw: raw, rows: rows)
        let measured = (0..<Self.measuredRows).map { $0 * rows / Self.measuredRows }
        let measuredValues = doubleOutputs(raw: raw, rows: measured)
        // Rows that overflow only in single precision are evaluated twice: not worth it for many of them.
        let overflowing = measured.indices.filter { offset in
            (0..<width).contains { !values[measured[offset] * width + $0].isFinite && measuredValues[offset * width + $0].isFinite }
        }
        guard overflowing.count * 8 <= measured.count else { return nil }
        for column in 0..<width {
            let exact = measured.indices.map { measuredValues[$0 * width + column] }.filter(\.isFinite)
            guard exact.count > 1 else { return nil }
            let mean = exact.reduce(0, +) / Double(exact.count)
            let spread = (exact.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(exact.count - 1)).squareRoot()
            let largest = measured.indices.reduce(0.0) { largest, offset in
                let exact = measuredValues[offset * width + column], single = values[measured[offset] * width + column]
                return exact.isFinite && single.isFinite ? max(largest, abs(exact - single)) : largest
            }
            guard spread > 0, largest <= Self.largestRelativeError * spread else { return nil }
        }
        let isMeasured = Set(measured)
        let again = (0..<rows).filter { row in
            !isMeasured.contains(row) && values[(row * width)..<((row + 1) * width)].contains { !$0.isFinite }
        }
        for (row, output) in try doubleRows(raw: raw, measured: measured, measuredValues: measuredValues, again: again, check: check) {
            values.replaceSubrange((row * width)..<((row + 1) * width), with: output)
        }
        return NetworkOutput(rows: rows, width: width, values: values)
    }
}
