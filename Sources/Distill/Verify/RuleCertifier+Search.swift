import Foundation

extension RuleCertifier {
    /// A box of the search: its rule, the drawn points inside it that the rule decides, and what became
    /// of it. The boxes form one binary tree per rule (a rule's box, then the parts of each split), so
    /// points drawn later find the undecided box they fall in.
    struct Node {
        var rule: Int
        var box: RawBox
        var members: [Int]
        /// The parts it was split into (the first holds a point on the shared face).
        var parts: (first: Int, second: Int)?
        /// No feature of it can be split.
        var final = false
        /// Proved (true) or refuted (false) by its bounds, or by both its parts' being so.
        var decided: Bool?
        /// Set aside undecided: per feature its share of the bound's gap (where to split it once a later
        /// draw thickens it, without bounding it again).
        var shares: [Double]?

        /// Undecided and not split: in the queue or set aside (a later draw may add points to it).
        var open: Bool { decided == nil && parts == nil }
    }

    /// The state of one certification: the rules, the drawn points (which rule decides each, whether the
    /// network agrees), the boxes still to decide, and the boxes certified or refuted so far.
    struct Search {
        let certifier: RuleCertifier
        let options: Options
        let regions: [ListedRegion]
        let chain: BoundChain
        /// Raw points drawn from the input distribution, row-major: `certifier.points`, then later draws.
        private(set) var points: [Double]
        /// The network's answers on the drawn points.
        private(set) var output: NetworkOutput
        /// Per drawn point: whether the network agrees with the rule deciding it.
        private(set) var agrees: [Bool]
        /// Per rule: the drawn points where the network disagrees (counterexamples).
        private(set) var disagreeing: [[Int]]
        /// Per drawn point: how clearly the network decides it (own probability minus the largest other).
        private(set) var margin: [Double]
        /// Per drawn point: inside a certified box of the rule deciding it.
        var certified: [Bool]
        var certifiedBoxes: [[RawBox]]
        private(set) var refutedBoxes: [[RawBox]]
        private(set) var nodes: [Node] = []
        /// The first node of each rule's tree (nil for an empty box).
        private(set) var roots: [Int?]
        /// Undecided boxes: still to split, and those too thin in points to split (or that cannot be).
        private(set) var queue: [Int] = []
        private var unsplittable: [Int] = []
        /// Later draws made.
        private(set) var draws = 0
        /// Bound computations made so far.
        var boxes = 0
        /// Where the boxes bounded so far are told (nil: nobody listens).
        var stage: ProgressStage?
        private(set) var timedOut = false
        private let start = DispatchTime.now().uptimeNanoseconds

        var network: Network { certifier.network }
        var domain: RawBox { certifier.domain }
        var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        /// Nil when the surrogate's rules predict no constant.
        init?(_ certifier: RuleCertifier, options: Options) {
            guard let regions = ListedRegion.regions(of: certifier.surrogate, domain: certifier.domain, rows: [])?.regions else { return nil }
            self.certifier = certifier
            self.options = options
            self.regions = regions
            chain = BoundChain(network: certifier.network)
            points = []
            output = NetworkOutput(rows: 0, width: NetworkEvaluator(network: certifier.network).outputWidth, values: [])
            agrees = []
            margin = []
            certified = []
            disagreeing = [[Int]](repeating: [], count: regions.count)
            certifiedBoxes = [[RawBox]](repeating: [], count: regions.count)
            refutedBoxes = certifiedBoxes
            roots = [Int?](repeating: nil, count: regions.count)
            for rule in regions.indices where !regions[rule].box.isEmpty {
                roots[rule] = nodes.count
                nodes.append(Node(rule: rule, box: regions[rule].box, members: []))
            }
            add(certifier.points)
            // Boxes without points wait aside for a later draw.
            for node in nodes.indices {
                if nodes[node].members.isEmpty { unsplittable.append(node) } else { queue.append(node) }
            }
        }

