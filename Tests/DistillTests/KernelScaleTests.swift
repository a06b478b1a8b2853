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

    /// The 32 fits (4 rounds, 2 halves, 4 scales) run side by side: each judged point's error is the same on
    /// one thread and on three, in the same order, and each half's tree is judged on points between the
    /// other half's rows, one per row (every row, since a half holds fewer than 1,000).
    @Test func theScalesFitsDoNotDependOnTheThreads() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("digits", "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample("digits", "train.csv"), network: network, label: nil)
        let distribution = InputDistribution(data: train)
        func errors(_ threads: Int) -> [[Double]] {
            Parallelism.withThreads(threads) {
                distribution.kernelScaleErrors(network: network, rows: train, seed: 1, pointsPerHalf: InputDistribution.kernelScalePoints, maxRows: 20_000)
            }
        }
        let one = errors(1), three = errors(3)
        let scales = InputDistribution.kernelScales.count
        #expect(one == three)
        #expect(one.count == 2 * InputDistribution.kernelScaleRounds * scales)
        // The first half holds rows / 2 of the rows: the tree fitted around it is judged on points between the rest.
        for (piece, list) in one.enumerated() {
            let half = piece / scales % 2
            #expect(list.count == (half == 0 ? train.rows - train.rows / 2 : train.rows / 2))
            #expect(list.allSatisfy { $0 == 0 || $0 == 1 })
        }
        // Narrower kernels teach digits better (the chosen scale is below 1).
        let totals = (0..<scales).map { scale in stride(from: scale, to: one.count, by: scales).reduce(0.0) { $0 + one[$1].reduce(0, +) } }
        #expect(totals[0] > totals[scales - 1])
    }

    /// Hand-computed: means over 4 rounds 0.4, 0.25, 0.2, 0.5, so 1/4 is lowest; 1's round differences from it
    /// 0.05, 0.35, 0.2, 0.2 (mean 0.2, sample variance 0.015, standard error √(0.015 / 4)); 1/2's -0.05, 0.05,
    /// 0.1, 0.1 (0.05, 0.005); 1/8's 0.25, 0.35, 0.3, 0.3 (0.3, 0.005 / 3). 1 is 3.3 standard errors above,
    /// 1/2 is 1.4: 1/2 is kept.
    @Test func theScoresArePairedOverTheRounds() {
        let scores = InputDistribution.kernelScaleScores(roundMeans: [[0.3, 0.5, 0.4, 0.4], [0.2, 0.2, 0.3, 0.3],
                                                                       [0.25, 0.15, 0.2, 0.2], [0.5, 0.5, 0.5, 0.5]])
        let means = [0.4, 0.25, 0.2, 0.5], excess = [0.2, 0.05, 0, 0.3]
        let errors = [(0.015 / 4).squareRoot(), (0.005 / 4).squareRoot(), 0, (0.005 / 3 / 4).squareRoot()]
        #expect(scores.map(\.scale) == InputDistribution.kernelScales)
        for scale in 0..<4 {
            #expect(abs(scores[scale].meanError - means[scale]) <= 1e-15)
            #expect(abs(scores[scale].excess - excess[scale]) <= 1e-15)
            #expect(abs(scores[scale].excessError - errors[scale]) <= 1e-15)
            #expect(scores[scale].rounds == 4)
        }
        #expect(InputDistribution.chosenScale(scores) == 1)
        #expect(InputDistribution.kernelScaleScores(roundMeans: []).isEmpty)
    }

    /// Each round halves the rows afresh: two rounds' first halves share about half their rows (250 of 500
    /// expected, standard deviation 11), as independent halvings do. Seeds a multiple of the generator's
    /// step apart would give nearly the same shuffle, and far more rows in common.
    @Test func roundsHalveTheRowsIndependently() {
        let kept = Array(0..<1000)
        let halves = (0..<InputDistribution.kernelScaleRounds).map { InputDistribution.kernelScaleHalves(kept, seed: 1, round: $0) }
        for round in halves.indices {
            #expect(halves[round][0].count == 500 && Set(halves[round][0] + halves[round][1]).count == 1000)
            for other in halves.indices where other > round {
                let shared = Set(halves[round][0]).intersection(halves[other][0]).count
                #expect((200...300).contains(shared), "rounds \(round) and \(other) share \(shared)")
            }
        }
    }

    /// Fewer than 20 rows choose nothing: no scores, the full width kept.
    @Test func tooFewRowsKeepTheFullWidth() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("iris", "model.json"))
        let train = try DatasetLoader.load(path: Fixtures.sample("iris", "train.csv"), network: network, label: nil)
        let few = train.subset(Array(0..<10))
        let distribution = InputDistribution(data: few)
        #expect(distribution.kernelScaleScores(network: network, rows: few, seed: 1).isEmpty)
        #expect(distribution.choosingKernelScale(network: network, rows: few, seed: 1).kernelScale == 1)
    }

    /// The widest scale whose excess is within two of its standard errors is kept.
    @Test func aNarrowerScaleIsKeptOnlyWhenClearlyBetter() {
        func score(_ scale: Double, _ excess: Double, _ error: Double) -> KernelScaleScore {
            KernelScaleScore(scale: scale, meanError: 0.1 + excess, excess: excess, excessError: error, rounds: 4)
        }
        // 0.03 above the best with a standard error of 0.02: within two, the widest kept.
        #expect(InputDistribution.chosenScale([score(1, 0.03, 0.02), score(0.5, 0, 0), score(0.25, 0.01, 0.01), score(0.125, 0.02, 0.01)]) == 0)
        // 0.05 above with 0.02: clearly worse; 0.5 is 0.01 above with 0.004, also clearly worse; 0.25 is the best.
        #expect(InputDistribution.chosenScale([score(1, 0.05, 0.02), score(0.5, 0.01, 0.004), score(0.25, 0, 0), score(0.125, 0.02, 0.01)]) == 2)
        // Exactly two standard errors above still counts as within.
        #expect(InputDistribution.chosenScale([score(1, 0.04, 0.02), score(0.5, 0, 0), score(0.25, 0.1, 0.01), score(0.125, 0.1, 0.01)]) == 0)
    }

    /// With one fit per half, penguins' choice moved with the seed (1/2 at seed 1, the full width at seeds
    /// 2-8); over four halvings the full width is kept on every seed.
    @Test func penguinsKeepsTheFullWidthOnEverySeed() throws {
        for seed: UInt64 in 1...4 {
            #expect(try Self.chosen("penguins", seed: seed) == 1, "seed \(seed)")
        }
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
