import Foundation

extension InputDistribution {
    /// The kernel-noise multiplier that puts perturbed draws as far from the row they copy as a new row
    /// of the same population lies from its nearest fitting row: the median leave-one-out nearest-neighbour
    /// distance among `rows` (continuous features standardised)
    /// divided by the median length of one draw's move (the norm of the standardised bandwidths), clamped
    /// to [1, 4]. A network is usually most confident on the rows it was trained on, so draws at the
    /// kernel's own bandwidth stay where its decisions are safest; held-out rows lie farther out, and
    /// checks made on draws at this spread see the decisions new rows will meet.
    public func newRowSpread(rows data: Dataset, queries limit: Int = 1000, reference cap: Int = 50_000) -> Double {
        let continuous = schema.features.indices.filter { frequencies[$0].isEmpty && bandwidths[$0] > 0 }
        guard !continuous.isEmpty, data.rows >= 3 else { return 1 }
        var scale = [Double](repeating: 1, count: continuous.count)
        for (k, feature) in continuous.enumerated() {
            let column = sortedValues[feature], n = Double(column.count)
            let mean = column.reduce(0, +) / n
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)).squareRoot()
            scale[k] = sd > 0 ? sd : 1
        }
        // Every row is a possible neighbour (up to `cap`, evenly spaced, the distance then scaled back by
        // (cap / rows)^(1 / d)); up to `limit` evenly spaced rows ask for their nearest other row.
        let reference = Array(stride(from: 0, to: data.rows, by: max(1, data.rows / cap)))
        let queries = Array(stride(from: 0, to: reference.count, by: max(1, reference.count / limit)))
        let width = continuous.count
        var points = [Double](repeating: 0, count: reference.count * width)
        for (i, row) in reference.enumerated() {
            for (k, feature) in continuous.enumerated() { points[i * width + k] = data[row, feature] / scale[k] }
        }
        var nearest = [Double](repeating: .infinity, count: queries.count)
        for (q, i) in queries.enumerated() {
            var best = Double.infinity
            for j in reference.indices where j != i {
                var d = 0.0
                for k in 0..<width {
                    let e = points[i * width + k] - points[j * width + k]
                    d += e * e
                    if d >= best { break }
                }
                if d < best { best = d }
            }
            nearest[q] = best
        }
        let sorted = nearest.sorted()
        let thinning = pow(Double(reference.count) / Double(data.rows), 1 / Double(width))
        let median = sorted[sorted.count / 2].squareRoot() * thinning
        let move = continuous.enumerated().reduce(0.0) { $0 + (bandwidths[$1.1] / scale[$1.0]) * (bandwidths[$1.1] / scale[$1.0]) }.squareRoot()
        guard move > 0, median.isFinite else { return 1 }
        return min(4, max(1, median / move))
    }
}
