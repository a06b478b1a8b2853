import Foundation

/// Proves where each rule of a surrogate agrees with the network, and finds where it does not: first with
/// a box grown around each centre of the input distribution's clouds (`centres`), then by branch and bound
/// over boxes of raw inputs: a box is certified when sound bounds (`NetworkBounds`)
/// show the network deciding the rule's class at every point of it (a regression output within the
/// tolerance of the rule's value), refuted when they show it never does, and otherwise split in two,
/// the undecided box holding the most mass first, until every box is decided or the budget of boxes is
/// spent. Mass is measured on points drawn from the input distribution (`points`): a rule's mass is its
/// share of the points it decides, its certified mass the share inside certified boxes, its refuted mass
/// the share inside refuted boxes or where the network disagrees (each such point is a counterexample).
public struct RuleCertifier {
    /// The search's budget and limits.
    public struct Options: Equatable, Sendable {
        /// Bound computations in all, over every rule (the budget is deterministic; the time limit is a
        /// safety net that makes a run depend on the machine, and says so when it is hit).
        public var maxBoxes = 200_000
        /// Seconds of search after which it stops even within the budget of boxes; 60 by default.
        public var timeLimit = 60.0
        /// Regression: the largest distance from the rule's value the network's output may have.
        public var tolerance: Double?
        /// Counterexamples kept per rule.
        public var counterexamples = 3
        /// Undecided boxes searched by gradient for a counterexample.
        public var searches = 200
        /// The most points, in all, that branch and bound has drawn (`morePoints`) to split boxes too thin
        /// in points: four times `maxBoxes` unless told otherwise (fewer when they would hold more than 16
        /// million values).
        public var maxPoints: Int?

        /// Default options: 200,000 boxes, 60 seconds, no tolerance, 3 counterexamples per rule, 200 searches,
        /// at most four drawn points per box.
        public init() {}
    }

    /// A point where the network does not decide as the rule does.
    public struct Counterexample: Equatable, Sendable {
        /// Raw feature values.
        public var inputs: [Double]
        /// The network's class probabilities (or regression outputs) there.
        public var outputs: [Double]
    }

    /// What certification found for one listed rule.
    public struct RuleResult: Equatable, Sendable {
        /// The rule: its name, its box within the domain, and what it predicts.
        public var region: ListedRegion
        /// Points (of the mass sample) the rule decides.
        public var points: Int
        /// Share (0 to 1) of the rule's measuring points that lie in a certified box (0 when it decides none).
        public var certifiedMass: Double
        /// Share of the rule's measuring points where the network disagrees or that lie in a refuted box.
        public var refutedMass: Double
        /// The share neither certified nor refuted.
        public var undecidedMass: Double { max(0, 1 - certifiedMass - refutedMass) }
        /// Boxes in which the network is proved to decide as the rule does.
        public var certifiedBoxes: [RawBox]
        /// Up to `Options.counterexamples` points where the network disagrees: drawn points first, then points
        /// found by the gradient search.
        public var counterexamples: [Counterexample]
    }

    /// What certification found for a whole surrogate.
    public struct Result: Equatable, Sendable {
        /// One result per listed rule, in listing order.
        public var rules: [RuleResult]
        /// Certified share of all the points.
        public var certifiedMass: Double
        /// Bound computations made.
        public var boxes: Int
        /// Points drawn to build the boxes around (`points`, then any later draws).
        public var points: Int
        /// Wall-clock seconds the search took.
        public var seconds: Double
        /// The time limit ended the search before the budget of boxes.
        public var timedOut: Bool
        /// Share of held-out rows inside a certified box of the rule that decides them (when measured).
        public var heldOutCertified: Double?
        /// With refinement: the surrogate fitted first and each refit, in order (empty without).
        public var refinement: [Refinement] = []
        /// Regression: the tolerance a rule's output was certified within (`Options.tolerance`, 0 when
        /// unset); nil for a classifier.
        public var tolerance: Double? = nil

