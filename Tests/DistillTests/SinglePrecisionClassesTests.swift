@testable import Distill
import Testing

/// `NetworkEvaluator.predictedClasses` on wide networks (products in single precision, rows near a tie
/// evaluated again in Double) against the classes of the Double evaluation.
struct SinglePrecisionClassesTests {
    /// The three test networks: softmax over 5 classes with a categorical input (`RandomNetworks.wide`),
    /// one-vs-rest sigmoids (`RandomNetworks.smooth`, below the default work, so single precision is
    /// asked for), and a single sigmoid unit.
    static func network(_ name: String, rows: Int) -> (NetworkEvaluator, Dataset) {
        let (network, data) = switch name {
        case "wide": RandomNetworks.wide(seed: 11, rows: rows)
        case "smooth": RandomNetworks.smooth(seed: 3, rows: rows)
        default: RandomNetworks.binary(seed: 13, rows: rows)
        }
        var evaluator = NetworkEvaluator(network: network)
        if name == "smooth" { evaluator.singlePrecisionWork = 0 }
        return (evaluator, data)
    }

    static func doubleClasses(_ evaluator: NetworkEvaluator, _ values: [Double], rows: Int) -> [Int] {
        evaluator.evaluate(raw: values, rows: rows).predictedClasses
    }

    @Test(arguments: ["wide", "smooth", "binary"])
    func randomRowsGetTheDoubleClassesOnAnyThreads(name: String) throws {
        var (evaluator, data) = Self.network(name, rows: 5000)
        #expect(evaluator.usesSinglePrecision(rows: data.rows))
        let exact = Self.doubleClasses(evaluator, data.values, rows: data.rows)
        #expect(Set(exact).count > 1, "the rows fall in several classes")
        #expect(try evaluator.singlePrecisionClasses(raw: data.values, rows: data.rows, check: nil) != nil, "single precision was used")
        for threads in [1, 3] {
            evaluator.threads = threads
            let classes = evaluator.predictedClasses(raw: data.values, rows: data.rows)
            let wrong = (0..<data.rows).filter { classes[$0] != exact[$0] }
            #expect(wrong.isEmpty, "\(threads) threads: \(wrong.prefix(5)) \(wrong.prefix(5).map { evaluator.evaluate(raw: Array(data.values[($0 * data.schema.count)..<(($0 + 1) * data.schema.count)]), rows: 1).values })")
        }
    }

    /// Points on both sides of where the predicted class changes, found by bisection in Double between
    /// rows of different classes until the two sides are 2^-30 of the way apart (their two largest
    /// probabilities about 1e-9 apart, far beyond Double's rounding, within single precision's):
    /// single-precision products alone put some of them in the wrong class; `predictedClasses` puts none.
    @Test(arguments: ["wide", "smooth", "binary"])
    func pointsAtATieGetTheDoubleClasses(name: String) throws {
        let (evaluator, data) = Self.network(name, rows: 4000)
        let schema = data.schema, width = schema.count
        // Each row of the commonest class paired with a row of another class (categorical inputs stay the
        // first row's: only continuous ones are interpolated).
        let classes = Self.doubleClasses(evaluator, data.values, rows: data.rows)
        let common = (0..<evaluator.outputWidth).max { a, b in classes.filter { $0 == a }.count < classes.filter { $0 == b }.count }!
        let first = (0..<data.rows).filter { classes[$0] == common }, second = (0..<data.rows).filter { classes[$0] != common }
        var low: [Double] = [], high: [Double] = []
        for (a, b) in zip(first, second).prefix(1000) {
            let start = Array(data.values[(a * width)..<((a + 1) * width)])
            var end = Array(data.values[(b * width)..<((b + 1) * width)])
            for (index, feature) in schema.features.enumerated() where feature.isCategorical { end[index] = start[index] }
            low += start
            high += end
        }
        let pairs = low.count / width
        let startClasses = Self.doubleClasses(evaluator, low, rows: pairs)
        let ends = Self.doubleClasses(evaluator, high, rows: pairs)
        let kept = (0..<pairs).filter { startClasses[$0] != ends[$0] }
        low = kept.flatMap { low[($0 * width)..<(($0 + 1) * width)] }
        high = kept.flatMap { high[($0 * width)..<(($0 + 1) * width)] }
        let lowClasses = kept.map { startClasses[$0] }
        for _ in 0..<30 {
            let middle = zip(low, high).map { ($0 + $1) / 2 }
            let classes = Self.doubleClasses(evaluator, middle, rows: kept.count)
            for pair in kept.indices {
                let range = (pair * width)..<((pair + 1) * width)
                if classes[pair] == lowClasses[pair] { low.replaceSubrange(range, with: middle[range]) } else { high.replaceSubrange(range, with: middle[range]) }
            }
        }
        #expect(kept.count >= 20, "\(kept.count) pairs")
        // Each point at a tie after 15 ordinary rows of the same network (more than an eighth of close
        // calls would make single precision decline).
        let ties = low + high, tieCount = 2 * kept.count
        let (_, filler) = Self.network(name, rows: 15 * tieCount)
        var points: [Double] = []
        for tie in 0..<tieCount {
            points += filler.values[(15 * tie * width)..<(15 * (tie + 1) * width)]
            points += ties[(tie * width)..<((tie + 1) * width)]
        }
        let rows = 16 * tieCount
        #expect(evaluator.usesSinglePrecision(rows: rows), "\(rows) points")
        let exact = Self.doubleClasses(evaluator, points, rows: rows)
        #expect((0..<kept.count).map { exact[16 * $0 + 15] } == lowClasses, "the bisection kept each low end in its class")
        let single = NetworkOutput(rows: rows, width: evaluator.outputWidth,
                                   values: evaluator.singlePrecisionOutputs(raw: points, rows: rows)).predictedClasses
        let wrong = zip(single, exact).filter { $0 != $1 }.count
        #expect(wrong > 0, "single precision alone decides some of \(rows) points at a tie differently")
        #expect(try evaluator.singlePrecisionClasses(raw: points, rows: rows, check: nil) == exact, "single precision was used")
        #expect(evaluator.predictedClasses(raw: points, rows: rows) == exact)
        // Close calls alone: single precision declines, and the classes are Double's.
        let copies = 256 / tieCount + 1, alone = Array([[Double]](repeating: ties, count: copies).joined())
        #expect(evaluator.usesSinglePrecision(rows: copies * tieCount))
        #expect(try evaluator.singlePrecisionClasses(raw: alone, rows: copies * tieCount, check: nil) == nil)
        #expect(evaluator.predictedClasses(raw: alone, rows: copies * tieCount) == Self.doubleClasses(evaluator, alone, rows: copies * tieCount))
    }

