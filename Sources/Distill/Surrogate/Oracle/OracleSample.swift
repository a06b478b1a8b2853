/// Points drawn from the input distribution and labelled by the network: the oracle's answers that
/// surrogates are fitted, pruned, chosen and judged on, beyond the few data rows.
public struct OracleSample: Sendable {
    /// The drawn points (no ground truth).
    public var points: Dataset
    /// The network's answer on every point: its predicted classes, or its outputs.
    public var target: TreeTarget

    /// `count` points drawn by `sampler` with the stream of `seed`, labelled by `network`: copies of `rows`
    /// moved by the joint kernel of their continuous features (`JointKernel`; per-feature kernels when it
    /// cannot be fitted, e.g. from one row, drawn in parallel blocks on inputs too wide for it:
    /// `InputDistribution.samplePerturbedInBlocks`), scaled by `distribution.kernelScale`, or independent draws
    /// from `distribution`'s marginals. A classifier's classes are Double's (`predictedClasses`); a wide
    /// regression network's outputs may come from single-precision products (`drawnOutputs`).
    public static func draw(_ count: Int, network: Network, distribution: InputDistribution, rows: Dataset,
                            sampler: OracleSampler, seed: UInt64) -> OracleSample {
        labelled(drawPoints(count, network: network, distribution: distribution, rows: rows, sampler: sampler, seed: seed),
                 by: network)
    }

    /// Drawn `points` with `network`'s answers, as `draw` labels them.
    static func labelled(_ points: Dataset, by network: Network) -> OracleSample {
        guard network.task == .classification else {
            let output = NetworkEvaluator(network: network).drawnOutputs(raw: points.values, rows: points.rows)
            return OracleSample(points: points, target: target(output, of: network))
        }
        return OracleSample(points: points, target: label(points, by: network))
    }

    /// `draw`, stopped with a diagnostic naming `file` when the network's answer on a drawn point is not
    /// finite (a point near the edge of the data can overflow a network whose rows do not).
    public static func draw(_ count: Int, network: Network, distribution: InputDistribution, rows: Dataset,
                            sampler: OracleSampler, seed: UInt64, checkedFor file: String) throws -> OracleSample {
        let points = drawPoints(count, network: network, distribution: distribution, rows: rows, sampler: sampler, seed: seed)
        let evaluator = NetworkEvaluator(network: network)
        guard network.task == .classification else {
            let output = try evaluator.checkedDrawnOutputs(raw: points.values, rows: points.rows, file: file, what: "drawn point")
            return OracleSample(points: points, target: target(output, of: network))
        }
        let classes = try evaluator.checkedPredictedClasses(raw: points.values, rows: points.rows, file: file, what: "drawn point")
        return OracleSample(points: points, target: .classes(classes, classCount: network.outputs.count))
    }

    /// `draw`'s points without the network's answers.
    static func drawPoints(_ count: Int, network: Network, distribution: InputDistribution, rows: Dataset,
                           sampler: OracleSampler, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let whole = Region(schema: network.schema)
        let values: [Double]
        if sampler == .rows, let kernel = JointKernel(distribution: distribution, rows: rows, spread: distribution.kernelScale) {
            values = kernel.sample(count, rows: rows, seed: seed)
        } else if sampler == .rows, distribution.drawsInBlocks {
            values = distribution.samplePerturbedInBlocks(count, rows: rows.values, spread: distribution.kernelScale, seed: seed)
        } else if sampler == .rows {
            values = distribution.samplePerturbed(count, in: whole, rows: rows.values, spread: distribution.kernelScale,
                                                  generator: &generator)
        } else {
            values = distribution.sample(count, in: whole, generator: &generator)
        }
        return Dataset(schema: network.schema, rows: count, values: values)
    }

    /// The network's answers on `rows` as a tree target.
    public static func label(_ rows: Dataset, by network: Network) -> TreeTarget {
        let evaluator = NetworkEvaluator(network: network)
        return network.task == .classification
            ? .classes(evaluator.predictedClasses(raw: rows.values, rows: rows.rows), classCount: network.outputs.count)
            : target(evaluator.evaluate(raw: rows.values, rows: rows.rows), of: network)
    }

    /// The network's answers `output` as a tree target: its predicted classes, or its outputs.
    static func target(_ output: NetworkOutput, of network: Network) -> TreeTarget {
        network.task == .classification
            ? .classes(output.predictedClasses, classCount: network.outputs.count)
            : .values(output.values, outputs: output.width)
    }

    /// The data rows with their labels `target`, followed by these points with theirs.
    public func appended(to rows: Dataset, target rowTarget: TreeTarget) -> OracleSample {
        let joined = Dataset(schema: rows.schema, rows: rows.rows + points.rows, values: rows.values + points.values)
        switch (rowTarget, target) {
        case let (.classes(a, classCount), .classes(b, _)):
            return OracleSample(points: joined, target: .classes(a + b, classCount: classCount))
        case let (.values(a, outputs), .values(b, _)):
            return OracleSample(points: joined, target: .values(a + b, outputs: outputs))
        default:
            preconditionFailure("the rows and the drawn points must have the same kind of target")
        }
    }

    /// The first `count` points with their answers.
    public func prefix(_ count: Int) -> OracleSample {
        let width = points.schema.count
        let kept = Dataset(schema: points.schema, rows: count, values: Array(points.values.prefix(count * width)))
        switch target {
        case let .classes(classes, classCount): return OracleSample(points: kept, target: .classes(Array(classes.prefix(count)), classCount: classCount))
        case let .values(values, outputs): return OracleSample(points: kept, target: .values(Array(values.prefix(count * outputs)), outputs: outputs))
        }
    }

    /// `count` points evenly spaced through the sample (all of them when there are no more), with their
    /// answers, and besides them every point of `kept` (a range of positions: points that must be fitted,
    /// such as counterexamples), in the sample's order.
    public func evenlySpaced(_ count: Int, keeping kept: Range<Int> = 0..<0) -> OracleSample {
        guard count < points.rows - kept.clamped(to: 0..<points.rows).count else { return self }
        return subset(Self.evenlySpacedIndices(count, of: points.rows, keeping: kept))
    }

    /// The indices `evenlySpaced` keeps of `total` points, in order.
    public static func evenlySpacedIndices(_ count: Int, of total: Int, keeping kept: Range<Int> = 0..<0) -> [Int] {
        let kept = kept.clamped(to: 0..<total), others = total - kept.count
        guard count < others else { return Array(0..<total) }
        let spaced = (0..<count).map { $0 * others / count }.map { $0 < kept.lowerBound ? $0 : $0 + kept.count }
        return spaced.filter { $0 < kept.lowerBound } + Array(kept) + spaced.filter { $0 >= kept.upperBound }
    }

    /// The points at `indices`, with their answers.
    public func subset(_ indices: [Int]) -> OracleSample {
        OracleSample(points: points.subset(indices), target: target.subset(indices))
    }

    /// Predicted classes (classification targets).
    public var classes: [Int] {
        if case let .classes(classes, _) = target { return classes }
        return []
    }
}
