/// Occlusion maps over an image's pixels (Zeiler and Fergus 2014): how much an output falls when a square
/// patch of pixels, every channel, is set to a fill value (a baseline), one patch at a time.
enum OcclusionMap {
    /// Per pixel of `image`, f(row) - f(row with its patch set to `fill`) for output `output`: the patches are
    /// `patch x patch` squares from the top left (smaller at the right and bottom edges), every channel hidden
    /// together, all evaluated in one batch.
    static func drops(evaluator: NetworkEvaluator, row: [Double], fill: [Double], image: ImageShape,
                      patch: Int, output: Int) -> [Double] {
        drops(evaluator: evaluator, rows: Dataset(schema: evaluator.network.schema, rows: 1, values: row), fill: fill,
              image: image, patch: patch, outputs: [output])[0]
    }

    /// Per row of `rows` and pixel of `image`, how much output `outputs[row]` falls when the pixel's patch is set
    /// to `fill` (see the one-row form).
    static func drops(evaluator: NetworkEvaluator, rows: Dataset, fill: [Double], image: ImageShape,
                      patch: Int, outputs: [Int]) -> [[Double]] {
        var patches: [(rows: Range<Int>, columns: Range<Int>, features: [Int])] = []
        for top in stride(from: 0, to: image.height, by: patch) {
            for left in stride(from: 0, to: image.width, by: patch) {
                let rows = top..<min(top + patch, image.height), columns = left..<min(left + patch, image.width)
                patches.append((rows, columns, image.features(rows: rows, columns: columns)))
            }
        }
        let d = rows.schema.count
        let base = evaluator.evaluate(raw: rows.values, rows: rows.rows)
        var variants = [Double](repeating: 0, count: patches.count * d)
        return (0..<rows.rows).map { index in
            for (number, patch) in patches.enumerated() {
                variants.replaceSubrange(number * d..<(number + 1) * d, with: rows.values[index * d..<(index + 1) * d])
                for feature in patch.features { variants[number * d + feature] = fill[feature] }
            }
            let out = evaluator.evaluate(raw: variants, rows: patches.count)
            var map = [Double](repeating: 0, count: image.pixelCount)
            for (number, patch) in patches.enumerated() {
                let drop = base[index, outputs[index]] - out[number, outputs[index]]
                for y in patch.rows { for x in patch.columns { map[y * image.width + x] = drop } }
            }
            return map
        }
    }
}
