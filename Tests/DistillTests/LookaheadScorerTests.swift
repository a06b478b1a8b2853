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
