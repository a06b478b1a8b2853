import Foundation

/// Proves where each rule of a surrogate agrees with the network, and finds where it does not, by
/// branch and bound over boxes of raw inputs: a box is certified when sound bounds (`NetworkBounds`)
/// show the network deciding the rule's class at every point of it (a regression output within the
/// tolerance of the rule's value), refuted when they show it never does, and otherwise split in two,
/// the undecided box holding the most mass first, until every box is decided or the budget of boxes is
/// spent. Mass is measured on points drawn from the input distribution (`points`): a rule's mass is its
/// share of the points it decides, its certified mass the share inside certified boxes, its refuted mass
/// the share inside refuted boxes or where the network disagrees (each such point is a counterexample).
public struct RuleCertifier {
    public struct Options: Equatable, Sendable {
        /// Bound computations in all, over every rule (the budget is deterministic; the time limit is a
        /// safety net that makes a run depend on the machine, and says so when it is hit).
        public var maxBoxes = 200_000
        public var timeLimit = 60.0
        /// Regression: the largest distance from the rule's value the network's output may have.
        public var tolerance: Double?
        /// Counterexamples kept per rule.
        public var counterexamples = 3
        /// Undecided boxes searched by gradient for a counterexample.
        public var searches = 200

        public init() {}
    }

    public struct Counterexample: Equatable, Sendable {
        /// Raw feature values.
        public var inputs: [Double]
        /// The network's class probabilities (or regression outputs) there.
        public var outputs: [Double]
    }

    public struct RuleResult: Equatable, Sendable {
        public var region: ListedRegion
        /// Points (of the mass sample) the rule decides.
        public var points: Int
        public var certifiedMass: Double
        public var refutedMass: Double
        public var undecidedMass: Double { max(0, 1 - certifiedMass - refutedMass) }
        public var certifiedBoxes: [RawBox]
        public var counterexamples: [Counterexample]
    }

    public struct Result: Equatable, Sendable {
        public var rules: [RuleResult]
        /// Certified share of all the points.
        public var certifiedMass: Double
        public var boxes: Int
        public var seconds: Double
        /// The time limit ended the search before the budget of boxes.
        public var timedOut: Bool
        /// Share of held-out rows inside a certified box of the rule that decides them (when measured).
        public var heldOutCertified: Double?

        /// The share of `rows` (raw, row-major) that lie in a certified box of the rule deciding them.
        public func certifiedShare(of rows: [Double], surrogate: Surrogate, domain: RawBox) -> Double {
            let width = surrogate.schema.count
            let count = width == 0 ? 0 : rows.count / width
            guard count > 0, let (_, deciders) = ListedRegion.regions(of: surrogate, domain: domain, rows: rows) else { return 0 }
            let inside = rows.withUnsafeBufferPointer { all in
                (0..<count).filter { row in
                    let slice = UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
                    return self.rules[deciders[row]].certifiedBoxes.contains { $0.contains(slice) }
                }.count
            }
            return Double(inside) / Double(count)
        }
    }

    public let network: Network
    public let surrogate: Surrogate
    public let domain: RawBox
    /// Raw points drawn from the input distribution, row-major.
    public let points: [Double]
    /// Other raw points from the same distribution, on which the shares of mass are measured (the boxes
    /// are built around `points`, so shares measured on those would flatter them).
    public let measure: [Double]

    public init(network: Network, surrogate: Surrogate, domain: RawBox, points: [Double], measure: [Double]) {
        self.network = network
        self.surrogate = surrogate
        self.domain = domain
        self.points = points
        self.measure = measure
    }

    /// A box still to decide: its rule, and the mass points inside it that the rule decides.
    private struct Pending {
        var rule: Int
        var box: RawBox
        var members: [Int]
    }

    private enum Status { case undecided, certified, refuted }

