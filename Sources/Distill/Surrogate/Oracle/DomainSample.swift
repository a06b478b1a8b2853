/// The points domain fidelity is measured on, with the network's answers. Drawn in blocks
/// (`InputDistribution.samplePerturbedInBlocks`: past 64 continuous inputs) and larger than `heldValues`
/// values, the points are not held: they are drawn and labelled a piece of whole blocks at a time, and
/// drawn again the same way whenever a surrogate is measured. Each block comes from its own stream, so
/// the pieces are the points one whole draw gives (784 inputs: 627 MB of points held before, 64 MB at
/// most now).
public struct DomainSample: Sendable {
    /// Values held at most: past this, the points are drawn in pieces (64 MB).
    static let heldValues = 8_000_000

    /// Points drawn.
    public let count: Int
    /// The network's answer on every point.
    public let target: TreeTarget
    /// The points, when held.
    let held: Dataset?
    /// How the points are drawn again, when not held.
    let pieces: Pieces?
    /// A surrogate's answers on the points, taken while they were first drawn (`draw`'s `predicting`).
    let measured: Measured?

    /// A surrogate and its classes (classification) or outputs on every point, in order.
    struct Measured: Sendable {
        let surrogate: Surrogate
        let classes: [Int]
        let values: [Double]
    }

    /// What drawing the points again piece by piece takes.
    struct Pieces: Sendable {
        let schema: FeatureSchema
        let distribution: InputDistribution
        let rows: Dataset
        let seed: UInt64
        /// Blocks of `InputDistribution.drawBlock` points per piece.
        let blocks: Int
    }

    /// `count` points as `OracleSample.draw(_:network:distribution:rows:sampler:seed:checkedFor:)` draws
    /// and labels them, held whole or, when large and drawn in blocks, drawn and labelled in pieces; then
    /// `predicting`'s answers are taken from each piece as well, so that measuring it draws nothing again.
    static func draw(_ count: Int, network: Network, distribution: InputDistribution, rows: Dataset, sampler: OracleSampler,
                     seed: UInt64, checkedFor file: String, heldValues: Int = DomainSample.heldValues,
                     predicting surrogate: Surrogate? = nil) throws -> DomainSample {
        let width = max(network.schema.count, 1)
        guard sampler == .rows, count * width > heldValues, distribution.drawsInBlocks, rows.rows > 0,
              JointKernel(distribution: distribution, rows: rows, spread: distribution.kernelScale) == nil else {
            let sample = try OracleSample.draw(count, network: network, distribution: distribution, rows: rows, sampler: sampler,
                                               seed: seed, checkedFor: file)
            return DomainSample(count: count, target: sample.target, held: sample.points, pieces: nil, measured: nil)
        }
        let pieces = Pieces(schema: network.schema, distribution: distribution, rows: rows, seed: seed,
                            blocks: max(1, heldValues / width / InputDistribution.drawBlock))
        let evaluator = NetworkEvaluator(network: network)
        var classes: [Int] = [], values: [Double] = [], outputs = 0
        var predictedClasses: [Int] = [], predictedValues: [Double] = []
        try Self.forEachPiece(count, pieces: pieces) { first, points in
            if let surrogate {
                Self.predict(surrogate, points, classification: network.task == .classification, classes: &predictedClasses,
                             values: &predictedValues)
            }
            do {
                if network.task == .classification {
                    classes += try evaluator.checkedPredictedClasses(raw: points.values, rows: points.rows, file: file, what: "drawn point")
                } else {
                    let output = try evaluator.checkedDrawnOutputs(raw: points.values, rows: points.rows, file: file, what: "drawn point")
                    values += output.values
                    outputs = output.width
                }
            } catch {
                // The same diagnostic, numbering the point among all the drawn ones.
                _ = try evaluator.checkedEvaluate(raw: points.values, rows: points.rows, file: file, what: "drawn point", firstIndex: first)
                throw error
            }
        }
        let target: TreeTarget = network.task == .classification
            ? .classes(classes, classCount: network.outputs.count) : .values(values, outputs: outputs)
        let measured = surrogate.map { Measured(surrogate: $0, classes: predictedClasses, values: predictedValues) }
        return DomainSample(count: count, target: target, held: nil, pieces: pieces, measured: measured)
    }

    /// `surrogate`'s classes (classification) or outputs on every point, in order: those taken while
    /// drawing when it is the surrogate measured then, else from each piece (drawn again when not held).
    func predictions(of surrogate: Surrogate) -> (classes: [Int], values: [Double]) {
        if let measured, measured.surrogate == surrogate { return (measured.classes, measured.values) }
        var classes: [Int] = [], values: [Double] = []
        let classification: Bool
        if case .classes = target { classification = true } else { classification = false }
        forEachPiece { _, points in Self.predict(surrogate, points, classification: classification, classes: &classes, values: &values) }
        return (classes, values)
    }

    private static func predict(_ surrogate: Surrogate, _ points: Dataset, classification: Bool, classes: inout [Int], values: inout [Double]) {
        if classification {
            classes += surrogate.predictClasses(raw: points.values, rows: points.rows)
        } else {
            values += surrogate.predictValues(raw: points.values, rows: points.rows)
        }
    }

    /// Calls `body` with each piece of the points in order: the index of its first point and its points.
    func forEachPiece(_ body: (Int, Dataset) throws -> Void) rethrows {
        if let held { return try body(0, held) }
        if let pieces { try Self.forEachPiece(count, pieces: pieces, body) }
    }

    private static func forEachPiece(_ count: Int, pieces: Pieces, _ body: (Int, Dataset) throws -> Void) rethrows {
        let perPiece = pieces.blocks * InputDistribution.drawBlock
        for first in stride(from: 0, to: count, by: perPiece) {
            let firstBlock = first / InputDistribution.drawBlock
            let values = pieces.distribution.samplePerturbedInBlocks(count, rows: pieces.rows.values, spread: pieces.distribution.kernelScale,
                                                                     seed: pieces.seed, blocks: firstBlock..<(firstBlock + pieces.blocks))
            try body(first, Dataset(schema: pieces.schema, rows: min(count, first + perPiece) - first, values: values))
        }
    }
}
