import Foundation
import Testing
@testable import Distill

/// Boxes grown around the centres of the input distribution's clouds (`growAroundCentres`), on a linear
/// network of 8 inputs whose class is known in closed form: class 0 exactly where w · x + b > 0. The bounds
/// are exact for it, so the largest box of each shape that certifies is known too.
struct CentreBoxTests {
    static let weights: [Double] = [0.9, -0.4, 0.25, 0.6, -0.8, 0.15, 0.5, -0.3]
    static let bias = 0.2
    static let width = weights.count
    /// Per feature, the standard deviation of the clouds around the centres.
    static let spread = (0..<width).map { 0.05 + 0.01 * Double($0) }

    static let network = Network(name: "linear", task: .classification,
                                 schema: FeatureSchema(features: (0..<width).map { Feature(name: "x\($0)", kind: .continuous(min: -3, max: 3)) }),
                                 outputs: ["above", "below"], preprocessing: [], layers: [
                                     .dense(DenseLayer(units: 2, inputs: width, weights: weights + [Double](repeating: 0, count: width),
                                                       bias: [bias, 0], activation: .softmax))])

    /// The margin of `classIndex` at its worst point of a box: w · x + b (or its negation) at the corner
    /// that lowers it most.
    static func worstMargin(_ box: RawBox, classIndex: Int) -> Double {
        let sign = classIndex == 0 ? 1.0 : -1.0
        return sign * bias + weights.indices.reduce(0) { $0 + min(sign * weights[$1] * box.lower[$1], sign * weights[$1] * box.upper[$1]) }
    }

