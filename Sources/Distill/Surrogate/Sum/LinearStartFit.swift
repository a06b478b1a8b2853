/// The linear start of a tree sum being grown (`TreeSumBuilder`): least-squares coefficients of a few raw
/// features (continuous or binary; categorical indices are not quantities), one set per score, fitted to
/// what the base and the trees leave. Internally the features are centred on their means over the fitting
/// points, so the start adds nothing on average and the base stays the targets' mean. Of the features'
/// cross products it keeps the squares and, per chosen term, that term's column: O(points x features)
/// work per term, not per pair of features.
struct LinearStartFit {
    /// The raw features a term may read.
    let candidates: [Int]
    /// Each candidate's mean over the fitting points.
    let means: [Double]
    /// Each candidate's centred sum of squares.
    let squares: [Double]
    /// Per chosen term, its centred cross products with every candidate.
    private var columns: [[Double]] = []
    /// Scores per point.
    let width: Int
    /// Most terms.
    let maxTerms: Int
    /// The terms chosen, as indices into `candidates`, in the order they were added.
    private(set) var chosen: [Int] = []
    /// Per chosen term, its coefficient for each score: `[term * width + score]`.
    private(set) var coefficients: [Double] = []

    /// The start's fit over `data`'s points; nil when no feature can be a term.
    init?(data: Dataset, allowedFeatures: Set<Int>?, maxTerms: Int, width: Int) {
        let candidates = (0..<data.schema.count).filter { feature in
            !data.schema.features[feature].isCategorical && (allowedFeatures?.contains(feature) ?? true)
        }
        guard maxTerms > 0, !candidates.isEmpty, data.rows > 1 else { return nil }
        let d = candidates.count, stride = data.schema.count
        var means = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        data.values.withUnsafeBufferPointer { values in
            for row in 0..<data.rows { for (j, feature) in candidates.enumerated() { means[j] += values[row * stride + feature] } }
            for j in 0..<d { means[j] /= Double(data.rows) }
            for row in 0..<data.rows {
                for (j, feature) in candidates.enumerated() {
                    let x = values[row * stride + feature] - means[j]
                    squares[j] += x * x
                }
            }
        }
        self.candidates = candidates
        self.means = means
        self.squares = squares
        self.width = width
        self.maxTerms = maxTerms
    }

    /// Whether another term may be added.
    var canGrow: Bool { chosen.count < min(maxTerms, candidates.count) }

    /// Adds the terms' values at a point (centred), with these coefficients, into `value[score]`.
    @inline(__always)
    private func accumulate(_ coefficients: [Double], point: UnsafeBufferPointer<Double>, into value: UnsafeMutablePointer<Double>) {
        for (term, j) in chosen.enumerated() {
            let x = point[candidates[j]] - means[j]
            for k in 0..<width { value[k] += coefficients[term * width + k] * x }
        }
    }

    /// The centred cross products of every candidate (or, with `chosenOnly`, of the chosen terms; the
    /// others stay 0) with what the base and the trees leave (the targets minus the prediction, plus the
    /// start's own part): `[candidate * width + score]`.
    func crossProducts(data: Dataset, targets: [Double], prediction: [Double], chosenOnly: Bool = false) -> [Double] {
        let d = candidates.count, stride = data.schema.count
        let read = chosenOnly ? chosen : Array(0..<d)
        var cross = [Double](repeating: 0, count: d * width), left = [Double](repeating: 0, count: width)
        data.values.withUnsafeBufferPointer { values in
            left.withUnsafeMutableBufferPointer { left in
                for row in 0..<data.rows {
                    let point = UnsafeBufferPointer(rebasing: values[(row * stride)..<((row + 1) * stride)])
                    for k in 0..<width { left[k] = targets[row * width + k] - prediction[row * width + k] }
                    accumulate(coefficients, point: point, into: left.baseAddress!)
                    for j in read {
                        let x = point[candidates[j]] - means[j]
                        for k in 0..<width { cross[j * width + k] += x * left[k] }
                    }
                }
            }
        }
        return cross
    }

    /// The centred cross product of the chosen term at `term` with the candidate `j`.
    private func product(term: Int, _ j: Int) -> Double { columns[term][j] }

    /// Least-squares coefficients (per score) of the chosen terms and, when given, the candidate `extra`
    /// from the cross products; nil when those features are (nearly) collinear.
    private func solve(adding extra: Int?, cross: [Double]) -> [Double]? {
        let set = chosen + (extra.map { [$0] } ?? []), p = set.count
        var gram = [Double](repeating: 0, count: p * p)
        for a in 0..<p {
            for b in 0...a {
                let value = a < chosen.count ? product(term: a, set[b]) : b < chosen.count ? product(term: b, set[a]) : squares[set[a]]
                gram[a * p + b] = value
                gram[b * p + a] = value
            }
        }
        var result = [Double](repeating: 0, count: p * width)
        for k in 0..<width {
            let column = set.map { cross[$0 * width + k] }
            guard let solution = LinearLeafFitter.solve(gram: gram, cross: column, set: Array(0..<p), d: p) else { return nil }
            for term in 0..<p { result[term * width + k] = solution[term] }
        }
        return result
    }

