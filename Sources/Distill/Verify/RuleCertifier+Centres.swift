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
    /// one per rule whose box the cloud reaches, before branch and bound, with at most a quarter of the
    /// budget. Where the distribution is a kernel density over rows, its mass lies in a cloud around each
    /// row; in many dimensions, a box grown around a drawn point (`growBoxes`) sits off its cloud's centre
    /// and holds little of it, and the boxes of branch and bound are too coarse. Each box here is centred on
    /// its row, as many of the cloud's standard deviations wide on every feature, clipped to the rule's
    /// box, and as large as the bounds can prove (`cloudBox(around:...)`). Centres are taken in bit-reversed order of their index, so that a
    /// budget spent early still covers the whole file evenly; each centre's box is grown on its own, `batchSize`
    /// side by side, so the boxes do not depend on the threads.
    mutating func growAroundCentres() {
        let width = network.schema.count, centres = certifier.centres
        guard width > 0, let spread = certifier.spread, spread.count == width, centres.count >= width else { return }
        let count = centres.count / width, limit = min(options.maxBoxes, boxes + options.maxBoxes / 4)
        var jobs: [(rule: Int, centre: Int)] = []
        for centre in Self.evenlySpreadOrder(count) {
            let point = Array(centres[(centre * width)..<((centre + 1) * width)])
            guard point.withUnsafeBufferPointer({ domain.contains($0) }) else { continue }
            for rule in regions.indices where reaches(point, box: regions[rule].box, spread: spread) { jobs.append((rule, centre)) }
        }
        var grownBoxes = [[RawBox]](repeating: [], count: regions.count)
        var next = 0
        jobs: while next < jobs.count, boxes < limit, !outOfTime() {
            let batch = Array(jobs[next..<min(next + Self.batchSize, jobs.count)])
            next += batch.count
            let budget = min(Self.boundsPerCentre, limit - boxes)
            // Nothing in the closure throws.
            let grown = try! Parallelism.map(batch.count) { index in
                cloudBox(around: Array(centres[(batch[index].centre * width)..<((batch[index].centre + 1) * width)]),
                         region: regions[batch[index].rule], spread: spread, budget: budget)
            }
            for (job, (box, used)) in zip(batch, grown) {
                guard used <= limit - boxes else { break jobs }
                boxes += used
                stage?.reach(boxes)
                if let box { grownBoxes[job.rule].append(box) }
            }
        }
        // The drawn points inside them are certified already: `growBoxes` skips them.
        let members = roots.map { $0.map { nodes[$0].members } ?? [] }
        points.withUnsafeBufferPointer { all in
            for rule in regions.indices where !grownBoxes[rule].isEmpty {
                certifiedBoxes[rule] += grownBoxes[rule]
                for row in members[rule] where !certified[row] {
                    let point = UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
                    if grownBoxes[rule].contains(where: { $0.contains(point) }) { certified[row] = true }
                }
            }
        }
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
        guard !box.isEmpty else { return false }
        for feature in centre.indices {
            if let mask = box.allowed[feature] {
                let category = Int(centre[feature])
                guard mask.indices.contains(category), mask[category] else { return false }
            } else if spread[feature] > 0, case .continuous = network.schema.features[feature].kind {
                let nearest = min(max(centre[feature], box.lower[feature]), box.upper[feature])
                guard abs(nearest - centre[feature]) <= Self.centreReach * spread[feature] else { return false }
            } else if centre[feature] < box.lower[feature] || centre[feature] > box.upper[feature] {
                return false
            }
        }
        return true
    }

    /// The largest certified box around `centre` within the rule's box, its half-width the same number t of
    /// the cloud's standard deviations on every feature it spreads, and the bounds used (at most `budget`).
    /// Uniform boxes hold more of a correlated cloud than boxes narrowed along the features the network is
    /// most sensitive to and widened along the others: on the breast-cancer sample, a box shaped by
    /// maximising Π erf(u_i / √2) for the margin near the row held 10% of its row's cloud on average, a
    /// uniform one 15%. A probe box of 1e-3 deviations at the point of the rule's box nearest the centre
    /// gives the margin there and how fast the bound's gap grows with the box; the first t tried keeps
    /// within that margin to first order. t is then doubled while it certifies (up to 4) or halved until it
    /// does, and the bracket bisected (in the logarithm, to 2%) while the budget lasts. Categorical,
    /// binary and unspread features keep the centre's value; every box holds the point of the rule's box
    /// nearest the centre. Nil when none certifies.
    func cloudBox(around centre: [Double], region: ListedRegion, spread: [Double], budget: Int) -> (RawBox?, Int) {
        let width = centre.count, limits = region.box
        let free = (0..<width).map { feature -> Bool in
            guard spread[feature] > 0, case .continuous = network.schema.features[feature].kind else { return false }
            return true
        }
        let nearest = (0..<width).map { free[$0] ? min(max(centre[$0], limits.lower[$0]), limits.upper[$0]) : centre[$0] }
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
        guard budget > 0 else { return (nil, 0) }
        let probe = box(around: nearest, deviations: 1e-3)
        let near = certifier.margins(probe, region: region, chain: chain, options: options)
        var used = 1
        guard let margin = near.lower.min(), margin > 0 else { return (nil, used) }
        // The bound's gap per deviation of every spread feature at once.
        let cost = (0..<width).reduce(0.0) { total, feature in
            let extent = probe.upper[feature] - probe.lower[feature]
            return free[feature] && extent > 0 ? total + near.shares[feature] * spread[feature] / extent : total
        }
        let widest = log(Self.maxDeviations)
        var best: RawBox?, proved: Double?, failed: Double?
        var next = min(widest, log(max(cost > 0 ? margin / cost : Self.maxDeviations, 1e-3)))
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
        return (best, used)
    }
}
