@testable import Distill
import Testing

/// `NetworkEvaluator.drawnOutputs` on wide regression networks (products in single precision when their
/// measured error is small against the outputs' spread) against the Double evaluation.
struct SinglePrecisionValuesTests {
    /// Per output, the standard deviation of `values` (row-major, `width` columns).
    static func spreads(_ values: [Double], width: Int) -> [Double] {
        let rows = values.count / width
        return (0..<width).map { column in
            let column = (0..<rows).map { values[$0 * width + column] }
            let mean = column.reduce(0, +) / Double(rows)
            return (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows - 1)).squareRoot()
        }
    }

    @Test func wideRegressionOutputsStayCloseToDoubleOnAnyThreads() throws {
        let (regression, data) = RandomNetworks.regression(seed: 5, rows: 5000)
        var network = regression
        var evaluator = NetworkEvaluator(network: network)
        #expect(evaluator.usesSinglePrecision(rows: data.rows))
        let exact = evaluator.evaluate(raw: data.values, rows: data.rows)
        let spreads = Self.spreads(exact.values, width: 2)
        #expect(spreads.allSatisfy { $0 > 0.05 }, "\(spreads)")
        #expect(try evaluator.singlePrecisionValues(raw: data.values, rows: data.rows, check: nil) != nil, "single precision was used")
        var first: [Double]?
        for threads in [1, 3] {
            evaluator.threads = threads
            let output = evaluator.drawnOutputs(raw: data.values, rows: data.rows)
            #expect(output.rows == data.rows && output.width == 2)
            let differences = zip(output.values, exact.values).map { abs($0 - $1) }
            for column in 0..<2 {
                let largest = stride(from: column, to: differences.count, by: 2).map { differences[$0] }.max()!
                #expect(largest <= NetworkEvaluator.largestRelativeError * spreads[column], "output \(column): \(largest)")
                #expect(largest > 0, "single-precision outputs differ from Double's somewhere")
            }
            // The measured rows are Double's own.
            let measured = (0..<NetworkEvaluator.measuredRows).map { $0 * data.rows / NetworkEvaluator.measuredRows }
            // (Evaluated as a batch of their own, up to the last bits a batch size can move.)
            #expect(measured.allSatisfy { row in
                (0..<2).allSatisfy { differences[2 * row + $0] <= 1e-12 * abs(exact.values[2 * row + $0]) }
            })
            if let first { #expect(output.values == first, "the same outputs on \(threads) threads") }
            first = output.values
        }
        // A classifier's outputs, and a regression network's on a few rows, are Double's.
        let few = Array(data.values.prefix(2550))
        #expect(evaluator.drawnOutputs(raw: few, rows: 255).values == evaluator.evaluate(raw: few, rows: 255).values)
        network.task = .classification
        #expect(try NetworkEvaluator(network: network).singlePrecisionValues(raw: data.values, rows: data.rows, check: nil) == nil)
    }

    /// The output is the difference of two hidden units near 1000 that differ by about 0.001: rounding them
    /// to single precision (steps of 6e-5) is a large error against the output's spread, so Double is kept.
    @Test func outputsSmallAgainstTheirProductsStayInDouble() throws {
        let schema = FeatureSchema(features: (0..<2).map { Feature(name: "x\($0)", kind: .continuous(min: -1, max: 1)) })
        let network = Network(name: "cancelling", task: .regression, schema: schema, outputs: ["y"], preprocessing: [],
                              layers: [.dense(DenseLayer(units: 2, inputs: 2, weights: [0.001, 0, 0, 0.001], bias: [1000, 1000], activation: .relu)),
                                       .dense(DenseLayer(units: 1, inputs: 2, weights: [1, -1], bias: [0], activation: .identity))])
        var evaluator = NetworkEvaluator(network: network)
        evaluator.singlePrecisionWork = 0
        var generator = SeededGenerator(seed: 4)
        let values = (0..<2000).map { _ in generator.nextUnit() * 2 - 1 }
        #expect(evaluator.usesSinglePrecision(rows: 1000))
        let single = evaluator.singlePrecisionOutputs(raw: values, rows: 1000)
        let exact = evaluator.evaluate(raw: values, rows: 1000).values
        let largest = zip(single, exact).map { abs($0 - $1) }.max()!
        #expect(largest > NetworkEvaluator.largestRelativeError * Self.spreads(exact, width: 1)[0], "single precision alone is far off")
        #expect(try evaluator.singlePrecisionValues(raw: values, rows: 1000, check: nil) == nil)
        #expect(evaluator.drawnOutputs(raw: values, rows: 1000).values == exact)
    }

    /// Rows that overflow only in single precision get their Double outputs; a row whose outputs are not
    /// finite in Double is named as `checkedEvaluate` names it.
    @Test func nonFiniteRowsAreNamedAsInDouble() throws {
        let (network, data) = RandomNetworks.unbounded(seed: 23, task: .regression, outputs: ["y"], last: .identity)
        let evaluator = NetworkEvaluator(network: network)
        let width = data.schema.count
        var values = data.values
        values[5 * width] = 1e40
        values[300 * width + 1] = -1e40
        #expect(evaluator.usesSinglePrecision(rows: 1000))
        #expect(Float(values[5 * width]).isInfinite, "beyond single precision")
        let exact = try evaluator.checkedEvaluate(raw: values, rows: 1000, file: "m.json", what: "drawn point")
        #expect(try evaluator.singlePrecisionValues(raw: values, rows: 1000, check: nil) != nil, "single precision was used")
        let output = try evaluator.checkedDrawnOutputs(raw: values, rows: 1000, file: "m.json", what: "drawn point")
        // Evaluated again in a batch of their own: Double's values, up to the last bits a batch size can move.
        for row in [5, 300] {
            #expect(abs(output.values[row] - exact.values[row]) <= 1e-12 * abs(exact.values[row]), "row \(row)")
        }
        #expect(output.values[5].magnitude > 1e30, "the overflowing rows reach the output")
        // Row 701 is evaluated again, row 704 is one of the measured rows: the first in row order is named.
        for feature in 0..<width { values[700 * width + feature] = 1e308; values[703 * width + feature] = -1e308 }
        #expect((0..<NetworkEvaluator.measuredRows).contains { $0 * 1000 / NetworkEvaluator.measuredRows == 703 })
        #expect(try evaluator.singlePrecisionValues(raw: values, rows: 1000, check: nil) != nil, "single precision was still used")
        let inDouble = expectDiagnostic { _ = try evaluator.checkedEvaluate(raw: values, rows: 1000, file: "m.json", what: "drawn point") }
        let inSingle = expectDiagnostic { _ = try evaluator.checkedDrawnOutputs(raw: values, rows: 1000, file: "m.json", what: "drawn point") }
        #expect(inDouble?.message.contains("drawn point 701 ") == true, "\(inDouble?.message ?? "")")
        #expect(inSingle?.description == inDouble?.description)
    }

    /// Points drawn for a wide regression network carry `drawnOutputs`'s answers.
    @Test func drawnPointsOfAWideRegressionNetwork() throws {
        let (network, data) = RandomNetworks.regression(seed: 8, rows: 600)
        let distribution = InputDistribution(data: data)
        let drawn = try OracleSample.draw(3000, network: network, distribution: distribution, rows: data, sampler: .rows, seed: 3,
                                          checkedFor: "m.json")
        let unchecked = OracleSample.draw(3000, network: network, distribution: distribution, rows: data, sampler: .rows, seed: 3)
        guard case let .values(values, outputs) = drawn.target, case let .values(same, _) = unchecked.target else {
            Issue.record("a regression target")
            return
        }
        #expect(outputs == 2 && values == same)
        let exact = NetworkEvaluator(network: network).evaluate(raw: drawn.points.values, rows: drawn.points.rows).values
        #expect(values == NetworkEvaluator(network: network).drawnOutputs(raw: drawn.points.values, rows: drawn.points.rows).values)
        #expect(values != exact, "single precision was used")
        let spreads = Self.spreads(exact, width: 2)
        for (index, difference) in zip(values, exact).map({ abs($0 - $1) }).enumerated() {
            #expect(difference <= NetworkEvaluator.largestRelativeError * spreads[index % 2])
        }
    }
}
