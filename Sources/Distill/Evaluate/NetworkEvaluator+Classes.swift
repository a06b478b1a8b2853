/// The network's predicted classes for many drawn points, with the dense layers of a wide network
/// multiplied in single precision.
///
/// Labelling drawn points is most of what a surrogate of a wide network costs (a 20-1024-1024-1024
/// network: about three quarters of `--surrogate best`'s time in `dgemm`), and `sgemm` multiplies nearly
/// twice as fast. Only the classes are wanted, and a class changes only where the two most probable
/// classes are close: rows whose two largest probabilities lie within a tolerance of each other (or that
/// are not finite in single precision) are evaluated again in Double, so the classes are Double's. The
/// tolerance is measured on each call: `measuredRows` evenly spaced rows are evaluated both ways, and the
/// tolerance is 64 times the largest difference seen there, and at least 1e-3 (on a 20-1024-1024-1024
/// ReLU network the differences are near 5e-7, and 1 row in 10,000 is evaluated again).
extension NetworkEvaluator {
    /// Multiply-adds per row (dense layers) from which `predictedClasses` and `drawnOutputs` multiply in
    /// single precision by default (`singlePrecisionWork`): below, BLAS's products are too small a part of
    /// the time to pay for the conversions.
    public static let defaultSinglePrecisionWork = 65_536

    /// The smallest tolerance on the gap between the two largest probabilities under which a row is
    /// evaluated again in Double.
    static let singlePrecisionTolerance = 1e-3

    /// Rows of each call evaluated both ways to measure the tolerance.
    static let measuredRows = 128

    /// Whether `predictedClasses` (a classifier) and `drawnOutputs` (a regression network) multiply in
    /// single precision for `rows` rows: BLAS products with `sgemm`, at least `singlePrecisionWork`
    /// multiply-adds per row and at least twice `measuredRows` rows.
    public func usesSinglePrecision(rows: Int) -> Bool {
        kernel == .blas && BLAS.hasSinglePrecision
            && rows >= 2 * Self.measuredRows && Self.work(network) >= singlePrecisionWork
    }

    /// Multiply-adds per row of the network's dense layers.
    static func work(_ network: Network) -> Int {
        network.layers.reduce(0) { total, layer in
            guard case let .dense(dense) = layer else { return total }
            return total + dense.units * dense.inputs
        }
    }

    /// The class the network predicts for each raw row (the arg-max of `evaluate`, the first on ties):
    /// `evaluate(raw:rows:).predictedClasses`, faster on wide networks. With single-precision products
    /// the classes are Double's except, in principle, for a row whose single-precision error exceeds 64
    /// times the largest measured (or 1e-3) right at a tie; rows evaluated again are a batch of their own,
    /// so one at an exact tie (probabilities equal to the last bits) can go either way, as it can in
    /// Double between blocks of different sizes.
    public func predictedClasses(raw: [Double], rows: Int) -> [Int] {
        // Without a check nothing throws.
        if let classes = try? singlePrecisionClasses(raw: raw, rows: rows, check: nil) { return classes }
        return evaluate(raw: raw, rows: rows).predictedClasses
    }

    /// `predictedClasses`, with `checkedEvaluate`'s diagnostic (naming `file` and the first row, as `what`
    /// calls them, whose outputs are not finite) instead of classes made from non-finite answers.
    public func checkedPredictedClasses(raw: [Double], rows: Int, file: String, what: String) throws -> [Int] {
        if let classes = try singlePrecisionClasses(raw: raw, rows: rows, check: (file, what)) { return classes }
        return try checkedEvaluate(raw: raw, rows: rows, file: file, what: what).predictedClasses
    }

    /// The largest tolerance single precision is used with: beyond, too many rows would be evaluated twice.
    static let largestTolerance = 0.05