    /// A row whose outputs are not finite is named as `checkedEvaluate` names it; rows that overflow only
    /// in single precision get their Double classes. The network is linear up to a leaky ReLU and a
    /// softmax, so that large inputs reach the output (saturating activations would bound them).
    @Test func nonFiniteRowsAreNamedAsInDouble() throws {
        let (network, data) = RandomNetworks.unbounded(seed: 21, task: .classification, outputs: ["a", "b", "c"], last: .softmax)
        let evaluator = NetworkEvaluator(network: network)
        let width = data.schema.count
        var values = data.values
        values[5 * width] = 1e40
        values[300 * width + 1] = -1e40
        #expect(evaluator.usesSinglePrecision(rows: data.rows))
        #expect(Float(values[5 * width]).isInfinite, "beyond single precision")
        let exact = try evaluator.checkedEvaluate(raw: values, rows: data.rows, file: "m.json", what: "drawn point").predictedClasses
        #expect(try evaluator.checkedPredictedClasses(raw: values, rows: data.rows, file: "m.json", what: "drawn point") == exact)
        #expect(evaluator.predictedClasses(raw: values, rows: data.rows) == exact)
        for feature in 0..<width { values[700 * width + feature] = 1e308; values[900 * width + feature] = -1e308 }
        let inDouble = expectDiagnostic { _ = try evaluator.checkedEvaluate(raw: values, rows: data.rows, file: "m.json", what: "drawn point") }
        let inSingle = expectDiagnostic { _ = try evaluator.checkedPredictedClasses(raw: values, rows: data.rows, file: "m.json", what: "drawn point") }
        #expect(inDouble?.message.contains("drawn point 701 ") == true, "\(inDouble?.message ?? "")")
        #expect(inSingle?.description == inDouble?.description)
    }

    /// Small networks, few rows and the reference kernel are evaluated in Double; a regression network
    /// has no single-precision classes (its drawn outputs are `drawnOutputs`'s).
    @Test func smallNetworksStayInDoubleAndRegressionHasNoClassPath() throws {
        let iris = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        #expect(!NetworkEvaluator(network: iris).usesSinglePrecision(rows: 100_000))
        let (binary, data) = RandomNetworks.binary(seed: 1, rows: 1000)
        var network = binary
        #expect(NetworkEvaluator(network: network).usesSinglePrecision(rows: 256))
        #expect(!NetworkEvaluator(network: network).usesSinglePrecision(rows: 255))
        #expect(!NetworkEvaluator(network: network, kernel: .reference).usesSinglePrecision(rows: 10_000))
        #expect(try NetworkEvaluator(network: network).singlePrecisionClasses(raw: data.values, rows: data.rows, check: nil) != nil)
        network.task = .regression
        #expect(try NetworkEvaluator(network: network).singlePrecisionClasses(raw: data.values, rows: data.rows, check: nil) == nil)
    }
}
