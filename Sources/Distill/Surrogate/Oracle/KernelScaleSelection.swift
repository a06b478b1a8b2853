/// How well points drawn at one kernel scale teach a tree the network's answers between rows
/// (`InputDistribution.kernelScaleScores`).
public struct KernelScaleScore: Equatable, Sendable {
    /// The scale, a fraction of Scott's bandwidth.
    public var scale: Double
    /// The judged points' error, averaged over the fits: the share where the tree's class differs from the
    /// network's, or for regression the squared error summed over the outputs.
    public var meanError: Double
    /// How much higher `meanError` is than the lowest scale's (0 for that scale).
    public var excess: Double
    /// The standard error of `excess`, from the rounds' own differences from the lowest scale's (each
    /// round paired with that scale's round on the same halves, draw seeds and judged points).
    public var excessError: Double
    /// Rounds of halving the rows (each fits two trees at this scale).
    public var rounds: Int
}

extension InputDistribution {
    /// The scales `choosingKernelScale` tries, widest first.
    public static let kernelScales = [1.0, 0.5, 0.25, 0.125]
    /// Fresh halvings of the rows the scales are compared over.
    public static let kernelScaleRounds = 4
    /// Fewer rows than this are not halved to choose a scale: the full width is kept.
    static let kernelScaleMinimumRows = 20
    /// Points drawn around each half, for each scale and round, by default.
    public static let kernelScalePoints = 1000
    /// A scale is passed over for a narrower one only when its excess is more than this many of its standard
    /// errors.
    static let kernelScaleStandardErrors = 2.0

    /// This distribution with the kernel scale under which drawn points best stand in for new rows. In
    /// each of `kernelScaleRounds` rounds the rows are split into seeded halves; for each scale of
    /// `kernelScales`, points drawn around one half and labelled by `network` fit a CART tree of 32 leaves,
    /// which is scored against the network on points between rows of the other half and their near
    /// neighbours (`NeighbourInterpolation`), and the halves then swap (disagreeing points for classifiers,
    /// squared error for regression). The widest scale whose error is within `kernelScaleStandardErrors`
    /// standard errors of the lowest is kept, the standard error measured over the rounds (CART's 1-SE
    /// rule, stricter): a narrower kernel only when it is clearly better. A single 32-leaf CART tree is a
    /// noisy judge (on a checkerboard its greedy splits give 3% or 46% error by the luck of the draws), so
    /// one fit per half chose scales that moved from seed to seed (`Benchmarks/kernel_scale_stability.py`).
    /// Scott's bandwidth nears the data's own spread in many dimensions, where copies of a row blur into
    /// points unlike any row (8x8 digits, `best` at 16 leaves: 73-76% held-out fidelity at scale 1, 82-84%
    /// at 1/8); rows that are few or lie in few dimensions keep the full width.
    /// The points are not the rows themselves because a network that memorised its training rows answers
    /// them by heart, and narrow kernels that copy the memorising would win there while new rows meet the
    /// network's other answers.
    public func choosingKernelScale(network: Network, rows: Dataset, seed: UInt64, pointsPerHalf: Int = kernelScalePoints,
                                    maxRows: Int = 20_000) -> InputDistribution {
        let scores = kernelScaleScores(network: network, rows: rows, seed: seed, pointsPerHalf: pointsPerHalf, maxRows: maxRows)
        guard !scores.isEmpty else { return self }
        var result = self
        result.kernelScale = scores[Self.chosenScale(scores)].scale
        return result
    }

    /// The index into `scores` (one per scale of `kernelScales`, widest first) `choosingKernelScale` keeps:
    /// the first whose excess is at most `kernelScaleStandardErrors` times its standard error.
    public static func chosenScale(_ scores: [KernelScaleScore]) -> Int {
        scores.indices.first { scores[$0].excess <= kernelScaleStandardErrors * scores[$0].excessError } ?? 0
    }

    /// How well draws at each scale of `kernelScales` teach a tree the network's answers between rows
    /// (see `choosingKernelScale`), widest scale first; the same on any number of threads.
    /// - Parameters:
    ///   - network: The network that labels the draws and the judged points.
    ///   - rows: The data rows; up to `maxRows` of them, evenly spaced, are halved.
    ///   - seed: Seeds the halvings, the draws and the judged points.
    ///   - pointsPerHalf: Points drawn around each half for each scale and round.
    ///   - maxRows: The most rows halved.
    public func kernelScaleScores(network: Network, rows: Dataset, seed: UInt64, pointsPerHalf: Int = kernelScalePoints,
                                  maxRows: Int = 20_000) -> [KernelScaleScore] {
        guard rows.rows >= Self.kernelScaleMinimumRows else { return [] }
        let errors = kernelScaleErrors(network: network, rows: rows, seed: seed, pointsPerHalf: pointsPerHalf, maxRows: maxRows)
        let scales = Self.kernelScales.count, fits = errors.count / scales
        // Per scale and round, the mean of the round's two fits' mean errors (the two halves of a round
        // share one split, each judged on the other: a round is one observation).
        let roundMeans = (0..<scales).map { scale in
            stride(from: 0, to: fits, by: 2).map { fit in
                (0...1).reduce(0.0) { total, half in
                    let list = errors[(fit + half) * scales + scale]
                    return total + list.reduce(0, +) / Double(max(list.count, 1)) / 2
                }
            }
        }
        return Self.kernelScaleScores(roundMeans: roundMeans)
    }

