@testable import Distill
import Testing

/// Domain points drawn and labelled in pieces are the points, answers and fidelities of one whole draw.
struct DomainSampleTests {
    /// 70 continuous inputs (past the joint kernel's 64) and a random dense network to 3 classes, or to 2
    /// outputs for regression.
    static func setting(task: PredictionTask) -> (Network, Dataset) {
        var generator = SeededGenerator(seed: 12)
        let width = 70
        let schema = FeatureSchema(features: (0..<width).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) })
        let rows = 300
        let data = Dataset(schema: schema, rows: rows, values: (0..<(rows * width)).map { _ in generator.nextUnit() * 4 - 2 })
        let hidden = DenseLayer(units: 8, inputs: width, weights: (0..<(8 * width)).map { _ in generator.nextUnit() - 0.5 },
                                bias: (0..<8).map { _ in generator.nextUnit() - 0.5 }, activation: .relu)
        let classifier = task == .classification
        let outputs = classifier ? 3 : 2
        let last = DenseLayer(units: outputs, inputs: 8, weights: (0..<(outputs * 8)).map { _ in generator.nextUnit() * 2 - 1 },
                              bias: [Double](repeating: 0, count: outputs), activation: classifier ? .softmax : .identity)
        let network = Network(name: "wide", task: task, schema: schema, outputs: (0..<outputs).map { "y\($0)" }, preprocessing: [],
                              layers: [.dense(hidden), .dense(last)])
        return (network, data)
    }

    @Test(arguments: [PredictionTask.classification, .regression])
    func piecesAreTheWholeDraw(task: PredictionTask) throws {
        let (network, data) = Self.setting(task: task)
        let distribution = InputDistribution(data: data)
        #expect(distribution.drawsInBlocks)
        // 10,000 points: blocks of 4,096, one block a piece (70 x 4,096 values each), the last one short.
        let count = 10_000
        let pieces = try DomainSample.draw(count, network: network, distribution: distribution, rows: data, sampler: .rows, seed: 5,
                                           checkedFor: "m.json", heldValues: 70 * 4096)
        let held = try DomainSample.draw(count, network: network, distribution: distribution, rows: data, sampler: .rows, seed: 5,
                                         checkedFor: "m.json")
        let whole = try OracleSample.draw(count, network: network, distribution: distribution, rows: data, sampler: .rows, seed: 5,
                                          checkedFor: "m.json")
        #expect(pieces.held == nil && pieces.pieces?.blocks == 1 && held.held != nil)
        #expect(pieces.target == whole.target && held.target == whole.target)
        var firsts: [Int] = [], values: [Double] = []
        pieces.forEachPiece { first, points in
            firsts.append(first)
            values += points.values
        }
        #expect(firsts == [0, 4096, 8192])
        #expect(values == whole.points.values)
        // A tree fitted on other points measured both ways.
        let fitting = OracleSample.draw(3000, network: network, distribution: distribution, rows: data, sampler: .rows, seed: 6)
        let tree = TreeBuilder(settings: TreeSettings(maxLeaves: 8)).fit(fitting.points, target: fitting.target, outputs: network.outputs)
        let measured = SurrogateEvaluation.domainFidelity(.tree(tree), on: pieces)
        #expect(measured == SurrogateEvaluation.domainFidelity(.tree(tree), on: held))
        #expect(measured.points == count)
        #expect(measured.fidelity == SurrogateEvaluation.fidelity(.tree(tree), on: whole))
        // Answered while drawn: the same figures, and another surrogate is measured on the points drawn again.
        let answered = try DomainSample.draw(count, network: network, distribution: distribution, rows: data, sampler: .rows, seed: 5,
                                             checkedFor: "m.json", heldValues: 70 * 4096, predicting: .tree(tree))
        #expect(answered.measured != nil && SurrogateEvaluation.domainFidelity(.tree(tree), on: answered) == measured)
        let smaller = TreeBuilder(settings: TreeSettings(maxLeaves: 2)).fit(fitting.points, target: fitting.target, outputs: network.outputs)
        #expect(SurrogateEvaluation.domainFidelity(.tree(smaller), on: answered) == SurrogateEvaluation.domainFidelity(.tree(smaller), on: held))
    }
}
