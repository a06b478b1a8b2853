/// Points that stand in for new rows of a population that a network was trained on: each lies between a
/// data row and one of its nearest other rows, a uniform 25-75% of the way (SMOTE's interpolation, Chawla
/// et al. 2002). A network that memorised its training rows answers those rows by heart, and a check made on
/// them rewards whatever imitates the memorising; a point between two rows is no row the network saw, and it
/// stays where rows are (between two images of a digit, not in a blur of every pixel).
struct NeighbourInterpolation {
    /// Neighbours a row may move towards.
    static let neighbours = 5
    /// Queries whose distances are computed in one product.
    static let block = 256

    /// The continuous features interpolated (the others are copied from the row).
    let continuous: [Int]

    /// Interpolation over the features `continuous` (indices into the rows' schema).
    init(continuous: [Int]) {
        self.continuous = continuous
    }

    /// Up to `count` points (every row when there are no more, else `count` rows evenly spaced, in order),
    /// each between its row and one of the `neighbours` nearest other rows of `rows` (Euclidean distance
    /// over the continuous features, each divided by its standard deviation; rows equal to it on every one
    /// are not neighbours), chosen with the stream of `seed`. A row with no other distinct row is copied.
    func points(between rows: Dataset, count: Int, seed: UInt64) -> Dataset {
        let queries = rows.rows <= count ? Array(0..<rows.rows) : (0..<count).map { $0 * rows.rows / count }
        let neighbourLists = nearestRows(of: queries, among: rows)
        var generator = SeededGenerator(seed: seed)
        let width = rows.schema.count
        var values = [Double](repeating: 0, count: queries.count * width)
        for (index, row) in queries.enumerated() {
            for feature in 0..<width { values[index * width + feature] = rows[row, feature] }
            let candidates = neighbourLists[index]
            guard !candidates.isEmpty else { continue }
            let other = candidates[generator.nextInt(below: candidates.count)]
            let t = 0.25 + 0.5 * generator.nextUnit()
            for feature in continuous {
                let value = rows[row, feature]
                values[index * width + feature] = value + t * (rows[other, feature] - value)
            }
        }
        return Dataset(schema: rows.schema, rows: queries.count, values: values)
    }

    /// Per query row, the indices of its `neighbours` nearest distinct rows, nearest first (equal rows tie
    /// exactly and keep the lower index first). Squared distances come from one matrix product per block
    /// of queries, |q|² + |r|² - 2 q·r, side by side, so rows at nearly the same distance are ordered as
    /// the product rounds them (the same on every run with the same BLAS library).
    func nearestRows(of queries: [Int], among rows: Dataset) -> [[Int]] {
        let d = continuous.count, n = rows.rows
        guard d > 0, n > 1 else { return Array(repeating: [], count: queries.count) }
        // Standardised continuous columns, row-major, and each row's squared norm.
        var scaled = [Double](repeating: 0, count: n * d)
        for (k, feature) in continuous.enumerated() {
            var mean = 0.0
            for row in 0..<n { mean += rows[row, feature] }
            mean /= Double(n)
            var variance = 0.0
            for row in 0..<n { variance += (rows[row, feature] - mean) * (rows[row, feature] - mean) }
            let deviation = (variance / Double(max(n - 1, 1))).squareRoot()
            let inverse = deviation > 0 ? 1 / deviation : 0
            for row in 0..<n { scaled[row * d + k] = (rows[row, feature] - mean) * inverse }
        }
        let norms = (0..<n).map { row in (0..<d).reduce(0.0) { $0 + scaled[row * d + $1] * scaled[row * d + $1] } }
        let blocks = (queries.count + Self.block - 1) / Self.block
        let found = (try? Parallelism.map(blocks) { piece -> [[Int]] in
            let first = piece * Self.block, last = min(queries.count, first + Self.block)
            return nearest(queries[first..<last], scaled: scaled, norms: norms, width: d, rows: n)
        }) ?? []
        return found.flatMap { $0 }
    }

    /// `nearestRows` for one block of queries.
    private func nearest(_ queries: ArraySlice<Int>, scaled: [Double], norms: [Double], width d: Int, rows n: Int) -> [[Int]] {
        let count = queries.count
        var query = [Double](repeating: 0, count: count * d)
        for (index, row) in queries.enumerated() {
            for k in 0..<d { query[index * d + k] = scaled[row * d + k] }
        }
        var dots = [Double](repeating: 0, count: count * n)
        let multiplied = query.withUnsafeBufferPointer { q in
            scaled.withUnsafeBufferPointer { r in
                dots.withUnsafeMutableBufferPointer { c in
                    BLAS.multiply(rows: count, columns: n, depth: d, q.baseAddress!, r.baseAddress!, transposingB: true,
                                  into: c.baseAddress!)
                }
            }
        }
        if !multiplied {
            for index in 0..<count {
                for row in 0..<n {
                    var sum = 0.0
                    for k in 0..<d { sum += query[index * d + k] * scaled[row * d + k] }
                    dots[index * n + row] = sum
                }
            }
        }
        return queries.enumerated().map { index, queryRow -> [Int] in
            var best: [(distance: Double, row: Int)] = []
            best.reserveCapacity(Self.neighbours + 1)
            for row in 0..<n where row != queryRow {
                let distance = norms[queryRow] + norms[row] - 2 * dots[index * n + row]
                if best.count == Self.neighbours, distance >= best[best.count - 1].distance { continue }
                // Rows equal on every interpolated feature are no neighbours (the rounding of the product
                // leaves their distance near, not at, zero).
                if distance <= 1e-9 * (norms[queryRow] + norms[row] + 1),
                   (0..<d).allSatisfy({ scaled[queryRow * d + $0] == scaled[row * d + $0] }) { continue }
                let position = best.firstIndex { distance < $0.distance } ?? best.count
                best.insert((distance, row), at: position)
                if best.count > Self.neighbours { best.removeLast() }
            }
            return best.map(\.row)
        }
    }
}