    /// The classes by single-precision products and Double re-evaluation near ties; nil for a regression
    /// network, when single precision does not pay (`usesSinglePrecision`), when its errors on the
    /// measured rows give a tolerance above `largestTolerance`, or when more than an eighth of the measured
    /// rows would be evaluated again (a network whose classes are mostly close calls). Throws (with
    /// `check`) for the first row not finite in Double, as `checkedEvaluate` does.
    func singlePrecisionClasses(raw: [Double], rows: Int, check: (file: String, what: String)?) throws -> [Int]? {
        guard network.task == .classification, usesSinglePrecision(rows: rows) else { return nil }
        let width = outputWidth
        let probabilities = singlePrecisionOutputs(raw: raw, rows: rows)
        // Evenly spaced rows both ways: the largest difference sets the tolerance.
        let measured = (0..<Self.measuredRows).map { $0 * rows / Self.measuredRows }
        let measuredValues = doubleOutputs(raw: raw, rows: measured)
        var largest = 0.0
        for (offset, row) in measured.enumerated() {
            for column in 0..<width {
                let exact = measuredValues[offset * width + column], single = probabilities[row * width + column]
                if exact.isFinite && single.isFinite { largest = max(largest, abs(exact - single)) }
            }
        }
        let tolerance = max(Self.singlePrecisionTolerance, 64 * largest)
        guard tolerance <= Self.largestTolerance else { return nil }
        var classes = [Int](repeating: 0, count: rows)
        var close = [Bool](repeating: false, count: rows)
        for row in 0..<rows {
            let base = row * width
            var best = 0, second = -Double.infinity, finite = probabilities[base].isFinite
            for column in 1..<max(width, 1) {
                let value = probabilities[base + column]
                finite = finite && value.isFinite
                if value > probabilities[base + best] {
                    second = probabilities[base + best]
                    best = column
                } else {
                    second = max(second, value)
                }
            }
            classes[row] = best
            close[row] = !finite || probabilities[base + best] - second <= tolerance
        }
        guard measured.filter({ close[$0] }).count * 8 <= measured.count else { return nil }
        let isMeasured = Set(measured)
        let again = (0..<rows).filter { close[$0] && !isMeasured.contains($0) }
        for (row, output) in try doubleRows(raw: raw, measured: measured, measuredValues: measuredValues, again: again, check: check) {
            classes[row] = NetworkOutput(rows: 1, width: width, values: Array(output)).predictedClass(row: 0)
        }
        return classes
    }

    /// The rows evaluated in Double, in row order with their outputs: `measured` (whose outputs are
    /// `measuredValues`) and `again`, evaluated here as one batch. With `check`, the first row whose
    /// outputs are not finite throws, the row Double alone would name.
    func doubleRows(raw: [Double], measured: [Int], measuredValues: [Double], again: [Int],
                    check: (file: String, what: String)?) throws -> [(row: Int, output: ArraySlice<Double>)] {
        let width = outputWidth
        let redoneValues = doubleOutputs(raw: raw, rows: again)
        let rows = (measured.enumerated().map { ($1, measuredValues, $0) } + again.enumerated().map { ($1, redoneValues, $0) })
            .sorted { $0.0 < $1.0 }
            .map { row, values, offset in (row: row, output: values[(offset * width)..<((offset + 1) * width)]) }
        if let check, let bad = rows.first(where: { $0.output.contains { !$0.isFinite } }) {
            let features = network.schema.count
            throw nonFinite(row: Array(raw[(bad.row * features)..<((bad.row + 1) * features)]), index: bad.row, file: check.file, what: check.what)
        }
        return rows
    }

    /// `evaluate`'s values with every dense product in single precision (no row evaluated again).
    func singlePrecisionOutputs(raw: [Double], rows: Int) -> [Double] {
        let features = network.schema.count
        precondition(raw.count >= rows * features, "raw rows shorter than rows x features")
        let pass = ForwardPass(network: network, kernel: kernel, singlePrecision: singleWeights.weights(for: network))
        return run(rows: rows, outputWidth: outputWidth, singlePrecision: true) { block, start, count, output in
            raw.withUnsafeBufferPointer { input in
                pass.evaluate(raw: input.baseAddress! + start * features, rows: count, block: block, output: output)
            }
        }
    }

    /// Double outputs for the raw rows at `rows`, evaluated as one batch.
    func doubleOutputs(raw: [Double], rows: [Int]) -> [Double] {
        let features = network.schema.count
        var gathered = [Double](repeating: 0, count: rows.count * features)
        for (offset, row) in rows.enumerated() {
            for feature in 0..<features { gathered[offset * features + feature] = raw[row * features + feature] }
        }
        return evaluate(raw: gathered, rows: rows.count).values
    }
}
