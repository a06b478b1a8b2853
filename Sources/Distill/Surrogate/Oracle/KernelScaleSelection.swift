extension InputDistribution {
    /// The scales `choosingKernelScale` tries, widest first.
    static let kernelScales = [1.0, 0.5, 0.25, 0.125]

    /// This distribution with the kernel scale under which drawn points best stand in for new rows: for
    /// each scale of `kernelScales`, points drawn around one half of `rows` (seeded halves) and labelled
    /// by `network` fit a CART tree of 32 leaves, which is scored against the network on points between
    /// rows of the other half and their near neighbours (`NeighbourInterpolation`), and the halves then swap
    /// (disagreeing points for classifiers, squared error for regression). The widest scale within one
    /// standard error of the best is kept. Scott's bandwidth nears the data's own spread in many dimensions,
    /// where copies of a row blur into points unlike any row (8x8 digits, `best` at 16 leaves, seeds 1-5:
    /// 73-76% held-out fidelity at scale 1, 82-84% at 1/8); rows that are few or lie in few dimensions keep
    /// the full width.
    /// The points are not the rows themselves because a network that memorised its training rows answers
    /// them by heart, and narrow kernels that copy the memorising would win there while new rows meet the
    /// network's other answers.
    public func choosingKernelScale(network: Network, rows: Dataset, seed: UInt64, pointsPerHalf: Int = 4000,
                                    maxRows: Int = 20_000) -> InputDistribution {
        guard rows.rows >= 20 else { return self }
        let halfErrors = kernelScaleErrors(network: network, rows: rows, seed: seed, pointsPerHalf: pointsPerHalf, maxRows: maxRows)
        let scores = Self.kernelScales.indices.map { index -> (score: Double, error: Double) in
            let errors = halfErrors[2 * index] + halfErrors[2 * index + 1]
            // The score is minus the summed error; its standard error from the rows' errors.
            let n = Double(errors.count), mean = errors.reduce(0, +) / n
            let variance = errors.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)
            return (-mean * n, (variance * n).squareRoot())
        }
        // The widest scale within one standard error of the best (CART's 1-SE rule): a narrower kernel
        // only when it is clearly better, so that the choice does not turn on the draws' luck.
        let best = scores.indices.max { scores[$0].score < scores[$1].score }!
        let chosen = scores.indices.first { scores[$0].score >= scores[best].score - scores[best].error } ?? best
        var result = self
        result.kernelScale = Self.kernelScales[chosen]
        return result
    }

    /// Per scale of `kernelScales` and half (scale 0 half 0, scale 0 half 1, ...): each judged point's
    /// error (`rowErrors`) of the tree fitted on draws around this half, the judged points lying between rows
    /// of the other half (up to `judgedPoints` of them). Up to `maxRows` rows, evenly spaced, are split into
    /// seeded halves.
    func kernelScaleErrors(network: Network, rows: Dataset, seed: UInt64, pointsPerHalf: Int, maxRows: Int,
                           judgedPoints: Int = 4000) -> [[Double]] {
        let kept = rows.rows <= maxRows ? Array(0..<rows.rows) : (0..<maxRows).map { $0 * rows.rows / maxRows }
        var generator = SeededGenerator(seed: seed &+ 0x5CA1E)
        let order = generator.permutation(kept.count).map { kept[$0] }
        let halves = [Array(order[..<(kept.count / 2)]).sorted(), Array(order[(kept.count / 2)...]).sorted()].map(rows.subset)
        let continuous = schema.features.indices.filter { frequencies[$0].isEmpty }
        let interpolation = NeighbourInterpolation(continuous: continuous)
        let points = halves.indices.map {
            interpolation.points(between: halves[$0], count: judgedPoints, seed: seed &+ 0x5CA1E &+ 2 &+ UInt64($0))
        }
        let judged = points.map { OracleSample.label($0, by: network) }
        // Every scale's tree on each half, side by side (each fit seeded on its own; nothing here throws).
        return (try? Parallelism.map(2 * Self.kernelScales.count) { piece -> [Double] in
            var scaled = self
            scaled.kernelScale = Self.kernelScales[piece / 2]
            let fit = piece % 2, judge = 1 - fit
            // The joint kernel's draws on one stream (`JointKernel.sampleOnOneStream`).
            let drawSeed = seed &+ 0x5CA1E &+ UInt64(fit)
            let drawnPoints = JointKernel(distribution: scaled, rows: halves[fit], spread: scaled.kernelScale).map { kernel in
                var generator = SeededGenerator(seed: drawSeed)
                return Dataset(schema: network.schema, rows: pointsPerHalf,
                               values: kernel.sampleOnOneStream(pointsPerHalf, rows: halves[fit], generator: &generator))
            } ?? OracleSample.drawPoints(pointsPerHalf, network: network, distribution: scaled, rows: halves[fit], sampler: .rows,
                                         seed: drawSeed)
            let drawn = OracleSample.labelled(drawnPoints, by: network)
            let tree = TreeBuilder(settings: TreeSettings(maxLeaves: 32)).fit(drawn.points, target: drawn.target, outputs: network.outputs)
            return Self.rowErrors(tree, on: points[judge], target: judged[judge])
        }) ?? []
    }

    /// Each point's error against the network: 1 where the tree's class differs, else 0; or the squared
    /// error of its outputs.
    static func rowErrors(_ tree: DecisionTree, on rows: Dataset, target: TreeTarget) -> [Double] {
        switch target {
        case let .classes(classes, _):
            return zip(tree.predictClasses(raw: rows.values, rows: rows.rows), classes).map { $0 == $1 ? 0 : 1 }
        case let .values(values, outputs):
            let predicted = tree.predictValues(raw: rows.values, rows: rows.rows)
            return (0..<rows.rows).map { row -> Double in
                var sum = 0.0
                for output in 0..<outputs {
                    let error = predicted[row * outputs + output] - values[row * outputs + output]
                    sum += error * error
                }
                return sum
            }
        }
    }
}
