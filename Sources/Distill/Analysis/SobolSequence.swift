/// The Sobol' low-discrepancy sequence (Joe & Kuo direction numbers, Gray-code order), optionally with
/// Owen's nested uniform scrambling (each digit flipped by a random bit that depends on all the digits
/// before it, drawn by hashing them with a per-dimension seed), which keeps the net properties and gives
/// the randomised quasi-Monte Carlo variance of order N^-3 for smooth integrands.
public struct SobolSequence: Sendable {
    /// Bits of precision per coordinate.
    static let bits = 31
    /// The largest dimension with direction numbers.
    public static let maximumDimensions = SobolDirectionNumbers.polynomials.count

    /// Coordinates per point.
    public let dimensions: Int
    /// Direction numbers v[d][j], each a `bits`-bit integer (digit 1 in the highest bit).
    private var directions: [[UInt32]]

    /// The plain (unscrambled) sequence in `dimensions` dimensions.
    public init(dimensions: Int) {
        precondition(dimensions >= 1 && dimensions <= Self.maximumDimensions, "Sobol' dimensions out of range")
        self.dimensions = dimensions
        directions = (0..<dimensions).map(Self.directionNumbers)
    }

    /// A scrambled sequence: an independent nested uniform (Owen) scramble per dimension.
    public init(dimensions: Int, scrambledWith generator: inout SeededGenerator) {
        self.init(dimensions: dimensions)
        scrambleSeeds = (0..<dimensions).map { _ in generator.next() }
    }

    /// Per-dimension seeds of the Owen scramble (empty: unscrambled).
    private var scrambleSeeds: [UInt64] = []

    /// Owen's nested scramble of one coordinate: digit k flips by a hash of the seed, k and digits 1..k-1.
    @inline(__always)
    static func owenScramble(_ x: UInt32, seed: UInt64) -> UInt32 {
        var result: UInt32 = 0
        for k in 0..<bits {
            let position = UInt32(bits - 1 - k)
            let prefix = UInt64(x >> (position + 1))
            var h = seed ^ (UInt64(k) &* 0x9E37_79B9_7F4A_7C15) ^ (prefix &* 0xD1B5_4A32_D192_ED03)
            h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
            result |= (((x >> position) & 1) ^ UInt32(h & 1)) << position
        }
        return result
    }

    static let mask: UInt32 = (UInt32(1) << UInt32(bits)) - 1

    /// Direction numbers of dimension `d` (Bratley & Fox's recurrence, as SciPy computes them).
    static func directionNumbers(_ d: Int) -> [UInt32] {
        var m = [UInt32](repeating: 1, count: bits)
        if d > 0 {
            let polynomial = SobolDirectionNumbers.polynomials[d]
            let degree = UInt32.bitWidth - polynomial.leadingZeroBitCount - 1
            let initial = SobolDirectionNumbers.initial[d]
            for j in 0..<degree { m[j] = j < initial.count ? initial[j] : 0 }
            for j in degree..<bits {
                var value = m[j - degree]
                var power: UInt32 = 1
                for k in 0..<degree {
                    power <<= 1
                    if (polynomial >> UInt32(degree - 1 - k)) & 1 == 1 { value ^= power &* m[j - k - 1] }
                }
                m[j] = value
            }
        }
        // Digit j + 1 of the direction number sits at bit (bits - 1 - j).
        return (0..<bits).map { j in m[j] << UInt32(bits - 1 - j) }
    }

    /// The first `count` points, row-major (`count x dimensions`), in [0, 1).
    public func points(_ count: Int) -> [Double] {
        let dimensions = self.dimensions
        let scale = 1.0 / Double(UInt64(1) << UInt64(Self.bits))
        return [Double](unsafeUninitializedCapacity: count * dimensions) { result, initialized in
            let target = UncheckedBox(result)
            // Each dimension's coordinates depend on that dimension only: dimensions in parallel.
            Parallelism.forEach(pieces: dimensions, threads: count * dimensions >= 50_000 ? Parallelism.threads : 1) { d, _ in
                var state: UInt32 = 0
                let directions = self.directions[d]
                let seed = scrambleSeeds.isEmpty ? nil : scrambleSeeds[d]
                for index in 0..<count {
                    if index > 0 {
                        // Gray code: flip the direction number of the lowest zero bit of index - 1.
                        state ^= directions[(~(index - 1)).trailingZeroBitCount]
                    }
                    let digits = seed.map { Self.owenScramble(state, seed: $0) } ?? state
                    target.value[index * dimensions + d] = (Double(digits) + 0.5) * scale
                }
            }
            initialized = count * dimensions
        }
    }
}
