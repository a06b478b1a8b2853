import Foundation
import Synchronization
import Testing
@testable import Distill

/// Branch and bound draws more points when it has split its boxes down to too few points each, and
/// splits on: the diagonal network (`CertificationTests.diagonal`, class 0 exactly where x > y), where
/// the truth of every box is known in closed form.
struct CertificationDrawTests {
    /// `count` uniform points of the unit square from the stream of `seed`, row-major.
    static func square(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<(2 * count)).map { _ in Double.random(in: 0...1, using: &generator) }
    }

    /// A depth-2 CART tree fitted on `points` (of the unit square) labelled by `network`.
    static func tree(on points: [Double], of network: Network) -> DecisionTree {
        let data = Dataset(schema: network.schema, rows: points.count / 2, values: points)
        return TreeBuilder(settings: TreeSettings(maxDepth: 2)).fit(data, target: OracleSample.label(data, by: network), outputs: network.outputs)
    }

    /// Points too few to split finely leave a strip of undecided boxes along the diagonal; with later draws
    /// the boxes are split further: more points are drawn (never more than `maxPoints`), every certified box
    /// still lies on its class's side of the diagonal, the certified mass comes closer to the truth, and a
    /// second run gives the same result.
    @Test func laterDrawsSplitThinBoxesFurther() throws {
        let network = CertificationTests.diagonal
        let points = Self.square(300, seed: 5), measure = Self.square(20_000, seed: 6)
        let tree = Self.tree(on: points, of: network), domain = RawBox(domainOf: network.schema, rows: [0, 0, 1, 1])
        var options = RuleCertifier.Options()
        options.maxBoxes = 20_000
        options.maxPoints = 12_000
        options.searches = 0
        let alone = try #require(RuleCertifier(network: network, surrogate: .tree(tree), domain: domain, points: points, measure: measure).certify(options))
        let batches = Mutex<[Int]>([])
        var drawing = try #require(RuleCertifier(network: network, surrogate: .tree(tree), domain: domain, points: points, measure: measure,
                                                 morePoints: { batch, count in
                                                     batches.withLock { $0.append(count) }
                                                     return Self.square(count, seed: 100 + UInt64(batch))
                                                 }).certify(options))
        #expect(alone.points == 300)
        // As many again as there are, each time, up to the limit.
        let drawn = batches.withLock { $0 }
        var total = 300
        for count in drawn {
            #expect(count == min(total, 12_000 - total), "\(drawn)")
            total += count
        }
        #expect(drawing.points == 300 + drawn.reduce(0, +))
        #expect(drawing.points > 300 && drawing.points <= 12_000)
        // The truth: the share of the measuring points each rule decides where the network agrees.
        let leaves = tree.leaves(raw: measure, rows: 20_000)
        let rules = TreeRules.rules(of: tree)
        var agreeing = 0
        for (index, rule) in drawing.rules.enumerated() {
            let predicted = try #require(rule.region.predictedClass)
            for box in rule.certifiedBoxes {
                if predicted == 0 { #expect(box.lower[0] > box.upper[1], "\(rule.region.name): \(box)") }
                else { #expect(box.lower[1] > box.upper[0], "\(rule.region.name): \(box)") }
            }
            agreeing += (0..<20_000).filter { leaves[$0] == rules[index].leaf && (measure[2 * $0] > measure[2 * $0 + 1] ? 0 : 1) == predicted }.count
        }
        let truth = Double(agreeing) / 20_000
        #expect(drawing.certifiedMass <= truth + 1e-12)
        #expect(drawing.certifiedMass > alone.certifiedMass + 0.02, "\(alone.certifiedMass) -> \(drawing.certifiedMass)")
        #expect(truth - drawing.certifiedMass < 0.5 * (truth - alone.certifiedMass), "truth \(truth): \(alone.certifiedMass) -> \(drawing.certifiedMass)")
        // The later draws come from the source's streams alone: a second run gives the same result.
        var again = try #require(RuleCertifier(network: network, surrogate: .tree(tree), domain: domain, points: points, measure: measure,
                                               morePoints: { batch, count in Self.square(count, seed: 100 + UInt64(batch)) }).certify(options))
        (again.seconds, drawing.seconds) = (0, 0)
        #expect(again == drawing)
    }

    /// Boxes are bounded and grown `batchSize` at a time side by side: one thread and three give the same
    /// result, box for box, with the budget spent to the box in both.
    @Test func theSearchDoesNotDependOnTheThreads() throws {
        let network = CertificationTests.diagonal
        let points = Self.square(2_000, seed: 7), measure = Self.square(5_000, seed: 8)
        let tree = Self.tree(on: points, of: network), domain = RawBox(domainOf: network.schema, rows: [0, 0, 1, 1])
        var options = RuleCertifier.Options()
        options.maxBoxes = 401
        let certifier = RuleCertifier(network: network, surrogate: .tree(tree), domain: domain, points: points, measure: measure)
        var one = try #require(Parallelism.withThreads(1) { certifier.certify(options) })
        var three = try #require(Parallelism.withThreads(3) { certifier.certify(options) })
        #expect(one.boxes == 401)
        #expect(one.rules.map(\.certifiedBoxes.count).reduce(0, +) > 10)
        (one.seconds, three.seconds) = (0, 0)
        #expect(one == three)
    }

    /// A network that decides class 0 everywhere on the unit square, by a margin of 1.05 − |x − y| −
    /// |x + y − 1| (at least 0.05), which the bounds cannot prove on the whole square: branch and bound
    /// splits it, proves every part, and lists the square as one certified box, its parts merged back.
    @Test func provedPartsMergeBackIntoTheBoxTheyCameFrom() throws {
        let features = [Feature(name: "x", kind: .continuous(min: 0, max: 1)), Feature(name: "y", kind: .continuous(min: 0, max: 1))]
        let network = Network(name: "everywhere", task: .classification, schema: FeatureSchema(features: features), outputs: ["a", "b"],
                              preprocessing: [], layers: [
                                .dense(DenseLayer(units: 4, inputs: 2, weights: [1, -1, -1, 1, 1, 1, -1, -1], bias: [0, 0, -1, 1], activation: .relu)),
                                .dense(DenseLayer(units: 2, inputs: 4, weights: [0, 0, 0, 0, 1, 1, 1, 1], bias: [1.05, 0], activation: .softmax))])
        let points = Self.square(2_000, seed: 7), measure = Self.square(2_000, seed: 8)
        #expect(OracleSample.label(Dataset(schema: network.schema, rows: 2_000, values: points), by: network)
                == .classes([Int](repeating: 0, count: 2_000), classCount: 2))
        let tree = Self.tree(on: points, of: network), domain = RawBox(domainOf: network.schema, rows: [0, 0, 1, 1])
        var options = RuleCertifier.Options()
        options.maxBoxes = 20_000
        let result = try #require(RuleCertifier(network: network, surrogate: .tree(tree), domain: domain, points: points, measure: measure,
                                                morePoints: { batch, count in Self.square(count, seed: 100 + UInt64(batch)) }).certify(options))
        // The square as a whole is not proved by the bounds: it had to be split.
        let whole = RuleCertifier(network: network, surrogate: .tree(tree), domain: domain, points: [], measure: []).margins(
            domain, region: result.rules[0].region, chain: BoundChain(network: network), options: options)
        #expect(whole.lower.contains { $0 <= 0 })
        #expect(result.rules.count == 1 && result.boxes > 1)
        #expect(result.rules[0].certifiedBoxes == [domain])
        #expect(result.certifiedMass == 1)
    }

    /// The points certification builds its boxes around, first and later draws, are all different points
    /// (iris's joint kernel, with retried draws, would fall in step with a stream shifted by a whole number
    /// of SplitMix steps).
    @Test func laterDrawsAreNewPoints() throws {
        let extraction = try RefinementTests.extraction("iris")
        let distribution = try #require(extraction.inputDistribution)
        let width = extraction.network.schema.count
        var seen = Set<[Double]>()
        for batch in 0..<4 {
            let points = OracleSample.drawPoints(5_000, network: extraction.network, distribution: distribution, rows: extraction.data.train,
                                                 sampler: .rows, seed: Extraction.drawSeed(extraction.options.data.seed, batch: batch))
            for row in 0..<points.rows { seen.insert(Array(points.values[(row * width)..<((row + 1) * width)])) }
        }
        #expect(seen.count == 20_000)
    }
}
