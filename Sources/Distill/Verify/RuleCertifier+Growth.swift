import Foundation

extension RuleCertifier.Search {
    /// Boxes grown around the points of undecided boxes where the network agrees, the points it
    /// decides most clearly first (their boxes are the largest), until the budget is spent. The next
    /// `batchSize` points not yet certified are grown side by side and taken in order; a point that a
    /// box taken before it in the batch certified is skipped, as it would have been one at a time.
    mutating func growBoxes() {
        let width = network.schema.count
        for node in queue.sorted(by: { nodes[$0].members.count > nodes[$1].members.count }) {
            let (rule, inside, members) = (nodes[node].rule, nodes[node].box, nodes[node].members)
            let order = members.sorted { margin[$0] > margin[$1] || (margin[$0] == margin[$1] && $0 < $1) }
            var next = 0
            while next < order.count {
                var batch: [Int] = []
                while batch.count < Self.batchSize, next < order.count {
                    if !certified[order[next]] && agrees[order[next]] { batch.append(order[next]) }
                    next += 1
                }
                guard !batch.isEmpty else { break }
                guard boxes < options.maxBoxes, !outOfTime() else { return }
                let grown = grow(around: batch, inside: inside, region: regions[rule], members: members, budget: options.maxBoxes - boxes)
                for (row, (box, used)) in zip(batch, grown) where !certified[row] {
                    guard used <= options.maxBoxes - boxes else { return }
                    boxes += used
                    stage?.reach(boxes)
                    guard let box else { continue }
                    certifiedBoxes[rule].append(box)
                    points.withUnsafeBufferPointer { all in
                        for other in members where box.contains(UnsafeBufferPointer(rebasing: all[(other * width)..<((other + 1) * width)])) {
                            certified[other] = true
                        }
                    }
                }
            }
        }
    }

    /// `grow(around:...)` for each of `rows`, side by side; on one thread one after another, skipping a
    /// point inside a box grown before it (whose result the caller skips anyway), so that one thread
    /// grows no box it did not grow before.
    fileprivate func grow(around rows: [Int], inside box: RawBox, region: ListedRegion, members: [Int], budget: Int) -> [(RawBox?, Int)] {
        guard Parallelism.threads == 1 else {
            // Nothing in the closure throws.
            return try! Parallelism.map(rows.count) { grow(around: rows[$0], inside: box, region: region, members: members, budget: budget) }
        }
        let width = network.schema.count
        var grown: [(RawBox?, Int)] = []
        for row in rows {
            let covered = points.withUnsafeBufferPointer { all in
                grown.contains { $0.0?.contains(UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])) ?? false }
            }
            grown.append(covered ? (nil, 0) : grow(around: row, inside: box, region: region, members: members, budget: budget))
        }
        return grown
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
    fileprivate func largest(unit: [Double], budget: Int, cube: (Double, [Double]) -> RawBox, region: ListedRegion) -> (RawBox?, Int) {
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
