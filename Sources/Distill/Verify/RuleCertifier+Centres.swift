import Foundation

extension RuleCertifier.Search {
    /// A centre's cloud is taken to reach a rule's box when the box comes within this many of the cloud's
    /// standard deviations of it on every feature.
    static let centreReach = 2.0
    /// Bounds spent on one centre's box at most (a probe, then the search for its size).
    static let boundsPerCentre = 12
    /// The widest half-width of a centre's box, in standard deviations of its cloud (all but 6e-5 of each
    /// feature's spread).
    static let maxDeviations = 4.0

    /// Boxes grown around the rows the input distribution's clouds are centred on (`RuleCertifier.centres`),
    /// before branch and bound, with at most a quarter of the budget: one per centre and rule whose box the
    /// centre's cloud reaches (`reaches`) and that decides the point of its box nearest the centre (so no
    /// box is proved for a later rule of a decision list where an earlier one decides). Where the
    /// distribution is a kernel density over rows, its mass lies in a cloud around each row; in many
    /// dimensions, a box grown around a drawn point (`growBoxes`) sits off its cloud's centre and holds
    /// little of it, and the boxes of branch and bound are too coarse. Each box here is centred on its row,
    /// as many of the cloud's standard deviations wide on every feature the cloud spreads, clipped to the
    /// rule's box, and as large as the bounds can prove (`cloudBox(around:...)`). Centres outside the domain
    /// are skipped; the others are taken in bit-reversed order of their index, so that a budget spent early
    /// still covers the whole file evenly. Each box is grown on its own, `batchSize` side by side, so the
    /// boxes do not depend on the threads. Nothing is grown for a regression network without a tolerance
    /// (no box could hold).
    mutating func growAroundCentres() {
        let width = network.schema.count, centres = certifier.centres
        guard width > 0, let spread = certifier.spread, spread.count == width, centres.count >= width,
              network.task != .regression || (options.tolerance ?? 0) > 0 else { return }
        let count = centres.count / width, limit = min(options.maxBoxes, boxes + options.maxBoxes / 4)
        let free = Self.spreadFeatures(network.schema, spread: spread)
        let jobs = centreJobs(count: count, spread: spread, free: free, most: limit - boxes)
        var grownBoxes = [[RawBox]](repeating: [], count: regions.count)
        var next = 0
        let (certifier, regions, chain, options) = (certifier, regions, chain, options)
        jobs: while next < jobs.count, boxes < limit, !outOfTime() {
            let batch = Array(jobs[next..<min(next + Self.batchSize, jobs.count)])
            next += batch.count
            let budget = min(Self.boundsPerCentre, limit - boxes)
            // Nothing in the closure throws.
            let grown = try! Parallelism.map(batch.count) { index in
                Self.cloudBox(around: Array(centres[(batch[index].centre * width)..<((batch[index].centre + 1) * width)]),
                              region: regions[batch[index].rule], spread: spread, free: free, budget: budget,
                              certifier: certifier, chain: chain, options: options)
            }
            for (job, (box, used)) in zip(batch, grown) {
                guard used <= limit - boxes else { break jobs }
                boxes += used
                stage?.reach(boxes)
                if let box { grownBoxes[job.rule].append(box) }
            }
        }
        markCertified(by: grownBoxes)
    }

    /// The drawn points inside `grown` (per rule, boxes of that rule): certified already, so `growBoxes`
    /// skips them. Before branch and bound every drawn point is a member of its rule's first box.
    private mutating func markCertified(by grown: [[RawBox]]) {
        let width = network.schema.count
        for rule in regions.indices where !grown[rule].isEmpty {
            certifiedBoxes[rule] += grown[rule]
            guard let root = roots[rule] else { continue }
            let members = nodes[root].members.filter { !certified[$0] }, points = points, boxes = grown[rule]
            let pieces = (members.count + 1023) / 1024
            // Nothing in the closure throws.
            let inside = try! Parallelism.map(pieces) { piece in
                points.withUnsafeBufferPointer { all in
                    members[(piece * 1024)..<min(members.count, (piece + 1) * 1024)].filter { row in
                        let point = UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
                        return boxes.contains { $0.contains(point) }
                    }
                }
            }
            for row in inside.joined() { certified[row] = true }
        }
    }

