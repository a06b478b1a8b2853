/// Per feature, the positive and negative grow rows a rule covers in each of the feature's bins (binned
/// continuous features: `RuleFitData.bin`; categorical ones: the category), kept up to date as the rule
/// grows: a condition's rows are counted afresh or, when it drops fewer rows than it keeps, the dropped
/// rows are taken away (LightGBM's histogram subtraction). Counts are whole numbers, so both give the same.
struct ConditionHistograms {
    /// Where each feature's bins start in `counts`, and past the last feature, their end.
    let offsets: [Int]
    /// Per bin, negatives at `2 * bin` and positives at `2 * bin + 1` (bins numbered across features).
    private(set) var counts: [Int32]
    private let features: [Int]

    /// The counts of `rows` (those of them `positive` says are positive) for the features rules may test.
    init(fit: RuleFitData, rows: [Int], positive: [Bool]) {
        var offsets = [0]
        for feature in 0..<fit.width {
            let bins = fit.data.schema.features[feature].categories.map { max($0.count, 1) } ?? fit.cuts[feature].count + 1
            offsets.append(offsets[feature] + bins)
        }
        self.offsets = offsets
        features = (0..<fit.width).filter { fit.allowedFeatures?.contains($0) ?? true }
        counts = [Int32](repeating: 0, count: 2 * offsets[fit.width])
        add(rows, fit: fit, positive: positive, by: 1)
    }

    /// The negatives and positives of `feature`'s `bin`.
    @inline(__always)
    func count(_ feature: Int, bin: Int) -> (negatives: Double, positives: Double) {
        let index = 2 * (offsets[feature] + bin)
        return (Double(counts[index]), Double(counts[index + 1]))
    }

    /// The counts after the rule loses `dropped` of its rows.
    mutating func remove(_ dropped: [Int], fit: RuleFitData, positive: [Bool]) {
        add(dropped, fit: fit, positive: positive, by: -1)
    }

    /// Adds `step` to the counts of `rows`. Many rows in one bin (a pixel that is mostly 0) would make
    /// every addition wait for the one before it, so long lists are counted in four interleaved copies of
    /// a feature's bins, summed afterwards.
    private mutating func add(_ rows: [Int], fit: RuleFitData, positive: [Bool], by step: Int32) {
        let rowCount = fit.rows, lanes = 4
        let sides = rows.map { positive[$0] ? 1 : 0 }
        let widest = 2 * (0..<(offsets.count - 1)).map { offsets[$0 + 1] - offsets[$0] }.max()!
        var copies = [Int32](repeating: 0, count: lanes * widest)
        fit.bin.withUnsafeBufferPointer { bins in
            counts.withUnsafeMutableBufferPointer { counts in
                copies.withUnsafeMutableBufferPointer { copies in
                    rows.withUnsafeBufferPointer { rows in
                        sides.withUnsafeBufferPointer { sides in
                            for feature in features {
                                let column = bins.baseAddress! + feature * rowCount, base = 2 * offsets[feature]
                                let width = 2 * (offsets[feature + 1] - offsets[feature])
                                guard rows.count >= 2 * lanes * width else {
                                    for (index, row) in rows.enumerated() { counts[base + 2 * Int(column[row]) + sides[index]] += step }
                                    continue
                                }
                                for slot in 0..<(lanes * width) { copies[slot] = 0 }
                                var index = 0
                                while index + lanes <= rows.count {
                                    for lane in 0..<lanes {
                                        copies[lane * width + 2 * Int(column[rows[index + lane]]) + sides[index + lane]] += 1
                                    }
                                    index += lanes
                                }
                                while index < rows.count {
                                    copies[2 * Int(column[rows[index]]) + sides[index]] += 1
                                    index += 1
                                }
                                for slot in 0..<width {
                                    counts[base + slot] += step * (copies[slot] + copies[width + slot] + copies[2 * width + slot] + copies[3 * width + slot])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
