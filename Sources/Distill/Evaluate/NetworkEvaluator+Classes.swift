import Foundation

/// The network's predicted classes for many drawn points, with wide layers multiplied in single precision.
///
/// Labelling drawn points is most of what a surrogate of a wide network costs (a 20-1024-1024-1024
/// network: about three quarters of `--surrogate best`'s time in `dgemm`), and `sgemm` multiplies nearly
/// twice as fast. Only the classes are wanted, and a class changes only where the two most probable
/// classes are close: rows whose two largest probabilities lie within a tolerance of each other (or that
/// are not finite in single precision) are evaluated again in Double, so the classes are Double's. The
/// tolerance is measured on each call: its first `measuredRows` rows are evaluated both ways, and the
/// tolerance is 64 times the largest difference seen there, and at least 1e-3 (on a 20-1024-1024-1024
/// ReLU network the differences are near 5e-7, and 1 row in 10,000 is evaluated again).
extension NetworkEvaluator {
    /// Multiply-adds per row (dense layers) from which `predictedClasses` multiplies in single precision
    /// by default (`singlePrecisionWork`): below, BLAS's products are too small a part of the time to pay
    /// for the conversions.
    public static let defaultSinglePrecisionWork = 65_536

    /// The smallest tolerance on the gap between the two largest probabilities under which a row is
    /// evaluated again in Double.
    static let singlePrecisionTolerance = 1e-3

    /// Rows of each call evaluated both ways to measure the tolerance.
    static let measuredRows = 128

    /// Whether `predictedClasses` multiplies in single precision for `rows` rows: a classifier, BLAS
    /// products with `sgemm`, at least `singlePrecisionWork` multiply-adds per row and at least twice
    /// `measuredRows` rows.
    public func usesSinglePrecision(rows: Int) -> Bool {
        network.task == .classification && kernel == .blas && BLAS.hasSinglePrecision
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
    /// the same classes as `evaluate(raw:rows:).predictedClasses`, faster on wide networks.
    public func predictedClasses(raw: [Double], rows: Int) -> [Int] {
        if let classes = try? singlePrecisionClasses(raw: raw, rows: rows, check: nil) { return classes }
        return evaluate(raw: raw, rows: rows).predictedClasses
    }

    /// `predictedClasses`, with `checkedEvaluate`'s diagnostic (naming `file` and the first row, as `what`
    /// calls them, whose outputs are not finite) instead of classes made from non-finite answers.
    public func checkedPredictedClasses(raw: [Double], rows: Int, file: String, what: String) throws -> [Int] {
        if let classes = try singlePrecisionClasses(raw: raw, rows: rows, check: (file, what)) { return classes }
        return try checkedEvaluate(raw: raw, rows: rows, file: file, what: what).predictedClasses
    }

    /// The classes by single-precision products and Double re-evaluation near ties; nil when single
    /// precision does not pay (`usesSinglePrecision`) or its errors on the first block are too large for
    /// the re-evaluation to stay a small share. Throws (with `check`) for rows not finite in Double.
    private func singlePrecisionClasses(raw: [Double], rows: Int, check: (file: String, what: String)?) throws -> [Int]? {
        guard usesSinglePrecision(rows: rows) else { return nil }
        let width = outputWidth
        let probabilities = singlePrecisionOutputs(raw: raw, rows: rows)
        // The first rows both ways: the largest difference sets the tolerance.
        let measured = Self.measuredRows
        let exact = try exactOutputs(raw: raw, rows: Array(0..<measured), check: check)
        var largest = 0.0
        for index in 0..<(measured * width) where exact[index].isFinite && probabilities[index].isFinite {
            largest = max(largest, abs(exact[index] - probabilities[index]))
        }
        let tolerance = max(Self.singlePrecisionTolerance, 64 * largest)
        guard tolerance <= 0.05 else { return nil }
        var classes = [Int](repeating: 0, count: rows)
        var again: [Int] = []
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
            if row >= measured && (!finite || probabilities[base + best] - second <= tolerance) { again.append(row) }
        }
        let output = NetworkOutput(rows: measured, width: width, values: exact)
        for row in 0..<measured { classes[row] = output.predictedClass(row: row) }
        if !again.isEmpty {
            let redone = NetworkOutput(rows: again.count, width: width, values: try exactOutputs(raw: raw, rows: again, check: check))
            for (offset, row) in again.enumerated() { classes[row] = redone.predictedClass(row: offset) }
        }
        return classes
    }

    /// `evaluate`'s values with every dense product in single precision (no row evaluated again).
    func singlePrecisionOutputs(raw: [Double], rows: Int) -> [Double] {
        let features = network.schema.count
        precondition(raw.count >= rows * features, "raw rows shorter than rows x features")
        let pass = ForwardPass(network: network, kernel: kernel, single: singleWeights.weights(for: network))
        return run(rows: rows, outputWidth: outputWidth, single: true) { block, start, count, output in
            raw.withUnsafeBufferPointer { input in
                pass.evaluate(raw: input.baseAddress! + start * features, rows: count, block: block, output: output)
            }
        }
    }

    /// Double outputs for the raw rows at `rows` (ascending), checked for finite values with `check`: the
    /// diagnostic names the row's index among all rows.
    private func exactOutputs(raw: [Double], rows: [Int], check: (file: String, what: String)?) throws -> [Double] {
        let features = network.schema.count
        var gathered = [Double](repeating: 0, count: rows.count * features)
        for (offset, row) in rows.enumerated() {
            for feature in 0..<features { gathered[offset * features + feature] = raw[row * features + feature] }
        }
        let output = evaluate(raw: gathered, rows: rows.count)
        if let check, let bad = output.values.firstIndex(where: { !$0.isFinite }) {
            let offset = bad / output.width
            throw nonFinite(row: Array(gathered[(offset * features)..<((offset + 1) * features)]), index: rows[offset],
                            file: check.file, what: check.what)
        }
        return output.values
    }
}

/// The network's weights in single precision, made at the first call that needs them and shared by the
/// copies of an evaluator (the oracle tree labels each node's points with one evaluator).
final class SingleWeightsCache: @unchecked Sendable {
    private let lock = NSLock()
    private var made: ForwardPass.SingleWeights?

    /// The weights of `network`, which must be the evaluator's.
    func weights(for network: Network) -> ForwardPass.SingleWeights {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let weights = ForwardPass.SingleWeights(network: network)
        made = weights
        return weights
    }
}