    /// `count` centres uniform in [-2, 2]^8, row-major.
    static func centres(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<(count * width)).map { _ in Double.random(in: -2...2, using: &generator) }
    }

    /// `perCentre` draws around each of `centres` (Gaussian, `spread`), kept inside the domain, row-major.
    static func clouds(around centres: [Double], perCentre: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        var points: [Double] = []
        for centre in 0..<(centres.count / width) {
            for _ in 0..<perCentre {
                let point = (0..<width).map { feature -> Double in
                    // Box-Muller.
                    let (u, v) = (Double.random(in: Double.ulpOfOne...1, using: &generator), Double.random(in: 0...1, using: &generator))
                    return centres[centre * width + feature] + spread[feature] * (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
                }
                if point.allSatisfy({ abs($0) <= 3 }) { points += point }
            }
        }
        return points
    }

    static func certifier(centres: [Double], seed: UInt64) -> RuleCertifier {
        let drawn = clouds(around: centres, perCentre: 40, seed: seed)
        let measure = clouds(around: centres, perCentre: 40, seed: seed + 1)
        let data = Dataset(schema: network.schema, rows: drawn.count / width, values: drawn)
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 2)).fit(data, target: OracleSample.label(data, by: network), outputs: network.outputs)
        return RuleCertifier(network: network, surrogate: .tree(tree), domain: RawBox(domainOf: network.schema, rows: []), points: drawn,
                             measure: measure, spread: spread, centres: centres)
    }

    /// Each centre's box in each rule its cloud reaches is the largest of its shape (t deviations of the
    /// cloud either side of the centre on every feature, clipped to the rule's box, holding the point of
    /// the rule's box nearest the centre) that the closed form certifies, to the search's 2.5%: it
    /// certifies, the box 2.5% smaller lies inside it, it lies inside the largest, and it is not flat where
    /// the rule's box is not. Where no box is found, even the probe would not certify, or the largest box
    /// that does is flat (the centre lies farther outside the rule's box than the box reaches).
    @Test func centreBoxesAreTheLargestThatHold() throws {
        let centres = Self.centres(40, seed: 11)
        let certifier = Self.certifier(centres: centres, seed: 12)
        let search = try #require(RuleCertifier.Search(certifier, options: RuleCertifier.Options()))
        var grown = 0, skipped = 0
        for centre in 0..<40 {
            let point = Array(centres[(centre * Self.width)..<((centre + 1) * Self.width)])
            for region in search.regions where search.reaches(point, box: region.box, spread: Self.spread) {
                let predicted = try #require(region.predictedClass)
                func box(_ t: Double) -> RawBox {
                    var box = region.box
                    for feature in 0..<Self.width {
                        let nearest = min(max(point[feature], region.box.lower[feature]), region.box.upper[feature])
                        box.lower[feature] = max(region.box.lower[feature], min(point[feature] - t * Self.spread[feature], nearest))
                        box.upper[feature] = min(region.box.upper[feature], max(point[feature] + t * Self.spread[feature], nearest))
                    }
                    return box
                }
                func inside(_ small: RawBox, _ large: RawBox) -> Bool {
                    (0..<Self.width).allSatisfy { large.lower[$0] <= small.lower[$0] + 1e-12 && small.upper[$0] <= large.upper[$0] + 1e-12 }
                }
                // The largest t that certifies, by bisection on the closed form.
                var (low, high) = (0.0, RuleCertifier.Search.maxDeviations)
                if Self.worstMargin(box(high), classIndex: predicted) > 0 { low = high }
                for _ in 0..<60 where low < high {
                    let middle = 0.5 * (low + high)
                    if Self.worstMargin(box(middle), classIndex: predicted) > 0 { low = middle } else { high = middle }
                }
                let (found, used) = search.cloudBox(around: point, region: region, spread: Self.spread, budget: RuleCertifier.Search.boundsPerCentre)
                #expect(used <= RuleCertifier.Search.boundsPerCentre)
                guard let found else {
                    // Either even the probe (1e-3 deviations around the point of the rule's box nearest the
                    // centre) does not certify, or the largest box that does is flat where the rule's box is
                    // not: the centre lies outside it, farther than the box reaches.
                    var probe = region.box
                    for feature in 0..<Self.width {
                        let nearest = min(max(point[feature], region.box.lower[feature]), region.box.upper[feature])
                        probe.lower[feature] = max(region.box.lower[feature], nearest - 1e-3 * Self.spread[feature])
                        probe.upper[feature] = min(region.box.upper[feature], nearest + 1e-3 * Self.spread[feature])
                    }
                    let largest = box(low / 1.025)
                    let flat = (0..<Self.width).contains { largest.lower[$0] == largest.upper[$0] && region.box.lower[$0] < region.box.upper[$0] }
                    #expect(Self.worstMargin(probe, classIndex: predicted) <= 0 || flat, "centre \(centre), \(region.name): t \(low)")
                    skipped += 1
                    continue
                }
                grown += 1
                #expect(Self.worstMargin(found, classIndex: predicted) > 0)
                #expect(inside(box(low / 1.025), found), "centre \(centre), \(region.name): largest t \(low), found \(found)")
                #expect(inside(found, box(low)))
                #expect(!(0..<Self.width).contains { found.lower[$0] == found.upper[$0] && region.box.lower[$0] < region.box.upper[$0] })
            }
        }
        #expect(grown >= 30)
        #expect(skipped >= 1)
    }

    /// With few bounds to spend, centre boxes hold much more of the mass than branch and bound and boxes
    /// grown around drawn points alone; every certified box holds (closed form); the certified mass is
    /// above half of the tree's agreement with the network (the most it could be); and one thread and three give the same result.
    @Test func centreBoxesHoldTheCloudsMass() throws {
        let centres = Self.centres(60, seed: 21)
        let with = Self.certifier(centres: centres, seed: 22)
        let without = RuleCertifier(network: with.network, surrogate: with.surrogate, domain: with.domain, points: with.points,
                                    measure: with.measure, spread: with.spread)
        var options = RuleCertifier.Options()
        options.maxBoxes = 3000
        var one = try #require(Parallelism.withThreads(1) { with.certify(options) })
        var three = try #require(Parallelism.withThreads(3) { with.certify(options) })
        let alone = try #require(without.certify(options))
        // The share of the measuring points where the tree agrees with the network: the most the certified
        // mass could be.
        let width = Self.width, count = with.measure.count / width
        let assignment = try #require(ListedRegion.regions(of: with.surrogate, domain: with.domain, rows: with.measure))
        let agreement = Double((0..<count).filter { row in
            let point = with.measure[(row * width)..<((row + 1) * width)]
            let truth = zip(Self.weights, point).reduce(Self.bias) { $0 + $1.0 * $1.1 } > 0 ? 0 : 1
            return assignment.regions[assignment.deciders[row]].predictedClass == truth
        }.count) / Double(count)
        for rule in one.rules {
            let predicted = try #require(rule.region.predictedClass)
            for box in rule.certifiedBoxes { #expect(Self.worstMargin(box, classIndex: predicted) > 0, "\(rule.region.name): \(box)") }
        }
        #expect(one.certifiedMass > alone.certifiedMass + 0.1, "with centres \(one.certifiedMass), without \(alone.certifiedMass)")
        #expect(one.certifiedMass > 0.5 * agreement)
        (one.seconds, three.seconds) = (0, 0)
        #expect(one == three)
    }

    /// On a network of tanh units (no closed form), every centre box holds: 400 uniform points and the
    /// corners of each are all of its rule's class; and no search spends more bounds than its budget.
    @Test func centreBoxesHoldOnANonlinearNetwork() throws {
        let network = CertificationTests.network(.tanh, seed: 4, outputs: 3, task: .classification)
        var generator = SeededGenerator(seed: 31)
        let centres = (0..<90).map { _ in Double.random(in: -1.5...1.5, using: &generator) }
        let points = (0..<6000).map { _ in Double.random(in: -2...2, using: &generator) }
        let data = Dataset(schema: network.schema, rows: 2000, values: points)
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 2)).fit(data, target: OracleSample.label(data, by: network), outputs: network.outputs)
        let spread = [0.3, 0.2, 0.4]
        let certifier = RuleCertifier(network: network, surrogate: .tree(tree), domain: RawBox(domainOf: network.schema, rows: []),
                                      points: points, measure: [], spread: spread, centres: centres)
        let search = try #require(RuleCertifier.Search(certifier, options: RuleCertifier.Options()))
        let evaluator = NetworkEvaluator(network: network)
        var grown = 0
        for centre in 0..<30 {
            let point = Array(centres[(3 * centre)..<(3 * centre + 3)])
            for region in search.regions where search.reaches(point, box: region.box, spread: spread) {
                for budget in [2, 5, RuleCertifier.Search.boundsPerCentre] {
                    let (found, used) = search.cloudBox(around: point, region: region, spread: spread, budget: budget)
                    #expect(used <= budget)
                    guard let found, budget == RuleCertifier.Search.boundsPerCentre else { continue }
                    grown += 1
                    var raw: [Double] = []
                    for corner in 0..<8 { raw += (0..<3).map { corner >> $0 & 1 == 0 ? found.lower[$0] : found.upper[$0] } }
                    for _ in 0..<400 { raw += (0..<3).map { Double.random(in: found.lower[$0]...found.upper[$0], using: &generator) } }
                    let classes = evaluator.evaluate(raw: raw, rows: 408).predictedClasses
                    #expect(classes.allSatisfy { $0 == region.predictedClass }, "centre \(centre), \(region.name): \(found)")
                }
            }
        }
        #expect(grown >= 10)
    }

    /// A row just below a tree's threshold `x0 > c` gets a box in the rule on the far side too: the point
    /// of that rule's box nearest the row lies on the face x0 = c, which the tree sends the other way, so
    /// the rule is asked about a point just inside. A row far below gets none there.
    @Test func rowsBelowALowerFaceGetBoxesAcrossIt() throws {
        let features = [Feature(name: "x0", kind: .continuous(min: -1, max: 1)), Feature(name: "x1", kind: .continuous(min: -1, max: 1))]
        let network = Network(name: "sign", task: .classification, schema: FeatureSchema(features: features), outputs: ["positive", "negative"],
                              preprocessing: [], layers: [.dense(DenseLayer(units: 2, inputs: 2, weights: [1, 0, 0, 0], bias: [0, 0], activation: .softmax))])
        var generator = SeededGenerator(seed: 41)
        let points = (0..<4000).map { _ in Double.random(in: -1...1, using: &generator) }
        let data = Dataset(schema: network.schema, rows: 2000, values: points)
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 1)).fit(data, target: OracleSample.label(data, by: network), outputs: network.outputs)
        let lowers = TreeRules.rules(of: tree).compactMap { rule -> Double? in
            guard case let .range(_, lower, _)? = rule.conditions.first else { return nil }
            return lower
        }
        let threshold = try #require(lowers.first)
        let certifier = RuleCertifier(network: network, surrogate: .tree(tree), domain: RawBox(domainOf: network.schema, rows: []),
                                      points: points, measure: [], spread: [0.1, 0.1], centres: [threshold - 0.05, 0, threshold - 0.5, 0])
        let search = try #require(RuleCertifier.Search(certifier, options: RuleCertifier.Options()))
        let jobs = search.centreJobs(count: 2, spread: [0.1, 0.1], free: [true, true], most: 10)
        #expect(jobs.filter { $0.centre == 0 }.count == 2, "\(jobs)")
        #expect(jobs.filter { $0.centre == 1 }.count == 1, "\(jobs)")
    }

    /// Bit-reversed order: 0..<10 as 0, 8, 4, 2, 6, 1, 9, 5, 3, 7 (the 4-bit reversals below 10), and every
    /// count gives each index once.
    @Test func centresAreTakenEvenlySpread() {
        #expect(RuleCertifier.Search.evenlySpreadOrder(10) == [0, 8, 4, 2, 6, 1, 9, 5, 3, 7])
        #expect(RuleCertifier.Search.evenlySpreadOrder(1) == [0])
        #expect(RuleCertifier.Search.evenlySpreadOrder(0) == [])
        for count in [2, 7, 64, 1000] { #expect(RuleCertifier.Search.evenlySpreadOrder(count).sorted() == Array(0..<count)) }
    }
}