    /// How much the squared error falls, from what the current terms leave, when the terms `set` are
    /// refitted (`coefficients`) to the cross products.
    private func explained(_ set: [Int], _ fitted: [Double], cross: [Double]) -> Double {
        var total = 0.0
        for (term, j) in set.enumerated() { for k in 0..<width { total += fitted[term * width + k] * cross[j * width + k] } }
        return total
    }

    /// The squared error the current terms remove from what the base and the trees leave:
    /// 2 b·c - b'Gb.
    private func currentReduction(cross: [Double]) -> Double {
        var total = 0.0
        for k in 0..<width {
            for (a, i) in chosen.enumerated() {
                let bi = coefficients[a * width + k]
                total += 2 * bi * cross[i * width + k]
                for (b, j) in chosen.enumerated() { total -= bi * coefficients[b * width + k] * product(term: a, j) }
            }
        }
        return total
    }

    /// The term whose addition (all the terms refitted) lowers the squared error most, and by how much.
    func bestAddition(cross: [Double]) -> (candidate: Int, gain: Double)? {
        guard canGrow else { return nil }
        let now = currentReduction(cross: cross)
        var best: (candidate: Int, gain: Double)?
        for j in candidates.indices where !chosen.contains(j) && squares[j] > 0 {
            guard let fitted = solve(adding: j, cross: cross) else { continue }
            let gain = explained(chosen + [j], fitted, cross: cross) - now
            if gain > (best?.gain ?? -Double.infinity) { best = (j, gain) }
        }
        return best
    }

    /// Adds the candidate `j` to the terms and refits them all; the prediction follows.
    mutating func add(_ j: Int, cross: [Double], data: Dataset, prediction: inout [Double]) {
        var column = [Double](repeating: 0, count: candidates.count)
        let stride = data.schema.count, feature = candidates[j]
        data.values.withUnsafeBufferPointer { values in
            for row in 0..<data.rows {
                let x = values[row * stride + feature] - means[j]
                for (other, otherFeature) in candidates.enumerated() { column[other] += x * (values[row * stride + otherFeature] - means[other]) }
            }
        }
        columns.append(column)
        chosen.append(j)
        coefficients += [Double](repeating: 0, count: width)
        refit(cross: cross, data: data, prediction: &prediction)
    }

    /// Refits the chosen terms to the cross products; the prediction follows.
    mutating func refit(cross: [Double], data: Dataset, prediction: inout [Double]) {
        guard !chosen.isEmpty, let fitted = solve(adding: nil, cross: cross) else { return }
        set(fitted, data: data, prediction: &prediction)
    }

    /// Replaces the coefficients by `new` (same terms); the prediction moves by the difference.
    private mutating func set(_ new: [Double], data: Dataset, prediction: inout [Double]) {
        let delta = zip(new, coefficients).map { $0 - $1 }
        coefficients = new
        let stride = data.schema.count
        data.values.withUnsafeBufferPointer { values in
            prediction.withUnsafeMutableBufferPointer { prediction in
                for row in 0..<data.rows {
                    let point = UnsafeBufferPointer(rebasing: values[(row * stride)..<((row + 1) * stride)])
                    accumulate(delta, point: point, into: prediction.baseAddress! + row * width)
                }
            }
        }
    }

    /// Rounds each coefficient to the shortest decimal that moves a typical score by at most 1e-3 of the
    /// score's spread (`spreads`) over one spread of its feature; the prediction follows.
    mutating func round(spreads: [Double], data: Dataset, prediction: inout [Double]) {
        let n = Double(data.rows)
        var rounded = coefficients
        for (term, j) in chosen.enumerated() {
            let spreadX = (squares[j] / n).squareRoot()
            for k in 0..<width {
                let tolerance = spreadX > 0 && spreads[k] > 0 ? 1e-3 * spreads[k] / spreadX : 0
                rounded[term * width + k] = LinearLeafFitter.rounded(coefficients[term * width + k], tolerance)
            }
        }
        set(rounded, data: data, prediction: &prediction)
    }

    /// The start in raw units: the base less what the centring took, and the terms of each score (those
    /// rounded to 0 left out).
    func start(base: [Double]) -> (base: [Double], terms: [[LinearTerm]]) {
        var shifted = base
        var terms = [[LinearTerm]](repeating: [], count: width)
        for (term, j) in chosen.enumerated() {
            for k in 0..<width {
                let coefficient = coefficients[term * width + k]
                guard coefficient != 0 else { continue }
                shifted[k] -= coefficient * means[j]
                terms[k].append(LinearTerm(feature: candidates[j], coefficient: coefficient))
            }
        }
        return (shifted, terms)
    }
}
