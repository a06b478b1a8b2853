import Foundation

/// Variance-based sensitivity: first-order and total-order Sobol' indices from Saltelli's sampling design
/// (matrices A, B and A with column i from B): first order as the mean of Saltelli's (2010) and Jansen's
/// (1999) estimators, total order by Jansen's, on one Owen-scrambled Sobol' sequence. Evaluations: N (d + 2).
///
/// Intervals: the N points are also read as B = 32 consecutive blocks, each itself a scrambled net. Each
/// block's share of the estimate is its linearised (delta-method) value, the whole estimate plus the
/// block's deviation in the estimator's numerator and variance, so small blocks add no ratio bias; those
/// values spread by s. A bootstrap or a Monte Carlo scaling (s / sqrt(B)) would ignore that quasi-random
/// points may converge faster than random ones; here the half-width is t(0.975, B - 1) s / B^r, the error of
/// the whole sequence under an error rate N^-r from block to whole. The rate depends on the integrand: about
/// 0.9 for smooth functions of a few inputs (Ishigami, Sobol' G; slower for their small total-order
/// indices), close to Monte Carlo's 0.5 for networks of many inputs; `BlockRates` holds both, measured over
/// 50 seeds in docs/sensitivity.md.
public struct SobolIndices: Sendable {
    /// The block-to-whole error rates r assumed for the intervals. First-order indices use `first`. A
    /// total-order index near zero is the mean of a per-row term, (f(A) - f(AB_i))^2, that carries the input
    /// only through its interactions with the influential ones, where quasi-random points gain little over
    /// random ones; the largest total-order index is dominated by its input's own variation. So the
    /// total-order rate rises from `smallTotal` (index 0) to `total` (the run's largest total-order index)
    /// as the square root of the index's share of that largest one.
    public struct BlockRates: Equatable, Sendable {
        /// The rate for first-order indices.
        public var first: Double
        /// The rate for the run's largest total-order index.
        public var total: Double
        /// The rate for a total-order index of zero.
        public var smallTotal: Double

        /// Creates rates from the three values, stored as given.
        public init(first: Double, total: Double, smallTotal: Double) {
            self.first = first
            self.total = total
            self.smallTotal = smallTotal
        }

        /// The rate for a total-order estimate `value` when the largest of the run is `largest`.
        public func totalRate(_ value: Double, largest: Double) -> Double {
            let share = largest > 0 ? min(1, max(0, value) / largest) : 0
            return smallTotal + (total - smallTotal) * share.squareRoot()
        }

        /// Smooth functions of a few inputs, such as the Ishigami and G functions (measured 0.85-1.0 for
        /// first-order indices; 0.9 for the largest total-order ones, down to 0.5-0.65 for the small ones).
        public static let fewSmoothInputs = BlockRates(first: 0.9, total: 0.9, smallTotal: 0.55)
        /// Networks, and any integrand whose smoothness is unknown: just above Monte Carlo's 0.5 (measured
        /// 0.4-0.8 on the sample networks and on random ReLU and tanh networks).
        public static let network = BlockRates(first: 0.55, total: 0.55, smallTotal: 0.55)
    }

    /// How the indices are estimated: the number of points, the blocks read for the intervals, the
    /// scrambling seed and the assumed error rates.
    public struct Settings: Equatable, Sendable {
        /// Base points N (a power of two keeps the net properties).
        public var baseSamples: Int
        /// Blocks the sequence is read as for the intervals.
        public var blocks: Int
        /// Seed of the sequence's scrambling.
        public var seed: UInt64
        /// The rates r at which the estimators' error falls from block to whole sequence (see above).
        public var rates: BlockRates

        /// Creates settings; `blocks` below 2 is raised to 2 (`estimate` also uses at least 8 base points).
        /// - Parameters:
        ///   - baseSamples: Base points N; 1024 by default.
        ///   - blocks: Blocks for the intervals; 32 by default.
        ///   - seed: Scrambling seed; 1 by default.
        ///   - rates: Assumed block-to-whole error rates; `BlockRates.network` by default.
        public init(baseSamples: Int = 1024, blocks: Int = 32, seed: UInt64 = 1, rates: BlockRates = .network) {
            self.baseSamples = baseSamples
            self.blocks = max(2, blocks)
            self.seed = seed
            self.rates = rates
        }
    }

    /// An estimate with its 95% interval.
    public struct Estimate: Equatable, Sendable {
        /// The point estimate from all points.
        public var value: Double
        /// Lower end of the interval.
        public var low: Double
        /// Upper end of the interval.
        public var high: Double
    }

    /// First-order index of each input, in input order.
    public var first: [Estimate]
    /// Total-order index of each input, in input order.
    public var total: [Estimate]
    /// Point estimates of every feature's indices from the first `samples` points.
    public struct Convergence: Sendable {
        /// Base points the estimates were computed from.
        public var samples: Int
        /// First-order index of each input.
        public var first: [Double]
        /// Total-order index of each input.
        public var total: [Double]
    }

    /// The estimates from the first N/4, N/2 and N points.
    public var convergence: [Convergence]
    /// Model evaluations made.
    public var evaluations: Int
    /// Blocks the intervals were read from (fewer than asked when N is small: at least 4 points each).
    public var blocks: Int