    /// The (rule, centre) pairs to grow boxes for, centres in `evenlySpreadOrder`, at most `most` of them:
    /// a centre inside the domain, a rule whose box its cloud reaches and that decides the point of that
    /// box nearest the centre (moved just inside a lower face it lies on: a condition `x > c` leaves c to
    /// the rule on the other side, though the rule's closed box holds it).
    func centreJobs(count: Int, spread: [Double], free: [Bool], most: Int) -> [(rule: Int, centre: Int)] {
        let width = network.schema.count, centres = certifier.centres
        let order = Self.evenlySpreadOrder(count)
        var jobs: [(rule: Int, centre: Int)] = []
        var start = 0
        // A chunk of centres at a time: which rule decides each candidate's nearest point, in one pass.
        while start < order.count, jobs.count < most {
            var candidates: [(rule: Int, centre: Int)] = [], nearest: [Double] = []
            for centre in order[start..<min(start + 1024, order.count)] {
                let point = Array(centres[(centre * width)..<((centre + 1) * width)])
                guard point.withUnsafeBufferPointer({ domain.contains($0) }) else { continue }
                for rule in regions.indices where Self.reaches(point, box: regions[rule].box, spread: spread, free: free) {
                    let box = regions[rule].box
                    candidates.append((rule, centre))
                    nearest += Self.nearest(point, in: box, free: free).enumerated().map { feature, value in
                        free[feature] && value <= box.lower[feature] && box.lower[feature] < box.upper[feature]
                            ? min(box.lower[feature].nextUp, box.upper[feature]) : value
                    }
                }
            }
            start += 1024
            guard !candidates.isEmpty,
                  let deciders = ListedRegion.regions(of: certifier.surrogate, domain: domain, rows: nearest)?.deciders else { continue }
            for (candidate, decider) in zip(candidates, deciders) where decider == candidate.rule && jobs.count < most {
                jobs.append(candidate)
            }
        }
        return jobs
    }

    /// Per feature, whether a centre's box may widen on it: a continuous feature the cloud spreads.
    static func spreadFeatures(_ schema: FeatureSchema, spread: [Double]) -> [Bool] {
        schema.features.indices.map { feature in
            guard spread[feature] > 0, case .continuous = schema.features[feature].kind else { return false }
            return true
        }
    }

    /// The point of `box` nearest `centre` along the `free` features (the centre's value on the others).
    static func nearest(_ centre: [Double], in box: RawBox, free: [Bool]) -> [Double] {
        centre.indices.map { free[$0] ? min(max(centre[$0], box.lower[$0]), box.upper[$0]) : centre[$0] }
    }

    /// 0..<count ordered by the bits of the index reversed: every prefix is spread evenly through the range.
    static func evenlySpreadOrder(_ count: Int) -> [Int] {
        guard count > 1 else { return Array(0..<count) }
        let bits = Int.bitWidth - (count - 1).leadingZeroBitCount
        func reversed(_ index: Int) -> Int { (0..<bits).reduce(0) { $0 | ((index >> $1) & 1) << (bits - 1 - $1) } }
        return (0..<(1 << bits)).map(reversed).filter { $0 < count }
    }

    /// Whether the cloud around `centre` reaches `box`: the centre's category and binary value (and the
    /// value of a feature the cloud does not spread) lie in the box, and the box comes within `centreReach`
    /// standard deviations of it on the others.
    func reaches(_ centre: [Double], box: RawBox, spread: [Double]) -> Bool {
        Self.reaches(centre, box: box, spread: spread, free: Self.spreadFeatures(network.schema, spread: spread))
    }

    /// `reaches(_:box:spread:)` with the features the cloud spreads given (`spreadFeatures`).
    static func reaches(_ centre: [Double], box: RawBox, spread: [Double], free: [Bool]) -> Bool {
        guard !box.isEmpty else { return false }
        for feature in centre.indices {
            if let mask = box.allowed[feature] {
                guard let category = Int(exactly: centre[feature]), mask.indices.contains(category), mask[category] else { return false }
            } else if free[feature] {
                let nearest = min(max(centre[feature], box.lower[feature]), box.upper[feature])
                guard abs(nearest - centre[feature]) <= centreReach * spread[feature] else { return false }
            } else if !(box.lower[feature] <= centre[feature] && centre[feature] <= box.upper[feature]) {
                return false
            }
        }
        return true
    }