        /// The share of `rows` (raw, row-major) that lie in a certified box of the rule deciding them.
        public func certifiedShare(of rows: [Double], surrogate: Surrogate, domain: RawBox) -> Double {
            let width = surrogate.schema.count
            let count = width == 0 ? 0 : rows.count / width
            guard count > 0, let deciders = ListedRegion.regions(of: surrogate, domain: domain, rows: rows)?.deciders else { return 0 }
            let inside = rows.withUnsafeBufferPointer { all in
                (0..<count).filter { row in
                    let slice = UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
                    return self.rules[deciders[row]].certifiedBoxes.contains { $0.contains(slice) }
                }.count
            }
            return Double(inside) / Double(count)
        }
    }

    /// One surrogate of a refinement: how many counterexamples its fitting sample held, the certified
    /// share of mass it reached, and whether it was kept (the certified share grew).
    public struct Refinement: Equatable, Sendable {
        /// Counterexamples added to the fitting sample of this surrogate.
        public var counterexamples: Int
        /// The certified share of mass it reached.
        public var certifiedMass: Double
        /// Whether it was kept.
        public var kept: Bool
    }

    /// The network the rules are checked against.
    public let network: Network
    /// The surrogate whose listed rules are certified.
    public let surrogate: Surrogate
    /// The box of raw inputs the rules' boxes are clipped to.
    public let domain: RawBox
    /// Raw points drawn from the input distribution, row-major.
    public let points: [Double]
    /// Other raw points from the same distribution, on which the shares of mass are measured (the boxes
    /// are built around `points`, so shares measured on those would flatter them).
    public let measure: [Double]
    /// Per feature, the standard deviation of the noise around a row in the distribution the points come
    /// from (`InputDistribution.drawSpread`): boxes grown around points take this shape too.
    public let spread: [Double]?
    /// Raw rows (row-major) the distribution's clouds are centred on, a kernel density's rows: boxes are
    /// grown around each first (`growAroundCentres`); empty for none.
    public let centres: [Double]
    /// Draws more raw points (row-major) from the distribution of `points`: the `batch`th later draw (1, 2,
    /// ...), of `count` points, each draw independent of the others and of `measure`; nil draws none.
    public let morePoints: (@Sendable (_ batch: Int, _ count: Int) -> [Double])?

    /// Creates a certifier; nothing is computed until `certify(_:)`.
    /// - Parameters:
    ///   - network: The network.
    ///   - surrogate: The surrogate whose rules are certified.
    ///   - domain: The box of raw inputs considered.
    ///   - points: Raw points (row-major) the boxes are built around.
    ///   - measure: Other raw points from the same distribution, on which the shares of mass are measured.
    ///   - spread: Per feature, the noise's standard deviation around a row; nil by default.
    ///   - centres: Raw rows (row-major) the distribution's clouds are centred on; none by default.
    ///   - morePoints: Draws more points like `points` when branch and bound has split its boxes down to
    ///     too few points each; nil (none) by default.
    public init(network: Network, surrogate: Surrogate, domain: RawBox, points: [Double], measure: [Double], spread: [Double]? = nil,
                centres: [Double] = [], morePoints: (@Sendable (_ batch: Int, _ count: Int) -> [Double])? = nil) {
        self.network = network
        self.surrogate = surrogate
        self.domain = domain
        self.points = points
        self.measure = measure
        self.spread = spread
        self.centres = centres
        self.morePoints = morePoints
    }

    /// Certifies every listed rule; nil when the surrogate's rules predict no constant.
    public func certify(_ options: Options) -> Result? {
        guard var search = Search(self, options: options) else { return nil }
        search.stage = Progress.stage("certifying rules", total: options.maxBoxes, unit: "boxes")
        defer { search.stage?.finish() }
        search.growAroundCentres()
        search.branchAndBound()
        search.growBoxes()
        let found = search.searchCounterexamples()
        let width = network.schema.count, output = search.output, regions = search.regions, points = search.points
        // The shares, on the measuring points.
        let measured = Self.measure(measure, rules: regions.indices.map { (search.certifiedBoxes[$0], search.refutedBoxes[$0]) },
                                    network: network, surrogate: surrogate, regions: regions, domain: domain, options: options)
        let rules = regions.indices.map { rule -> RuleResult in
            let (total, certified, refuted) = measured.perRule[rule]
            let examples = search.disagreeing[rule].prefix(options.counterexamples).map { row in
                Counterexample(inputs: Array(points[(row * width)..<((row + 1) * width)]),
                               outputs: Array(output.values[(row * output.width)..<((row + 1) * output.width)]))
            } + found[rule]
            return RuleResult(region: regions[rule], points: total,
                              certifiedMass: total > 0 ? Double(certified) / Double(total) : 0,
                              refutedMass: total > 0 ? Double(refuted) / Double(total) : 0,
                              certifiedBoxes: search.certifiedBoxes[rule], counterexamples: Array(examples.prefix(options.counterexamples)))
        }
        return Result(rules: rules, certifiedMass: measured.certified, boxes: search.boxes, points: output.rows, seconds: search.elapsed,
                      timedOut: search.timedOut, heldOutCertified: nil,
                      tolerance: network.task == .regression ? options.tolerance ?? 0 : nil)
    }

