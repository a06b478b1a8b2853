import Foundation

extension RuleCertifier {
    /// A box still to decide: its rule, and the drawn points inside it that the rule decides.
    struct Pending {
        var rule: Int
        var box: RawBox
        var members: [Int]
    }

    /// The state of one certification: the rules, the drawn points (which rule decides each, whether the
    /// network agrees), the boxes still to decide, and the boxes certified or refuted so far.
    struct Search {
        let certifier: RuleCertifier
        let options: Options
        let regions: [ListedRegion]
        let chain: BoundChain
        /// The network's answers on the drawn points.
        let output: NetworkOutput
        /// Per drawn point: whether the network agrees with the rule deciding it.
        let agrees: [Bool]
        /// Per rule: the drawn points it decides, and those where the network disagrees (counterexamples).
        let members: [[Int]]
        let disagreeing: [[Int]]
        /// Per drawn point: how clearly the network decides it (own probability minus the largest other).
        let margin: [Double]
        private(set) var certified: [Bool]
        private(set) var certifiedBoxes: [[RawBox]]
        private(set) var refutedBoxes: [[RawBox]]
        /// Undecided boxes: still to split, and those no split could narrow.
        private var queue: [Pending]
        private var unsplittable: [Pending] = []
        private(set) var boxes = 0
        /// Where the boxes bounded so far are told (nil: nobody listens).
        var stage: ProgressStage?
        private(set) var timedOut = false
        private let start = DispatchTime.now().uptimeNanoseconds

        var network: Network { certifier.network }
        var points: [Double] { certifier.points }
        var domain: RawBox { certifier.domain }
        var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        /// Nil when the surrogate's rules predict no constant.
        init?(_ certifier: RuleCertifier, options: Options) {
            let width = certifier.network.schema.count
            let count = width == 0 ? 0 : certifier.points.count / width
            guard let assignment = ListedRegion.regions(of: certifier.surrogate, domain: certifier.domain,
                                                        rows: certifier.points) else { return nil }
            let (regions, deciders) = (assignment.regions, assignment.deciders)
            self.certifier = certifier
            self.options = options
            self.regions = regions
            chain = BoundChain(network: certifier.network)
            let output = NetworkEvaluator(network: certifier.network).evaluate(raw: certifier.points, rows: count)
            self.output = output
            let agrees = (0..<count).map { certifier.agreement(regions[deciders[$0]], output: output, row: $0, options: options) }
            self.agrees = agrees
            var members = [[Int]](repeating: [], count: regions.count)
            for row in 0..<count { members[deciders[row]].append(row) }
            self.members = members
            disagreeing = members.map { rows in rows.filter { !agrees[$0] } }
            margin = (0..<count).map { row -> Double in
                guard let predicted = regions[deciders[row]].predictedClass else { return 0 }
                return output[row, predicted] - ((0..<output.width).filter { $0 != predicted }.map { output[row, $0] }.max() ?? 0)
            }
            certified = [Bool](repeating: false, count: count)
            certifiedBoxes = [[RawBox]](repeating: [], count: regions.count)
            refutedBoxes = certifiedBoxes
            queue = regions.indices.compactMap { rule in
                regions[rule].box.isEmpty || members[rule].isEmpty ? nil : Pending(rule: rule, box: regions[rule].box, members: members[rule])
            }
        }

        /// Whether the time limit has passed (once it has, it stays passed).
        private mutating func outOfTime() -> Bool {
            timedOut = timedOut || elapsed > options.timeLimit
            return timedOut
        }

        /// Branch and bound from the rules' boxes, with half the budget: the undecided box with the most
        /// points first (the earliest on ties), certified, refuted or split.
        mutating func branchAndBound() {
            let width = network.schema.count
            while !queue.isEmpty, boxes < options.maxBoxes / 2, !outOfTime() {
                let next = queue.indices.max { queue[$0].members.count < queue[$1].members.count
                    || (queue[$0].members.count == queue[$1].members.count && $0 > $1) }!
                let item = queue.remove(at: next)
                boxes += 1
                if boxes % 256 == 0 { stage?.reach(boxes) }
                let (lower, upper, shares) = certifier.margins(item.box, region: regions[item.rule], chain: chain, options: options)
                if lower.allSatisfy({ $0 > 0 }) {
                    for row in item.members { certified[row] = true }
                    certifiedBoxes[item.rule].append(item.box)
                } else if upper.contains(where: { $0 < 0 }) {
                    refutedBoxes[item.rule].append(item.box)
                } else if item.members.count >= 2 * width, let (first, second) = split(item, shares: shares) {
                    // Fewer points than twice the features could not narrow every feature by median splits.
                    queue += [first, second].compactMap { $0 }
                } else {
                    unsplittable.append(item)
                }
            }
            queue += unsplittable
            unsplittable = []
        }

        /// Boxes grown around the points of undecided boxes where the network agrees, the points it
        /// decides most clearly first (their boxes are the largest), until the budget is spent.
        mutating func growBoxes() {
            let width = network.schema.count
            for item in queue.sorted(by: { $0.members.count > $1.members.count }) {
                for row in item.members.sorted(by: { margin[$0] > margin[$1] || (margin[$0] == margin[$1] && $0 < $1) })
                    where !certified[row] && agrees[row] {
                    guard boxes < options.maxBoxes, !outOfTime() else { return }
                    let (box, used) = grow(around: row, inside: item.box, region: regions[item.rule], members: item.members,
                                          budget: options.maxBoxes - boxes)
                    boxes += used
                    stage?.reach(boxes)
                    guard let box else { continue }
                    certifiedBoxes[item.rule].append(box)
                    points.withUnsafeBufferPointer { all in
                        for other in item.members where box.contains(UnsafeBufferPointer(rebasing: all[(other * width)..<((other + 1) * width)])) {
                            certified[other] = true
                        }
                    }
                }
            }
        }

