extension InputDistribution {
    /// The scales `choosingKernelScale` tries, widest first.
    static let kernelScales = [1.0, 0.5, 0.25, 0.125]

    /// This distribution with the kernel scale under which drawn points best stand in for new rows: for
    /// each scale of `kernelScales`, points drawn around one half of `rows` (seeded halves) and labelled
    /// by `network` fit a CART tree of 32 leaves, which is scored against the network on the other half,
    /// and the halves then swap (agreeing rows for classifiers, squared error for regression). Ties keep
    /// the wider scale. Scott's bandwidth nears the data's own spread in many dimensions, where copies
    /// of a row blur into points unlike any row (8x8 digits: 66% held-out fidelity at 16 leaves at scale 1,
    /// 77% at the chosen one); rows that are few or lie in few dimensions keep the full width.
    public func choosingKernelScale(network: Network, rows: Dataset, seed: UInt64, pointsPerHalf: Int = 4000) -> InputDistribution {
        guard rows.rows >= 20 else { return self }
        var generator = SeededGenerator(seed: seed &+ 0x5CA1E)
        let order = generator.permutation(rows.rows)
        let halves = [Array(order[..<(rows.rows / 2)]).sorted(), Array(order[(rows.rows / 2)...]).sorted()].map(rows.subset)
        let judged = halves.map { OracleSample.label($0, by: network) }
        var best = self, bestScore = -Double.infinity
        for scale in Self.kernelScales {
            var scaled = self
            scaled.kernelScale = scale
            var score = 0.0
            for (fit, judge) in [(0, 1), (1, 0)] {
                let drawn = OracleSample.draw(pointsPerHalf, network: network, distribution: scaled, rows: halves[fit],
                                              sampler: .rows, seed: seed &+ 0x5CA1E &+ UInt64(fit))
                let tree = TreeBuilder(settings: TreeSettings(maxLeaves: 32)).fit(drawn.points, target: drawn.target, outputs: network.outputs)
                score += Self.agreement(tree, on: halves[judge], target: judged[judge])
            }
            if score > bestScore {
                bestScore = score
                best = scaled
            }
        }
        return best
    }

    /// Rows on which the tree gives the network's class, or minus the squared error of its outputs.
    static func agreement(_ tree: DecisionTree, on rows: Dataset, target: TreeTarget) -> Double {
        switch target {
        case let .classes(classes, _):
            return Double(zip(tree.predictClasses(raw: rows.values, rows: rows.rows), classes).filter { $0 == $1 }.count)
        case let .values(values, _):
            return -zip(tree.predictValues(raw: rows.values, rows: rows.rows), values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
    }
}