    /// Per rule, the measuring points it decides, those inside its certified boxes, and those inside its
    /// refuted boxes or where the network disagrees; and the certified share of all of them.
    private static func measure(_ rows: [Double], rules: [(certified: [RawBox], refuted: [RawBox])], network: Network,
                                surrogate: Surrogate, regions: [ListedRegion], domain: RawBox,
                                options: Options) -> (perRule: [(Int, Int, Int)], certified: Double) {
        let width = network.schema.count
        let count = width == 0 ? 0 : rows.count / width
        var perRule = [(Int, Int, Int)](repeating: (0, 0, 0), count: regions.count)
        guard count > 0, let deciders = ListedRegion.regions(of: surrogate, domain: domain, rows: rows)?.deciders else { return (perRule, 0) }
        let output = NetworkEvaluator(network: network).evaluate(raw: rows, rows: count)
        rows.withUnsafeBufferPointer { all in
            for row in 0..<count {
                let rule = deciders[row]
                let slice = UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
                perRule[rule].0 += 1
                let agrees: Bool
                if let predicted = regions[rule].predictedClass { agrees = output.predictedClass(row: row) == predicted } else {
                    agrees = regions[rule].values.enumerated().allSatisfy { abs(output[row, $0] - $1) <= options.tolerance ?? 0 }
                }
                if agrees, rules[rule].certified.contains(where: { $0.contains(slice) }) {
                    perRule[rule].1 += 1
                } else if !agrees || rules[rule].refuted.contains(where: { $0.contains(slice) }) {
                    perRule[rule].2 += 1
                }
            }
        }
        return (perRule, Double(perRule.reduce(0) { $0 + $1.1 }) / Double(count))
    }

    /// Lower and upper bounds of the margins that say the rule holds (all positive: it holds everywhere),
    /// and per raw feature its share of the lowest bound's gap.
    func margins(_ box: RawBox, region: ListedRegion, chain: BoundChain,
                         options: Options) -> (lower: [Double], upper: [Double], shares: [Double]) {
        let (low, high) = box.encoded(network.schema)
        let bounds = NetworkBounds(chain: chain, lower: low, upper: high)
        var objective: [Double] = [], offset: [Double] = [], rows = 0
        if let predicted = region.predictedClass {
            (objective, offset, rows) = chain.classMargins(predicted)
        } else {
            for (output, value) in region.values.enumerated() {
                let margin = chain.toleranceMargins(output: output, value: value, tolerance: options.tolerance ?? 0)
                objective += margin.objective
                offset += margin.offset
                rows += margin.rows
            }
        }
        let (lower, upper, encodedShares) = bounds.boundAndShares(objective: objective, offset: offset, rows: rows)
        // One-hot columns add up to their feature's share.
        var shares = [Double](repeating: 0, count: network.schema.count), column = 0
        for (feature, spec) in network.schema.features.enumerated() {
            for _ in 0..<spec.encodedWidth { shares[feature] += encodedShares[column]; column += 1 }
        }
        return (lower, upper, shares)
    }

    /// Whether the network's answer on `row` agrees with the rule.
    func agreement(_ region: ListedRegion, output: NetworkOutput, row: Int, options: Options) -> Bool {
        if let predicted = region.predictedClass { return output.predictedClass(row: row) == predicted }
        let tolerance = options.tolerance ?? 0
        return region.values.enumerated().allSatisfy { abs(output[row, $0] - $1) <= tolerance }
    }
}