    /// `cloudBox(around:region:spread:free:budget:certifier:chain:options:)` with this search's certifier.
    func cloudBox(around centre: [Double], region: ListedRegion, spread: [Double], budget: Int) -> (RawBox?, Int) {
        Self.cloudBox(around: centre, region: region, spread: spread, free: Self.spreadFeatures(network.schema, spread: spread),
                      budget: budget, certifier: certifier, chain: chain, options: options)
    }

    /// The largest certified box around `centre` within the rule's box, its half-width the same number t of
    /// the cloud's standard deviations on every feature it spreads (`free`), and the bounds used (at most
    /// `budget`). Uniform boxes hold more of a correlated cloud than boxes narrowed along the features the
    /// network is most sensitive to and widened along the others: on the breast-cancer sample, a box shaped
    /// by maximising Π erf(u_i / √2) for the margin near the row held 10% of its row's cloud on average, a
    /// uniform one 15% (`Benchmarks/breast_cancer_relaxations.py`). A probe box of 1e-3 deviations at the
    /// point of the rule's box nearest the centre gives the margin there and how fast the bound's gap grows
    /// with the box; the first t tried keeps within that margin to first order. t is then doubled while it
    /// certifies (up to 4) or halved until it does, and the bracket bisected (in the logarithm, to 2%) while
    /// the budget lasts. Categorical, binary and unspread features keep the centre's value; every box holds
    /// the point of the rule's box nearest the centre. Nil when none certifies, when the cloud does not
    /// reach the rule's box (`reaches`), and when the box proved is flat on a feature the cloud spreads where
    /// the rule's box is not (the centre lies outside the rule's box farther than t deviations: a box of no
    /// mass).
    static func cloudBox(around centre: [Double], region: ListedRegion, spread: [Double], free: [Bool], budget: Int,
                         certifier: RuleCertifier, chain: BoundChain, options: RuleCertifier.Options) -> (RawBox?, Int) {
        let width = centre.count, limits = region.box
        guard budget > 0, reaches(centre, box: limits, spread: spread, free: free) else { return (nil, 0) }
        let nearest = Self.nearest(centre, in: limits, free: free)
        func box(around point: [Double], deviations: Double) -> RawBox {
            var box = limits
            for feature in 0..<width {
                if var mask = box.allowed[feature] {
                    for index in mask.indices where index != Int(centre[feature]) { mask[index] = false }
                    box.allowed[feature] = mask
                } else if free[feature] {
                    let half = deviations * spread[feature]
                    box.lower[feature] = max(limits.lower[feature], min(point[feature] - half, nearest[feature]))
                    box.upper[feature] = min(limits.upper[feature], max(point[feature] + half, nearest[feature]))
                } else {
                    box.lower[feature] = centre[feature]
                    box.upper[feature] = centre[feature]
                }
            }
            return box
        }
        let probe = box(around: nearest, deviations: 1e-3)
        let near = certifier.margins(probe, region: region, chain: chain, options: options)
        var used = 1
        guard let margin = near.lower.min(), margin > 0 else { return (nil, used) }
        // The bound's gap per deviation of every spread feature at once.
        let cost = (0..<width).reduce(0.0) { total, feature in
            let extent = probe.upper[feature] - probe.lower[feature]
            return free[feature] && extent > 0 ? total + near.shares[feature] * spread[feature] / extent : total
        }
        let widest = log(maxDeviations)
        var best: RawBox?, proved: Double?, failed: Double?
        var next = min(widest, log(max(cost > 0 ? margin / cost : maxDeviations, 1e-3)))
        while used < budget {
            if let low = proved, let high = failed {
                guard high - low > 0.02 else { break }
                next = 0.5 * (low + high)
            }
            used += 1
            let candidate = box(around: centre, deviations: exp(next))
            if certifier.margins(candidate, region: region, chain: chain, options: options).lower.allSatisfy({ $0 > 0 }) {
                (best, proved) = (candidate, next)
                guard next < widest else { break }
                if failed == nil { next = min(widest, next + log(2.0)) }
            } else {
                failed = next
                if proved == nil { next -= log(2.0) }
            }
        }
        if let found = best, (0..<width).contains(where: { free[$0] && found.lower[$0] == found.upper[$0] && limits.lower[$0] < limits.upper[$0] }) {
            return (nil, used)
        }
        return (best, used)
    }
}
