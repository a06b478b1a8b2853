/// CART's split criterion, written once for both tasks.
///
/// Each row contributes a vector: the one-hot indicator of its class (classification) or its targets
/// (regression). For a set of rows with contribution sums `s` and count `n`, `sum_k s_k^2 / n` is the
/// part of the impurity a split can change: Gini impurity is `n - sum_k c_k^2 / n` for class counts `c`,
/// and the summed squared error is `sum y^2 - sum_k s_k^2 / n`. A split is better the larger its
/// *proxy*, `sum_k L_k^2 / n_L + sum_k R_k^2 / n_R` (scikit-learn's `proxy_impurity_improvement`), and
/// its impurity decrease per row is `(proxy - parent proxy) / rows`.
struct SplitCriterion {
    /// Per-row contribution width: the class count or the output count.
    let width: Int
    /// Class indices (classification), else empty.
    let labels: [Int32]
    /// Row-major targets, `width` per row (regression), else empty.
    let targets: [Double]
    let isClassification: Bool

    init(_ target: TreeTarget) {
        switch target {
        case let .classes(labels, count):
            width = count
            self.labels = labels.map { Int32($0) }
            targets = []
            isClassification = true
        case let .values(values, outputs):
            width = outputs
            labels = []
            targets = values
            isClassification = false
        }
    }

    /// `sum_k sums_k^2`.
    @inline(__always)
    static func squares(_ sums: UnsafePointer<Double>, width: Int) -> Double {
        var total = 0.0
        for k in 0..<width { total += sums[k] * sums[k] }
        return total
    }

    /// The proxy of a split from each side's `sum_k s_k^2` and count.
    @inline(__always)
    static func proxy(leftSquares: Double, leftCount: Int, rightSquares: Double, rightCount: Int) -> Double {
        leftSquares / Double(leftCount) + rightSquares / Double(rightCount)
    }

    /// The proxy of a split given the left side's sums and the node's sums (the right side is the rest).
    @inline(__always)
    func proxy(left: UnsafePointer<Double>, leftCount: Int, total: UnsafePointer<Double>, totalCount: Int) -> Double {
        var leftSquares = 0.0, rightSquares = 0.0
        for k in 0..<width {
            let l = left[k], r = total[k] - left[k]
            leftSquares += l * l
            rightSquares += r * r
        }
        return Self.proxy(leftSquares: leftSquares, leftCount: leftCount, rightSquares: rightSquares,
                          rightCount: totalCount - leftCount)
    }

    /// Adds row `row`'s contribution to `sums` (`width` values).
    @inline(__always)
    func add(row: Int, to sums: UnsafeMutablePointer<Double>) {
        if isClassification {
            sums[Int(labels[row])] += 1
        } else {
            for k in 0..<width { sums[k] += targets[row * width + k] }
        }
    }

    /// The node's value (class counts, or per-output means), spread (per-output standard deviations for
    /// regression, else empty), proxy `sum_k s_k^2 / n` and whether it is pure (one class, or no variance).
    func statistics(rows: UnsafeBufferPointer<Int32>) -> (value: [Double], spread: [Double], proxy: Double, pure: Bool) {
        let count = rows.count
        var sums = [Double](repeating: 0, count: width)
        sums.withUnsafeMutableBufferPointer { sums in
            for row in rows { add(row: Int(row), to: sums.baseAddress!) }
        }
        let proxy = sums.withUnsafeBufferPointer { Self.squares($0.baseAddress!, width: width) } / Double(count)
        if isClassification {
            return (sums, [], proxy, sums.contains(Double(count)))
        }
        let means = sums.map { $0 / Double(count) }
        var deviations = [Double](repeating: 0, count: width)
        for row in rows {
            for output in 0..<width {
                let delta = targets[Int(row) * width + output] - means[output]
                deviations[output] += delta * delta
            }
        }
        let variances = deviations.map { $0 / Double(count) }
        let pure = variances.reduce(0, +) / Double(width) <= Double.ulpOfOne
        return (means, variances.map { $0.squareRoot() }, proxy, pure)
    }

    /// The best two-way partition of the categories present at a node, from each category's sums
    /// (`categories x width`) and row counts. Exact for two classes or one target (categories ordered by
    /// mean, Breiman's result) and for up to 10 categories (every subset); otherwise categories are ordered
    /// by their share of the node's majority class. Returns the left mask (categories absent from the node
    /// go with the larger side) and the proxy, or nil when no partition keeps `minLeaf` rows on each side.
    func bestCategorySplit(sums: [Double], counts: [Int], minLeaf: Int) -> (left: [Bool], proxy: Double)? {
        let categoryCount = counts.count
        let present = (0..<categoryCount).filter { counts[$0] > 0 }
        guard present.count >= 2 else { return nil }
        let total = present.reduce(0) { $0 + counts[$1] }
        var all = [Double](repeating: 0, count: width)
        for category in present { for k in 0..<width { all[k] += sums[category * width + k] } }

        var leftSums = [Double](repeating: 0, count: width)
        func leftProxy(_ left: [Int]) -> Double? {
            for k in 0..<width { leftSums[k] = 0 }
            var leftCount = 0
            for category in left {
                leftCount += counts[category]
                for k in 0..<width { leftSums[k] += sums[category * width + k] }
            }
            guard leftCount >= minLeaf, total - leftCount >= minLeaf else { return nil }
            return leftSums.withUnsafeBufferPointer { l in
                all.withUnsafeBufferPointer { a in self.proxy(left: l.baseAddress!, leftCount: leftCount, total: a.baseAddress!, totalCount: total) }
            }
        }

        var bestProxy = -Double.infinity
        var bestLeft: [Int] = []
        func consider(_ left: [Int]) {
            if let value = leftProxy(left), bestLeft.isEmpty || value > bestProxy + 1e-12 * abs(bestProxy) {
                bestProxy = value
                bestLeft = left
            }
        }
        if width == 1 || (isClassification && width == 2) || present.count > 10 {
            let target = isClassification ? (width == 2 ? 1 : all.indices.max { all[$0] < all[$1] }!) : 0
            let key = { (category: Int) in sums[category * self.width + target] / Double(counts[category]) }
            let ordered = present.sorted { key($0) < key($1) || (key($0) == key($1) && $0 < $1) }
            for size in 1..<ordered.count { consider(Array(ordered.prefix(size))) }
        } else {
            let rest = Array(present.dropFirst())
            for mask in 0..<((1 << rest.count) - 1) {
                var left = [present[0]]
                for (bit, category) in rest.enumerated() where mask & (1 << bit) != 0 { left.append(category) }
                consider(left.sorted())
            }
        }
        guard bestProxy > -Double.infinity else { return nil }
        let leftCount = bestLeft.reduce(0) { $0 + counts[$1] }
        var goesLeft = [Bool](repeating: false, count: categoryCount)
        for category in bestLeft { goesLeft[category] = true }
        if leftCount >= total - leftCount {
            for category in 0..<categoryCount where counts[category] == 0 { goesLeft[category] = true }
        }
        return (goesLeft, bestProxy)
    }
}

extension SplitTest {
    /// The threshold between two adjacent distinct values: their midpoint, or the lower value when the
    /// midpoint rounds up to the upper one (as scikit-learn does).
    static func midpoint(_ low: Double, _ high: Double) -> Double {
        let middle = low / 2 + high / 2
        return middle >= high || !middle.isFinite ? low : middle
    }
}
