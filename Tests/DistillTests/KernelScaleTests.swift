import Foundation
@testable import Distill
import Testing

/// The kernel scale that drawn points use is chosen by how well draws around one half of the rows teach
/// a tree the network's answers between rows of the other half.
struct KernelScaleTests {
    static func chosen(_ sample: String, seed: UInt64 = 1) throws -> Double {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        return InputDistribution(data: train).choosingKernelScale(network: network, rows: train, seed: seed).kernelScale
    }

    @Test func sixtyFourPixelsGetANarrowerKernelThanFourMeasurements() throws {
        // Scott's width blurs 8x8 digits into points unlike any digit; iris's four measurements keep it.
        let digits = try Self.chosen("digits")
        #expect(digits < 1)
        #expect(InputDistribution.kernelScales.contains(digits))
        #expect(try Self.chosen("iris") == 1)
        #expect(try Self.chosen("digits") == digits)
    }

    /// The 8 fits (4 scales, 2 halves) run side by side: each judged point's error is the same on one thread
    /// and on three, in the same order, and each half's tree is judged on points between the other half's
    /// rows, one per row (every row, since a half holds fewer than 4,000).
    @Test func theScalesFitsDoNotDependOnTheThreads() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("digits", "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample("digits", "train.csv"), network: network, label: nil)
        let distribution = InputDistribution(data: train)
        func errors(_ threads: Int) -> [[Double]] {
            Parallelism.withThreads(threads) {
                distribution.kernelScaleErrors(network: network, rows: train, seed: 1, pointsPerHalf: 4000, maxRows: 20_000)
            }
        }
        let one = errors(1), three = errors(3)
        #expect(one == three)
        #expect(one.count == 2 * InputDistribution.kernelScales.count)
        // The first half holds rows / 2 of the rows: the tree fitted around it is judged on points between the rest.
        for (piece, list) in one.enumerated() {
            #expect(list.count == (piece % 2 == 0 ? train.rows - train.rows / 2 : train.rows / 2))
            #expect(list.allSatisfy { $0 == 0 || $0 == 1 })
        }
        // Narrower kernels teach digits better (the chosen scale is below 1).
        let totals: [Double] = one.map { $0.reduce(0, +) }
        let widest: Double = totals[0] + totals[1], narrowest: Double = totals[6] + totals[7]
        #expect(widest > narrowest)
    }

    @Test func theScaleShrinksEveryMoveByItsFactor() throws {
        // Iris's rows under a domain so wide that no draw is rejected: with the same seed, each draw copies
        // the same row r with the same normals, so the draw at half the scale is r + n / 2 where the full one
        // is r + n, and 2 * half - full gives back a data row.
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let iris = try DatasetLoader.load(path: Fixtures.sample("iris", "train.csv"), network: network, label: nil)
        let schema = FeatureSchema(features: iris.schema.features.map { Feature(name: $0.name, kind: .continuous(min: -1e6, max: 1e6)) })
        let rows = Dataset(schema: schema, rows: iris.rows, values: iris.values)
        let distribution = InputDistribution(data: rows)
        func draws(_ scale: Double) throws -> [Double] {
            let kernel = try #require(JointKernel(distribution: distribution, rows: rows, spread: scale))
            return kernel.sample(500, rows: rows, seed: 11)
        }
        let half = try draws(0.5), full = try draws(1)
        let width = schema.count
        var moved = 0.0
        for draw in 0..<500 {
            let back = (0..<width).map { 2 * half[draw * width + $0] - full[draw * width + $0] }
            let nearest = (0..<rows.rows).map { row in (0..<width).map { abs(rows[row, $0] - back[$0]) }.max()! }.min()!
            // Rounding of a few operations on values below 10.
            #expect(nearest < 1e-12)
            moved += (0..<width).map { abs(full[draw * width + $0] - back[$0]) }.max()!
        }
        // The draws do move.
        #expect(moved / 500 > 0.1)
    }
}

/// The spread of drawn points around a row, which certification shapes its boxes by.
struct DrawSpreadTests {
    @Test func theJointKernelsDeviationIsScottsFactorTimesTheColumnsDeviation() throws {
        // Hand-computed: the joint kernel's noise has covariance h² Σ (plus a ridge of 1e-9 of each
        // variance), h = scale * n^(-1/(d+4)), so feature f's deviation is h times the column's sample
        // standard deviation (n - 1 in the denominator).
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let rows = try DatasetLoader.load(path: Fixtures.sample("iris", "train.csv"), network: network, label: nil)
        var distribution = InputDistribution(data: rows)
        distribution.kernelScale = 0.25
        let spread = distribution.drawSpread(rows: rows)
        let n = Double(rows.rows), d = Double(rows.schema.count)
        let h = 0.25 * pow(n, -1 / (d + 4))
        #expect(spread.count == rows.schema.count)
        for feature in 0..<rows.schema.count {
            let column = (0..<rows.rows).map { rows[$0, feature] }
            let mean = column.reduce(0, +) / n
            let deviation = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
            #expect(abs(spread[feature] - h * deviation * (1 + 1e-9).squareRoot()) <= 1e-12 * deviation, "feature \(feature)")
        }
    }
}
