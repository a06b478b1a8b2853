import Foundation
@testable import Distill
import Testing

/// Points between rows and their near neighbours, which the kernel scale is judged on instead of the rows.
struct NeighbourInterpolationTests {
    static func continuousSchema(_ width: Int) -> FeatureSchema {
        FeatureSchema(features: (0..<width).map { Feature(name: "x\($0)", kind: .continuous(min: 0, max: 1)) })
    }

    @Test func nearestRowsOnALineAreTheClosestValues() {
        // One continuous feature (standardising keeps the order of distances) and a categorical one that
        // is not interpolated. Values 0, 1, 3, 7, 15, 31, 63, and a second 0 that is no neighbour of the first.
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: nil, max: nil)),
                                              Feature(name: "c", kind: .categorical(values: ["a", "b"]))])
        let xs: [Double] = [0, 1, 3, 7, 15, 31, 63, 0]
        let rows = Dataset(schema: schema, rows: xs.count, values: xs.enumerated().flatMap { [$1, Double($0 % 2)] })
        let interpolation = NeighbourInterpolation(continuous: [0])
        let nearest = interpolation.nearestRows(of: [0, 3, 6], among: rows)
        // Hand-computed: from 0 the distinct others are 1, 3, 7, 15, 31 (rows 1-5; row 7 equals it).
        #expect(nearest[0] == [1, 2, 3, 4, 5])
        // From 7: 3 (4 away), 1 (6), 0 (7; row 0 before row 7), 0 (row 7), 15 (8).
        #expect(nearest[1] == [2, 1, 0, 7, 4])
        // From 63: 31, 15, 7, 3, 1.
        #expect(nearest[2] == [5, 4, 3, 2, 1])
        // Every point lies 25-75% of the way from its row towards one of the row's neighbours, the
        // category copied from the row.
        let points = interpolation.points(between: rows, count: 100, seed: 4)
        #expect(points.rows == xs.count)
        let all = interpolation.nearestRows(of: Array(0..<xs.count), among: rows)
        for row in 0..<xs.count {
            #expect(points[row, 1] == rows[row, 1])
            let value = points[row, 0]
            let found = all[row].contains { other in
                let t = (value - xs[row]) / (xs[other] - xs[row])
                return t >= 0.25 && t <= 0.75
            }
            #expect(found, "row \(row): \(value)")
        }
    }

    @Test func nearestRowsMatchABruteForceSearchOnAnyThreads() {
        // 700 rows of 3 features of different spreads (three blocks of queries): the neighbours match a
        // direct search over standardised features, and one thread or three give the same points.
        var generator = SeededGenerator(seed: 12)
        let n = 700, d = 3
        let values = (0..<(n * d)).map { index in generator.nextUnit() * [1.0, 10, 100][index % d] }
        let rows = Dataset(schema: Self.continuousSchema(d), rows: n, values: values)
        let interpolation = NeighbourInterpolation(continuous: [0, 1, 2])
        let queries = Array(stride(from: 0, to: n, by: 3))
        let found = interpolation.nearestRows(of: queries, among: rows)
        let deviations = (0..<d).map { feature -> Double in
            let column = (0..<n).map { rows[$0, feature] }
            let mean = column.reduce(0, +) / Double(n)
            return (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
        }
        for (index, query) in queries.enumerated() {
            let distances = (0..<n).map { other in
                (0..<d).reduce(0.0) { sum, f in
                    let e = (rows[query, f] - rows[other, f]) / deviations[f]
                    return sum + e * e
                }
            }
            let expected = (0..<n).filter { $0 != query }.sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(5)
            #expect(found[index] == Array(expected), "query \(query)")
        }
        let one = Parallelism.withThreads(1) { interpolation.points(between: rows, count: 400, seed: 9) }
        let three = Parallelism.withThreads(3) { interpolation.points(between: rows, count: 400, seed: 9) }
        #expect(one.values == three.values)
        #expect(one.rows == 400)
        // 400 of 700 rows, evenly spaced: point k lies between row k * 700 / 400 and one of its neighbours,
        // the same share of the way on every feature.
        let starts = (0..<400).map { $0 * n / 400 }
        let near = interpolation.nearestRows(of: starts, among: rows)
        for (k, row) in starts.enumerated() {
            let found = near[k].contains { other in
                let shares = (0..<d).map { f in (one[k, f] - rows[row, f]) / (rows[other, f] - rows[row, f]) }
                return shares.allSatisfy { abs($0 - shares[0]) < 1e-9 && $0 >= 0.25 && $0 <= 0.75 }
            }
            #expect(found, "point \(k)")
        }
    }

    /// A network that memorised its training rows: everywhere it answers "x0 > 0.5", except in small
    /// diamonds (|x - c|₁ < 0.2) around the rows where the truth "x1 > 0.5" differs, where it answers the
    /// truth. On its rows it always answers x1 > 0.5, and narrow kernels, whose draws stay in the diamonds,
    /// teach a tree that answer; new points meet x0 > 0.5. Judged on the rows, the narrowest scale would win;
    /// judged between rows, the widest does, and it is the one that agrees with the network on new points.
    @Test func aNetworkThatMemorisedItsRowsKeepsTheWideKernel() throws {
        let d = 6, n = 200
        var generator = SeededGenerator(seed: 3)
        let values = (0..<(n * d)).map { _ in generator.nextUnit() }
        let rows = Dataset(schema: Self.continuousSchema(d), rows: n, values: values)
        let centres = (0..<n).filter { (rows[$0, 1] > 0.5) != (rows[$0, 0] > 0.5) }
        let network = Self.memorising(centres.map { row in (0..<d).map { rows[row, $0] } }, radius: 0.2)
        guard case let .classes(onRows, _) = OracleSample.label(rows, by: network) else { Issue.record("classes"); return }
        #expect(onRows == (0..<n).map { rows[$0, 1] > 0.5 ? 1 : 0 })

        let distribution = InputDistribution(data: rows)
        #expect(distribution.choosingKernelScale(network: network, rows: rows, seed: 1).kernelScale == 1)

        // Why: trees fitted on draws around every row at the narrowest and the widest scale.
        var fresh = SeededGenerator(seed: 5)
        let newPoints = Dataset(schema: rows.schema, rows: 4000, values: (0..<(4000 * d)).map { _ in fresh.nextUnit() })
        guard case let .classes(onNew, _) = OracleSample.label(newPoints, by: network) else { Issue.record("classes"); return }
        func agreement(scale: Double) -> (rows: Double, new: Double) {
            var scaled = distribution
            scaled.kernelScale = scale
            let drawn = OracleSample.draw(4000, network: network, distribution: scaled, rows: rows, sampler: .rows, seed: 8)
            let tree = TreeBuilder(settings: TreeSettings(maxLeaves: 32)).fit(drawn.points, target: drawn.target, outputs: network.outputs)
            func share(_ points: Dataset, _ answers: [Int]) -> Double {
                let predicted = tree.predictClasses(raw: points.values, rows: points.rows)
                return Double(zip(predicted, answers).filter { $0 == $1 }.count) / Double(points.rows)
            }
            return (share(rows, onRows), share(newPoints, onNew))
        }
        let narrow = agreement(scale: 0.125), wide = agreement(scale: 1)
        #expect(narrow.rows > 0.9 && wide.rows < 0.7)
        #expect(wide.new > 0.95 && narrow.new < 0.7)
    }

    /// Two classes: "yes" where 2 (x0 - 0.5) + 40 Σ_c ±max(0, 1 - |x - c|₁ / radius) > 0, the sign + for a
    /// centre with x1 > 0.5. ReLU layers: |x_j - c_j| as two units each, one diamond unit per centre, and
    /// x0 - 0.5 carried through as its positive and negative parts.
    static func memorising(_ centres: [[Double]], radius: Double) -> Network {
        let d = centres.first?.count ?? 1, m = centres.count
        let first = 2 * d * m + 2
        var w1 = [Double](repeating: 0, count: first * d), b1 = [Double](repeating: 0, count: first)
        for (i, centre) in centres.enumerated() {
            for j in 0..<d {
                let up = (i * d + j) * 2, down = up + 1
                w1[up * d + j] = 1
                b1[up] = -centre[j]
                w1[down * d + j] = -1
                b1[down] = centre[j]
            }
        }
        w1[(first - 2) * d] = 1
        b1[first - 2] = -0.5
        w1[(first - 1) * d] = -1
        b1[first - 1] = 0.5
        let second = m + 2
        var w2 = [Double](repeating: 0, count: second * first), b2 = [Double](repeating: 0, count: second)
        for i in 0..<m {
            b2[i] = 1
            for unit in (2 * d * i)..<(2 * d * (i + 1)) { w2[i * first + unit] = -1 / radius }
        }
        w2[m * first + first - 2] = 1
        w2[(m + 1) * first + first - 1] = 1
        var w3 = [Double](repeating: 0, count: 2 * second)
        for (i, centre) in centres.enumerated() { w3[second + i] = centre[1] > 0.5 ? 40 : -40 }
        w3[second + m] = 2
        w3[second + m + 1] = -2
        return Network(name: "memorising", task: .classification, schema: continuousSchema(d), outputs: ["no", "yes"],
                       preprocessing: [], layers: [
                           .dense(DenseLayer(units: first, inputs: d, weights: w1, bias: b1, activation: .relu)),
                           .dense(DenseLayer(units: second, inputs: first, weights: w2, bias: b2, activation: .relu)),
                           .dense(DenseLayer(units: 2, inputs: second, weights: w3, bias: [0, 0], activation: .softmax))])
    }
}
