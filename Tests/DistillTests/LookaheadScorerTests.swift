@testable import Distill
import Testing

/// The lookahead's one-pass scorer against the reference computation (a CART split of each side).
struct LookaheadScorerTests {
    @Test func scorerMatchesCARTOnEachSide() throws {
        let schema = FeatureSchema(features: (0..<3).map { Feature(name: "x\($0)", kind: .continuous(min: 0, max: 1)) })
        var generator = SeededGenerator(seed: 1)
        let data = try DomainSampler(schema: schema, file: "t").sample(rows: 400, generator: &generator)
        let labels = (0..<400).map { (Int(data[$0, 0] * 4) + Int(data[$0, 1] * 4)) % 2 }
        let network = Network(name: "n", task: .classification, schema: schema, outputs: ["a", "b"], preprocessing: [],
                              layers: [.dense(DenseLayer(units: 2, inputs: 3, weights: [1, 0, 0, 0, 1, 0], bias: [0, 0], activation: .softmax))])
        let builder = OracleTreeBuilder(network: network, distribution: InputDistribution(data: data),
                                        settings: OracleTreeSettings(), seed: 1)
        let scorer = LookaheadScorer(data: data, labels: labels, classCount: 2, minSamplesLeaf: 1)
        var mismatches = 0
        for candidate in builder.lookaheadCandidates(data) {
            let (left, right) = builder.sides(candidate.feature, candidate.test, data: data)
            var old = 0
            for side in [left, right] {
                let part = data.subset(side)
                let partLabels = side.map { labels[$0] }
                if let second = builder.bestSplit(part, labels: partLabels) {
                    old += builder.fidelityGain(second, data: part, labels: partLabels)
                } else {
                    old += builder.majority(partLabels, in: 0..<partLabels.count)
                }
            }
            var member = [Bool](repeating: false, count: 400)
            for row in left { member[row] = true }
            if old != scorer.bestSecondLevels(member: member) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}

/// The two-sided scorer against a plain one-side-at-a-time search, with three classes, a categorical
/// feature and a minimum leaf size.
struct LookaheadScorerBothSidesTests {
    /// Points agreeing with their half's majority after the best split of `rows` (by `SplitCriterion`'s
    /// proxy, the first best in feature and threshold order), or the rows' own majority.
    static func reference(_ data: Dataset, _ labels: [Int], rows: [Int], classes: Int, minLeaf: Int) -> Int {
        var totals = [Int](repeating: 0, count: classes)
        for row in rows { totals[labels[row]] += 1 }
        var best = totals.max() ?? 0, bestProxy = -Double.infinity
        guard rows.count >= 2 * minLeaf else { return best }
        func consider(_ left: [Int]) {
            let leftSize = left.reduce(0, +), rightSize = rows.count - leftSize
            guard leftSize >= minLeaf, rightSize >= minLeaf else { return }
            let leftSquares = left.reduce(0.0) { $0 + Double($1 * $1) }
            let rightSquares = zip(totals, left).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            let proxy = SplitCriterion.proxy(leftSquares: leftSquares, leftCount: leftSize, rightSquares: rightSquares, rightCount: rightSize)
            if bestProxy == -.infinity || proxy > bestProxy + 1e-12 * abs(bestProxy) {
                bestProxy = proxy
                best = left.max()! + zip(totals, left).map { $0 - $1 }.max()!
            }
        }
        for (feature, description) in data.schema.features.enumerated() {
            if let categories = description.categories {
                for category in categories.indices {
                    var left = [Int](repeating: 0, count: classes)
                    for row in rows where Int(data[row, feature]) == category { left[labels[row]] += 1 }
                    if left.reduce(0, +) > 0 { consider(left) }
                }
                continue
            }
            let sorted = rows.sorted { (data[$0, feature], $0) < (data[$1, feature], $1) }
            var left = [Int](repeating: 0, count: classes)
            for (index, row) in sorted.enumerated() {
                if index > 0, data[row, feature] > data[sorted[index - 1], feature] { consider(left) }
                left[labels[row]] += 1
            }
        }
        return best
    }

    @Test(arguments: [1, 5])
    func bothSidesMatchOneSideAtATime(minLeaf: Int) {
        let schema = FeatureSchema(features: [
            Feature(name: "a", kind: .continuous(min: nil, max: nil)),
            Feature(name: "b", kind: .continuous(min: nil, max: nil)),
            Feature(name: "c", kind: .categorical(values: ["p", "q", "r", "s"])),
            Feature(name: "d", kind: .binary),
        ])
        var generator = SeededGenerator(seed: 4)
        let rows = 300
        var values: [Double] = [], labels: [Int] = []
        for _ in 0..<rows {
            // Few distinct values, so that ties between points are common.
            let a = Double(generator.nextInt(below: 20)) / 4, b = generator.nextUnit(), c = Double(generator.nextInt(below: 4))
            let d = Double(generator.nextInt(below: 2))
            values += [a, b, c, d]
            labels.append(generator.nextInt(below: 5) == 0 ? generator.nextInt(below: 3) : (a > 2 ? 1 : 0) + (c == 3 ? 1 : 0))
        }
        let data = Dataset(schema: schema, rows: rows, values: values)
        let scorer = LookaheadScorer(data: data, labels: labels, classCount: 3, minSamplesLeaf: minLeaf)
        for trial in 0..<40 {
            // Random sides, and sides of one threshold.
            let member = trial < 20 ? (0..<rows).map { _ in generator.nextInt(below: 3) == 0 }
                : (0..<rows).map { data[$0, trial % 2] <= Double(trial - 20) / 4 }
            let inside = (0..<rows).filter { member[$0] }, outside = (0..<rows).filter { !member[$0] }
            let expected = Self.reference(data, labels, rows: inside, classes: 3, minLeaf: minLeaf)
                + Self.reference(data, labels, rows: outside, classes: 3, minLeaf: minLeaf)
            #expect(scorer.bestSecondLevels(member: member) == expected, "trial \(trial)")
        }
    }
}