    /// Certifies every listed rule; nil when the surrogate's rules predict no constant.
    public func certify(_ options: Options) -> Result? {
        let start = DispatchTime.now().uptimeNanoseconds
        let width = network.schema.count
        let count = width == 0 ? 0 : points.count / width
        guard let (regions, deciders) = ListedRegion.regions(of: surrogate, domain: domain, rows: points) else { return nil }
        let chain = BoundChain(network: network)
        let output = NetworkEvaluator(network: network).evaluate(raw: points, rows: count)
        let agrees = (0..<count).map { agreement(regions[deciders[$0]], output: output, row: $0, options: options) }
        var members = [[Int]](repeating: [], count: regions.count)
        for row in 0..<count { members[deciders[row]].append(row) }

        var status = [Status](repeating: .undecided, count: count)
        var certifiedBoxes = [[RawBox]](repeating: [], count: regions.count), refutedBoxes = certifiedBoxes
        var queue = regions.indices.compactMap { rule -> Pending? in
            regions[rule].box.isEmpty || members[rule].isEmpty ? nil : Pending(rule: rule, box: regions[rule].box, members: members[rule])
        }
        var boxes = 0, timedOut = false
        var unsplittable: [Pending] = []
        func outOfTime() -> Bool {
            timedOut = timedOut || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 > options.timeLimit
            return timedOut
        }
        // Branch and bound from the rules' boxes, with half the budget.
        while !queue.isEmpty, boxes < options.maxBoxes / 2, !outOfTime() {
            // The undecided box with the most mass (the earliest on ties: the queue is kept in order).
            let next = queue.indices.max { queue[$0].members.count < queue[$1].members.count || (queue[$0].members.count == queue[$1].members.count && $0 > $1) }!
            let item = queue.remove(at: next)
            boxes += 1
            let (lower, upper, shares) = margins(item.box, region: regions[item.rule], chain: chain, options: options)
            if lower.allSatisfy({ $0 > 0 }) {
                for row in item.members { status[row] = .certified }
                certifiedBoxes[item.rule].append(item.box)
                continue
            }
            if upper.contains(where: { $0 < 0 }) {
                for row in item.members { status[row] = .refuted }
                refutedBoxes[item.rule].append(item.box)
                continue
            }
            // A box with fewer points than twice the features could not be narrowed in every feature by
            // median splits: boxes are grown around its points instead.
            guard item.members.count >= 2 * width, let (first, second) = split(item, shares: shares) else {
                unsplittable.append(item)
                continue
            }
            queue += [first, second].compactMap { $0 }
        }
        // Then boxes grown around the points still undecided, where the network agrees with the rule:
        // around each, the largest cube (scaled to the domain, inside the undecided box) that certifies.
        let margin = (0..<count).map { row -> Double in
            guard let predicted = regions[deciders[row]].predictedClass else { return 0 }
            let own = output[row, predicted]
            return own - ((0..<output.width).filter { $0 != predicted }.map { output[row, $0] }.max() ?? 0)
        }
        for item in (queue + unsplittable).sorted(by: { $0.members.count > $1.members.count }) {
            // The points the network decides most clearly first: their boxes are the largest.
            for row in item.members.sorted(by: { margin[$0] > margin[$1] || (margin[$0] == margin[$1] && $0 < $1) })
                where status[row] == .undecided && agrees[row] {
                guard boxes < options.maxBoxes, !outOfTime() else { break }
                let (box, used) = grow(around: row, inside: item.box, region: regions[item.rule], chain: chain, options: options,
                                       budget: options.maxBoxes - boxes)
                boxes += used
                guard let box else { continue }
                certifiedBoxes[item.rule].append(box)
                points.withUnsafeBufferPointer { all in
                    for other in item.members where status[other] == .undecided
                        && box.contains(UnsafeBufferPointer(rebasing: all[(other * width)..<((other + 1) * width)])) {
                        status[other] = .certified
                    }
                }
            }
        }
        // A point still undecided may lie in a box certified from another part of its rule's region.
        points.withUnsafeBufferPointer { all in
            for row in 0..<count where status[row] == .undecided && agrees[row] {
                let slice = UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
                if certifiedBoxes[deciders[row]].contains(where: { $0.contains(slice) }) { status[row] = .certified }
            }
        }
        // Points left undecided where the network disagrees are refuted (each is a counterexample).
        for row in 0..<count where status[row] == .undecided && !agrees[row] { status[row] = .refuted }
        var disagreeing = [[Int]](repeating: [], count: regions.count)
        for rule in regions.indices { disagreeing[rule] = members[rule].filter { !agrees[$0] } }
        // In undecided boxes where every drawn point agrees, a gradient search for one that does not
        // (the largest boxes first, for rules short of counterexamples).
        var found = [[Counterexample]](repeating: [], count: regions.count)
        let search = CounterexampleSearch(network: network)
        for item in (queue + unsplittable).sorted(by: { $0.members.count > $1.members.count }).prefix(options.searches) {
            guard let predicted = regions[item.rule].predictedClass, !outOfTime(),
                  disagreeing[item.rule].count + found[item.rule].count < options.counterexamples,
                  item.members.contains(where: { status[$0] == .undecided }), item.members.allSatisfy({ agrees[$0] }) else { continue }
            let closest = item.members.min { margin[$0] < margin[$1] }!
            let center = (0..<width).map { feature -> Double in
                if let mask = item.box.allowed[feature] { return Double(mask.firstIndex(of: true) ?? 0) }
                return 0.5 * (item.box.lower[feature] + item.box.upper[feature])
            }
            if let example = search.search(in: item.box, classIndex: predicted,
                                           starts: [Array(points[(closest * width)..<((closest + 1) * width)]), center]) {
                found[item.rule].append(example)
            }
        }
        // The shares, on the measuring points.
        let measured = Self.measure(measure, rules: regions.indices.map { (certifiedBoxes[$0], refutedBoxes[$0]) },
                                    network: network, surrogate: surrogate, regions: regions, domain: domain, options: options)
        let rules = regions.indices.map { rule -> RuleResult in
            let (total, certified, refuted) = measured.perRule[rule]
            let examples = disagreeing[rule].prefix(options.counterexamples).map { row in
                Counterexample(inputs: Array(points[(row * width)..<((row + 1) * width)]),
                               outputs: Array(output.values[(row * output.width)..<((row + 1) * output.width)]))
            } + found[rule]
            return RuleResult(region: regions[rule], points: total,
                              certifiedMass: total > 0 ? Double(certified) / Double(total) : 0,
                              refutedMass: total > 0 ? Double(refuted) / Double(total) : 0,
                              certifiedBoxes: certifiedBoxes[rule], counterexamples: Array(examples.prefix(options.counterexamples)))
        }
        return Result(rules: rules, certifiedMass: measured.certified, boxes: boxes,
                      seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, timedOut: timedOut, heldOutCertified: nil)
    }