        /// Adds drawn points (whole rows of them): the network's answers on them, and each to the open box
        /// of its rule it falls in (a point in a box already decided is dropped from the search). Returns how
        /// many joined an open box.
        @discardableResult
        private mutating func add(_ drawn: [Double]) -> Int {
            let width = network.schema.count
            let count = width == 0 ? 0 : drawn.count / width
            let drawn = Array(drawn.prefix(count * width))
            guard count > 0, let deciders = ListedRegion.regions(of: certifier.surrogate, domain: domain, rows: drawn)?.deciders else { return 0 }
            let first = output.rows
            let answers = NetworkEvaluator(network: network).evaluate(raw: drawn, rows: count)
            var joined = 0
            points += drawn
            output.values += answers.values
            output.rows += count
            drawn.withUnsafeBufferPointer { all in
                for offset in 0..<count {
                    let row = first + offset, region = regions[deciders[offset]]
                    let agreeing = certifier.agreement(region, output: output, row: row, options: options)
                    agrees.append(agreeing)
                    certified.append(false)
                    if let predicted = region.predictedClass {
                        var other = -Double.infinity
                        for column in 0..<output.width where column != predicted { other = max(other, output[row, column]) }
                        margin.append(output[row, predicted] - (other.isFinite ? other : 0))
                    } else {
                        margin.append(0)
                    }
                    if !agreeing { disagreeing[deciders[offset]].append(row) }
                    guard var node = roots[deciders[offset]] else { continue }
                    let point = UnsafeBufferPointer(rebasing: all[(offset * width)..<((offset + 1) * width)])
                    while let parts = nodes[node].parts { node = nodes[parts.first].box.contains(point) ? parts.first : parts.second }
                    if nodes[node].open {
                        nodes[node].members.append(row)
                        joined += 1
                    }
                }
            }
            return joined
        }

        /// Whether the time limit has passed (once it has, it stays passed).
        mutating func outOfTime() -> Bool {
            timedOut = timedOut || elapsed > options.timeLimit
            return timedOut
        }

        /// Whether a box has points enough to split: fewer than twice the features could not narrow every
        /// feature by median splits.
        private func splittable(_ node: Int) -> Bool {
            !nodes[node].final && nodes[node].members.count >= max(2 * network.schema.count, 2)
        }

        /// Boxes bounded side by side: the undecided boxes with the most points, up to this many at a time
        /// (a fixed number, so that the search does not depend on the threads).
        static let batchSize = 8

        /// Branch and bound from the rules' boxes, until half the budget is spent (the boxes grown around the
        /// centres before it count): the undecided boxes with the most
        /// points first (the earliest on ties), `batchSize` at a time bounded side by side, then each
        /// certified, refuted or split in that order. When every undecided box is too thin in points to
        /// split, more points are drawn (`RuleCertifier.morePoints`, as many again as there are, up to
        /// `Options.maxPoints` in all) and the boxes they thicken are split further.
        mutating func branchAndBound() {
            var waiting = BoxQueue(queue) { nodes[$0].members.count }
            while boxes < options.maxBoxes / 2, !outOfTime() {
                if waiting.isEmpty {
                    guard let ready = drawMore() else { break }
                    waiting = BoxQueue(ready) { nodes[$0].members.count }
                    continue
                }
                // The batch: boxes set aside undecided and thickened by a later draw are split without being
                // bounded again, so only the others count against the budget.
                var batch: [Int] = [], bounded: [Int] = []
                while bounded.count < min(Self.batchSize, options.maxBoxes / 2 - boxes), let node = waiting.popFirst() {
                    batch.append(node)
                    if nodes[node].shares == nil { bounded.append(node) }
                }
                let work = bounded.map { (box: nodes[$0].box, region: regions[nodes[$0].rule]) }
                let (certifier, chain, options) = (certifier, chain, options)
                // Nothing in the closure throws.
                let bounds = try! Parallelism.map(work.count) { index in
                    certifier.margins(work[index].box, region: work[index].region, chain: chain, options: options)
                }
                var boundIndex = 0
                for node in batch {
                    let shares: [Double]
                    if let known = nodes[node].shares {
                        shares = known
                    } else {
                        boxes += 1
                        if boxes % 256 == 0 { stage?.reach(boxes) }
                        let bound = bounds[boundIndex]
                        boundIndex += 1
                        if bound.lower.allSatisfy({ $0 > 0 }) {
                            for row in nodes[node].members { certified[row] = true }
                            nodes[node].decided = true
                            continue
                        } else if bound.upper.contains(where: { $0 < 0 }) {
                            nodes[node].decided = false
                            continue
                        }
                        shares = bound.shares
                    }
                    if splittable(node), split(node, shares: shares) {
                        nodes[node].shares = nil
                        for part in [nodes[node].parts!.first, nodes[node].parts!.second] {
                            if nodes[part].members.isEmpty { unsplittable.append(part) } else { waiting.push(part, points: nodes[part].members.count) }
                        }
                    } else {
                        nodes[node].final = nodes[node].final || splittable(node)
                        nodes[node].shares = shares
                        unsplittable.append(node)
                    }
                }
            }
            queue = waiting.inArrivalOrder + unsplittable.filter { !nodes[$0].members.isEmpty }
            unsplittable = []
            collectDecided()
        }