    /// Estimates the indices of `model`, a function of `dimensions` inputs given as points of the unit cube
    /// (row-major, `rows x dimensions`), returning one output per row. `coordinates`, when given, maps
    /// unit-cube rows to the model's inputs one coordinate at a time (each output coordinate depends on the
    /// same input coordinate only, as quantile functions do): it is applied to A and B alone, and the
    /// mixed matrices are assembled from their images, so `model` then receives mapped rows. `mixed`,
    /// when given, returns the model's outputs on the d matrices "A with column i from B" itself (from
    /// the mapped A and B), for models that evaluate them faster than as d separate matrices.
    public static func estimate(dimensions d: Int, settings: Settings,
                                progress: ((Double) -> Void)? = nil,
                                coordinates: (([Double], Int) -> [Double])? = nil,
                                mixed: ((_ a: [Double], _ b: [Double], _ rows: Int) -> [[Double]])? = nil,
                                model: ([Double], Int) -> [Double]) -> SobolIndices {
        let n = max(settings.baseSamples, 8)
        var generator = SeededGenerator(seed: settings.seed)
        let points = SobolSequence(dimensions: 2 * d, scrambledWith: &generator).points(n)
        var a = [Double](repeating: 0, count: n * d), b = a
        for row in 0..<n {
            for j in 0..<d {
                a[row * d + j] = points[row * 2 * d + j]
                b[row * d + j] = points[row * 2 * d + d + j]
            }
        }
        if let coordinates {
            a = coordinates(a, n)
            b = coordinates(b, n)
        }
        // The matrices A, B and A with column i from B, stacked and handed to the model a few million
        // coordinates at a time (few calls keep the model's own parallel work in large pieces).
        let matrices = d + 2
        let perCall = max(1, min(matrices, 4_000_000 / max(n * d, 1)))
        var outputs: [[Double]] = []
        var next = 0
        if let mixed {
            outputs = [model(a, n), model(b, n)] + mixed(a, b, n)
            next = matrices
            progress?(1)
        }
        while next < matrices {
            let group = next..<min(matrices, next + perCall)
            var stacked = [Double]()
            stacked.reserveCapacity(group.count * n * d)
            for matrix in group {
                switch matrix {
                case 0: stacked += a
                case 1: stacked += b
                default:
                    let i = matrix - 2, start = stacked.count
                    stacked += a
                    for row in 0..<n { stacked[start + row * d + i] = b[row * d + i] }
                }
            }
            let values = model(stacked, group.count * n)
            for offset in group.indices.map({ $0 - group.lowerBound }) { outputs.append(Array(values[(offset * n)..<((offset + 1) * n)])) }
            next = group.upperBound
            progress?(Double(max(next - 2, 0)) / Double(d))
        }
        let evaluations = SaltelliEvaluations(fa: outputs[0], fb: outputs[1], fab: Array(outputs.dropFirst(2)))
        let whole = evaluations.moments(0..<n, mean: evaluations.mean(0..<n))
        let blocks = max(2, min(settings.blocks, n / 4)), size = n / blocks
        let blockMoments = (0..<blocks).map { evaluations.moments(($0 * size)..<(($0 + 1) * size), mean: whole.mean) }
        let t = studentT975(degreesOfFreedom: blocks - 1)
        /// The estimate with its interval from the blocks' linearised values.
        func interval(_ value: Double, _ linearised: [Double], rate: Double) -> Estimate {
            let mean = linearised.reduce(0, +) / Double(blocks)
            let sd = (linearised.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(blocks - 1)).squareRoot()
            let half = t * sd / pow(Double(blocks), rate)
            return Estimate(value: value, low: value - half, high: value + half)
        }
        let first = (0..<d).map { i in
            interval(whole.first(i), blockMoments.map { whole.linearisedFirst(i, block: $0) }, rate: settings.rates.first)
        }
        let totals = (0..<d).map(whole.total), largest = totals.max() ?? 0
        let total = (0..<d).map { i in
            interval(totals[i], blockMoments.map { whole.linearisedTotal(i, block: $0) },
                     rate: settings.rates.totalRate(totals[i], largest: largest))
        }
        let convergence = [n / 4, n / 2, n].filter { $0 >= 1 }.map { count -> Convergence in
            let part = count == n ? whole : evaluations.moments(0..<count, mean: evaluations.mean(0..<count))
            return Convergence(samples: count, first: (0..<d).map(part.first), total: (0..<d).map(part.total))
        }
        return SobolIndices(first: first, total: total, convergence: convergence, evaluations: n * (d + 2), blocks: blocks)
    }

    /// The 97.5% quantile of Student's t (Cornish–Fisher expansion; exact table below 8 degrees).
    static func studentT975(degreesOfFreedom nu: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365]
        if nu >= 1 && nu <= table.count { return table[nu - 1] }
        let z = 1.959963984540054, v = Double(nu)
        return z + (pow(z, 3) + z) / (4 * v) + (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * v * v)
            + (3 * pow(z, 7) + 19 * pow(z, 5) + 17 * pow(z, 3) - 15 * z) / (384 * v * v * v)
    }
}