        /// In the largest undecided boxes where every drawn point agrees, a gradient search for a point
        /// that does not, for rules short of counterexamples among the drawn points.
        mutating func searchCounterexamples() -> [[Counterexample]] {
            let width = network.schema.count
            var found = [[Counterexample]](repeating: [], count: regions.count)
            let search = CounterexampleSearch(network: network)
            for item in queue.sorted(by: { $0.members.count > $1.members.count }).prefix(options.searches) {
                guard let predicted = regions[item.rule].predictedClass, !outOfTime(),
                      disagreeing[item.rule].count + found[item.rule].count < options.counterexamples,
                      item.members.contains(where: { !certified[$0] }), item.members.allSatisfy({ agrees[$0] }) else { continue }
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
            return found
        }

        /// The two parts of an undecided box, split along the feature that accounts for most of the bound's
        /// gap (then the one the box spans most of) at the median of its points there; a part without points
        /// is nil. Nil when no feature can be split.
        func split(_ item: Pending, shares: [Double]) -> (Pending?, Pending?)? {
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

        /// The largest certified box around point `row` inside `box`, of two shapes, the one holding more
        /// of `members` (the drawn points of the undecided box) kept, the first on ties:
        /// - half-widths r times each feature's domain extent, divided by the feature's share of the bound's
        ///   gap near the point relative to the mean share (wide where the network is insensitive);
        /// - with the distribution's spread (`RuleCertifier.spread`): half-widths r times 3 standard
        ///   deviations of the drawn points' noise (the cloud of points around a row, which is where the
        ///   mass is in many dimensions).
        /// Both keep the point's own category and binary value; r by a search down from 1 (divided by 4
        /// until a box certifies, then bisected once; at most 12 bounds each). Nil when neither certifies.
        /// Returns the bounds used too.
        func grow(around row: Int, inside box: RawBox, region: ListedRegion, members: [Int], budget: Int) -> (RawBox?, Int) {
            let width = network.schema.count
            let point = Array(points[(row * width)..<((row + 1) * width)])
            func cube(_ radius: Double, unit: [Double]) -> RawBox {
                var cube = box
                for feature in 0..<width {
                    if var mask = cube.allowed[feature] {
                        for index in mask.indices where index != Int(point[feature]) { mask[index] = false }
                        cube.allowed[feature] = mask
                    } else if case .binary = network.schema.features[feature].kind {
                        cube.lower[feature] = point[feature]
                        cube.upper[feature] = point[feature]
                    } else {
                        let reach = min(radius * unit[feature], domain.upper[feature] - domain.lower[feature])
                        cube.lower[feature] = max(box.lower[feature], point[feature] - reach)
                        cube.upper[feature] = min(box.upper[feature], point[feature] + reach)
                    }
                }
                return cube
            }
            let extent = (0..<width).map { domain.upper[$0] - domain.lower[$0] }
            // The shares of the gap in a small box around the point shape the first box.
            let probe = certifier.margins(cube(1e-3, unit: extent), region: region, chain: chain, options: options)
            var used = 1
            if probe.lower.contains(where: { $0 <= 0 }) { return (nil, used) }
            let mean = probe.shares.reduce(0, +) / Double(max(width, 1))
            let scale = probe.shares.map { mean > 0 ? min(1e6, mean / max($0, mean * 1e-6)) : 1 }
            var units = [(0..<width).map { min(1, scale[$0]) * extent[$0] }]
            if let spread = certifier.spread, spread.count == width { units.append(spread.map { 3 * $0 }) }
            var best: (box: RawBox, held: Int)?
            for unit in units {
                let (box, spent) = largest(unit: unit, budget: budget - used, cube: cube, region: region)
                used += spent
                guard let box else { continue }
                let held = points.withUnsafeBufferPointer { all in
                    members.filter { box.contains(UnsafeBufferPointer(rebasing: all[($0 * width)..<(($0 + 1) * width)])) }.count
                }
                if held > best?.held ?? -1 { best = (box, held) }
            }
            return (best?.box, used)
        }

        /// The largest certified `cube(r, unit)` found by the search down from r = 1, and the bounds used.
        private func largest(unit: [Double], budget: Int, cube: (Double, [Double]) -> RawBox, region: ListedRegion) -> (RawBox?, Int) {
            var low = 0.0, high = 1.0, best: RawBox?, refinements = 0, used = 0
            while used < min(12, budget), refinements < 1 {
                if best != nil { refinements += 1 }
                let middle = best == nil ? (used == 0 ? 1 : high / 4) : 0.5 * (low + high)
                used += 1
                let candidate = cube(middle, unit)
                if certifier.margins(candidate, region: region, chain: chain, options: options).lower.allSatisfy({ $0 > 0 }) {
                    low = middle
                    best = candidate
                    if middle == 1 { break }
                } else {
                    high = middle
                }
            }
            return (best, used)
        }
    }
}