    /// Per rule, the measuring points it decides, those inside its certified boxes, and those inside its
    /// refuted boxes or where the network disagrees; and the certified share of all of them.
    private static func measure(_ rows: [Double], rules: [(certified: [RawBox], refuted: [RawBox])], network: Network,
                                surrogate: Surrogate, regions: [ListedRegion], domain: RawBox,
                                options: Options) -> (perRule: [(Int, Int, Int)], certified: Double) {
        let width = network.schema.count
        let count = width == 0 ? 0 : rows.count / width
        var perRule = [(Int, Int, Int)](repeating: (0, 0, 0), count: regions.count)
        guard count > 0, let (_, deciders) = ListedRegion.regions(of: surrogate, domain: domain, rows: rows) else { return (perRule, 0) }
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

    /// The two parts of an undecided box, split along the feature that accounts for most of the bound's
    /// gap (then the one the box spans most of) at the median of its points there; a part without points
    /// is nil. Nil when no feature can be split.
    private func split(_ item: Pending, shares: [Double]) -> (Pending?, Pending?)? {
        let width = network.schema.count
        let order = (0..<width).sorted { a, b in
            shares[a] > shares[b] || (shares[a] == shares[b] && item.box.relativeWidth(a, domain: domain) > item.box.relativeWidth(b, domain: domain))
        }
        guard let feature = order.first(where: { item.box.split($0, kind: network.schema.features[$0].kind, at: nil) != nil }) else { return nil }
        let values = item.members.map { points[$0 * width + feature] }.sorted()
        guard let (first, second) = item.box.split(feature, kind: network.schema.features[feature].kind, at: values[values.count / 2]) else { return nil }
        // A point on the shared face goes to the first part.
        let inFirst = points.withUnsafeBufferPointer { all in
            item.members.map { first.contains(UnsafeBufferPointer(rebasing: all[($0 * width)..<(($0 + 1) * width)])) }
        }
        let firstMembers = zip(item.members, inFirst).filter { $0.1 }.map(\.0)
        let secondMembers = zip(item.members, inFirst).filter { !$0.1 }.map(\.0)
        return (firstMembers.isEmpty ? nil : Pending(rule: item.rule, box: first, members: firstMembers),
                secondMembers.isEmpty ? nil : Pending(rule: item.rule, box: second, members: secondMembers))
    }

    /// The largest certified box around point `row` inside `box`: half-widths r times each feature's
    /// domain extent, divided by the feature's share of the bound's gap near the point relative to the
    /// mean share (wide where the network is insensitive), the point's own category and binary value;
    /// r by a search down from 1 (divided by 4 until a box certifies, then bisected twice; at most 12 bounds).
    /// Nil when even the smallest does not certify. Returns the bounds used too.
    private func grow(around row: Int, inside box: RawBox, region: ListedRegion, chain: BoundChain, options: Options,
                      budget: Int) -> (RawBox?, Int) {
        let width = network.schema.count
        let point = Array(points[(row * width)..<((row + 1) * width)])
        func cube(_ radius: Double, scale: [Double]) -> RawBox {
            var cube = box
            for feature in 0..<width {
                if var mask = cube.allowed[feature] {
                    for index in mask.indices where index != Int(point[feature]) { mask[index] = false }
                    cube.allowed[feature] = mask
                } else if case .binary = network.schema.features[feature].kind {
                    cube.lower[feature] = point[feature]
                    cube.upper[feature] = point[feature]
                } else {
                    let reach = min(1, radius * scale[feature]) * (domain.upper[feature] - domain.lower[feature])
                    cube.lower[feature] = max(box.lower[feature], point[feature] - reach)
                    cube.upper[feature] = min(box.upper[feature], point[feature] + reach)
                }
            }
            return cube
        }
        // The shares of the gap in a small box around the point shape the box.
        let probe = margins(cube(1e-3, scale: [Double](repeating: 1, count: width)), region: region, chain: chain, options: options)
        var used = 1
        if probe.lower.contains(where: { $0 <= 0 }) { return (nil, used) }
        let mean = probe.shares.reduce(0, +) / Double(max(width, 1))
        let scale = probe.shares.map { mean > 0 ? min(1e6, mean / max($0, mean * 1e-6)) : 1 }
        var low = 0.0, high = 1.0, best: RawBox?, refinements = 0
        while used < min(12, budget), refinements < 1 {
            if best != nil { refinements += 1 }
            let middle = best == nil ? (used == 1 ? 1 : high / 4) : 0.5 * (low + high)
            used += 1
            let candidate = cube(middle, scale: scale)
            if margins(candidate, region: region, chain: chain, options: options).lower.allSatisfy({ $0 > 0 }) {
                low = middle
                best = candidate
                if middle == 1 { break }
            } else {
                high = middle
            }
        }
        return (best, used)
    }

    /// Lower and upper bounds of the margins that say the rule holds (all positive: it holds everywhere),
    /// and per raw feature its share of the lowest bound's gap.
    private func margins(_ box: RawBox, region: ListedRegion, chain: BoundChain,
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
        let (lower, upper) = bounds.bound(objective: objective, offset: offset, rows: rows)
        let encodedShares = bounds.gapShares(objective: objective, offset: offset, rows: rows)
        // One-hot columns add up to their feature's share.
        var shares = [Double](repeating: 0, count: network.schema.count), column = 0
        for (feature, spec) in network.schema.features.enumerated() {
            for _ in 0..<spec.encodedWidth { shares[feature] += encodedShares[column]; column += 1 }
        }
        return (lower, upper, shares)
    }

    /// Whether the network's answer on `row` agrees with the rule.
    private func agreement(_ region: ListedRegion, output: NetworkOutput, row: Int, options: Options) -> Bool {
        if let predicted = region.predictedClass { return output.predictedClass(row: row) == predicted }
        let tolerance = options.tolerance ?? 0
        return region.values.enumerated().allSatisfy { abs(output[row, $0] - $1) <= tolerance }
    }
}