        /// The boxes branch and bound decided, as few as they can be said in: a box both of whose parts were
        /// proved (or refuted) is itself, so the largest such boxes are kept, in the order of the tree
        /// (first part first).
        private mutating func collectDecided() {
            // Parts come after the box they were split from.
            for node in nodes.indices.reversed() {
                guard let parts = nodes[node].parts, let first = nodes[parts.first].decided,
                      nodes[parts.second].decided == first else { continue }
                nodes[node].decided = first
            }
            for root in roots.compactMap({ $0 }) {
                var stack = [root]
                while let node = stack.popLast() {
                    if let proved = nodes[node].decided {
                        if proved { certifiedBoxes[nodes[node].rule].append(nodes[node].box) } else { refutedBoxes[nodes[node].rule].append(nodes[node].box) }
                    } else if let parts = nodes[node].parts {
                        stack += [parts.second, parts.first]
                    }
                }
            }
        }

        /// Draws more points when some box set aside could be split with more, the boxes decided so far
        /// hold at least half the points (where they do not, as in many dimensions, splitting finer decides
        /// little and the budget is worth more to `growBoxes`) and the budget of points allows: as many
        /// again as there are. The boxes set aside that can now be split (nil when it did not draw).
        private mutating func drawMore() -> [Int]? {
            let width = max(network.schema.count, 1), count = points.count / width
            let (quadruple, overflow) = options.maxBoxes.multipliedReportingOverflow(by: 4)
            let limit = min(options.maxPoints ?? (overflow ? Int.max : quadruple), Self.maxValues / width)
            let open = unsplittable.reduce(0) { $0 + nodes[$1].members.count }
            guard let source = certifier.morePoints, count < limit, 2 * open <= count,
                  unsplittable.contains(where: { !nodes[$0].final }) else { return nil }
            draws += 1
            // Nothing joined an open box: more of the same would not either.
            guard add(source(draws, min(count, limit - count))) > 0 else { return nil }
            let (ready, waiting) = (unsplittable.filter(splittable), unsplittable.filter { !splittable($0) })
            unsplittable = waiting
            return ready
        }

        /// The most drawn values (points times features) kept: 16 million, 128 MB for the points (and per
        /// point its answers, margin and flags besides).
        static let maxValues = 16_000_000

        /// In the largest undecided boxes where every drawn point agrees, a gradient search for a point
        /// that does not, for rules short of counterexamples among the drawn points.
        mutating func searchCounterexamples() -> [[Counterexample]] {
            let width = network.schema.count
            var found = [[Counterexample]](repeating: [], count: regions.count)
            let search = CounterexampleSearch(network: network)
            for node in queue.sorted(by: { nodes[$0].members.count > nodes[$1].members.count }).prefix(options.searches) {
                let (rule, box, members) = (nodes[node].rule, nodes[node].box, nodes[node].members)
                guard let predicted = regions[rule].predictedClass, !outOfTime(),
                      disagreeing[rule].count + found[rule].count < options.counterexamples,
                      members.contains(where: { !certified[$0] }), members.allSatisfy({ agrees[$0] }) else { continue }
                let closest = members.min { margin[$0] < margin[$1] }!
                let center = (0..<width).map { feature -> Double in
                    if let mask = box.allowed[feature] { return Double(mask.firstIndex(of: true) ?? 0) }
                    return 0.5 * (box.lower[feature] + box.upper[feature])
                }
                if let example = search.search(in: box, classIndex: predicted,
                                               starts: [Array(points[(closest * width)..<((closest + 1) * width)]), center]) {
                    found[rule].append(example)
                }
            }
            return found
        }

        /// Splits an undecided box in two, along the feature that accounts for most of the bound's gap (then
        /// the one the box spans most of) at the median of its points there, the parts added as nodes with
        /// their points. False when no feature can be split.
        private mutating func split(_ node: Int, shares: [Double]) -> Bool {
            let width = network.schema.count
            let (box, members) = (nodes[node].box, nodes[node].members)
            let order = (0..<width).sorted { a, b in
                shares[a] > shares[b] || (shares[a] == shares[b] && box.relativeWidth(a, domain: domain) > box.relativeWidth(b, domain: domain))
            }
            guard let feature = order.first(where: { box.split($0, kind: network.schema.features[$0].kind, at: nil) != nil }) else { return false }
            let values = members.map { points[$0 * width + feature] }.sorted()
            let at = values[values.count / 2]
            guard let (first, second) = box.split(feature, kind: network.schema.features[feature].kind, at: at) else { return false }
            // A point on the shared face goes to the first part.
            let inFirst = points.withUnsafeBufferPointer { all in
                members.map { first.contains(UnsafeBufferPointer(rebasing: all[($0 * width)..<(($0 + 1) * width)])) }
            }
            let rule = nodes[node].rule
            nodes[node].parts = (nodes.count, nodes.count + 1)
            nodes[node].members = []
            nodes.append(Node(rule: rule, box: first, members: zip(members, inFirst).filter { $0.1 }.map(\.0)))
            nodes.append(Node(rule: rule, box: second, members: zip(members, inFirst).filter { !$0.1 }.map(\.0)))
            return true
        }
    }
}