    /// Scores from each scale's per-round mean errors (`roundMeans[scale][round]`, scales as in
    /// `kernelScales`): the mean over the rounds, and the mean and standard error of the rounds'
    /// differences from the scale with the lowest mean.
    static func kernelScaleScores(roundMeans: [[Double]]) -> [KernelScaleScore] {
        let rounds = roundMeans.first?.count ?? 0
        guard rounds > 0 else { return [] }
        let n = Double(rounds)
        let average = roundMeans.map { $0.reduce(0, +) / n }
        let lowest = average.indices.min { average[$0] < average[$1] } ?? 0
        return roundMeans.indices.map { scale in
            let differences = zip(roundMeans[scale], roundMeans[lowest]).map { $0 - $1 }
            let mean = differences.reduce(0, +) / n
            let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(n - 1, 1)
            return KernelScaleScore(scale: kernelScales[scale], meanError: average[scale], excess: mean,
                                    excessError: (variance / n).squareRoot(), rounds: rounds)
        }
    }

    /// The seed of stream `index` of `purpose` (halvings, judged points, draws) for `seed`: one SplitMix64
    /// output, so that streams of neighbouring indices are unrelated (seeds a multiple of the generator's
    /// step apart give the same stream shifted).
    static func kernelScaleSeed(_ seed: UInt64, purpose: UInt64, index: Int) -> UInt64 {
        var generator = SeededGenerator(seed: seed &+ 0x5CA1E &+ purpose &* 0x1_0000_0000 &+ UInt64(index))
        return generator.next()
    }

    /// Round `round`'s halves of `kept` (row indices), each in increasing order.
    static func kernelScaleHalves(_ kept: [Int], seed: UInt64, round: Int) -> [[Int]] {
        var generator = SeededGenerator(seed: kernelScaleSeed(seed, purpose: 0, index: round))
        let order = generator.permutation(kept.count).map { kept[$0] }
        return [Array(order[..<(kept.count / 2)]).sorted(), Array(order[(kept.count / 2)...]).sorted()]
    }

    /// Per fit (round 0 half 0, round 0 half 1, round 1 half 0, ...) and scale of `kernelScales` within it:
    /// each judged point's error (`rowErrors`) of the tree fitted on draws around that half, the judged
    /// points lying between rows of the other half (up to `judgedPoints` of them). Each round splits up to
    /// `maxRows` rows, evenly spaced, into halves of its own (`kernelScaleHalves`); every scale of a fit draws
    /// with the same seed.
    func kernelScaleErrors(network: Network, rows: Dataset, seed: UInt64, pointsPerHalf: Int, maxRows: Int,
                           judgedPoints: Int = 1000) -> [[Double]] {
        let kept = rows.rows <= maxRows ? Array(0..<rows.rows) : (0..<maxRows).map { $0 * rows.rows / maxRows }
        let continuous = schema.features.indices.filter { frequencies[$0].isEmpty }
        let interpolation = NeighbourInterpolation(continuous: continuous)
        let rounds = (0..<Self.kernelScaleRounds).map { round -> (halves: [Dataset], judged: [OracleSample]) in
            let halves = Self.kernelScaleHalves(kept, seed: seed, round: round).map(rows.subset)
            let judged = halves.indices.map { half -> OracleSample in
                let points = interpolation.points(between: halves[half], count: judgedPoints,
                                                  seed: Self.kernelScaleSeed(seed, purpose: 1, index: 2 * round + half))
                return OracleSample(points: points, target: OracleSample.label(points, by: network))
            }
            return (halves, judged)
        }
        let scales = Self.kernelScales.count
        // Every tree side by side (each fit seeded on its own; nothing here throws).
        return (try? Parallelism.map(2 * rounds.count * scales) { piece -> [Double] in
            let fit = piece / scales, round = fit / 2, half = fit % 2
            var scaled = self
            scaled.kernelScale = Self.kernelScales[piece % scales]
            let around = rounds[round].halves[half], judged = rounds[round].judged[1 - half]
            let drawSeed = Self.kernelScaleSeed(seed, purpose: 2, index: fit)
            let drawnPoints = JointKernel(distribution: scaled, rows: around, spread: scaled.kernelScale).map {
                Dataset(schema: network.schema, rows: pointsPerHalf, values: $0.sample(pointsPerHalf, rows: around, seed: drawSeed))
            } ?? OracleSample.drawPoints(pointsPerHalf, network: network, distribution: scaled, rows: around, sampler: .rows, seed: drawSeed)
            let drawn = OracleSample.labelled(drawnPoints, by: network)
            let tree = TreeBuilder(settings: TreeSettings(maxLeaves: 32)).fit(drawn.points, target: drawn.target, outputs: network.outputs)
            return Self.rowErrors(tree, on: judged.points, target: judged.target)
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
