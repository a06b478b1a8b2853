#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a JSON number into the nearest Double, as `strtod` does, without its cost in the common case:
/// Clinger's fast path (a mantissa up to 2^53 and a power of ten up to 22: one exact operation), else
/// the Eisel-Lemire algorithm (a 64 x 128-bit product with `PowersOfTen`; Lemire, "Number parsing
/// at a gigabyte per second", 2021), else, for the rare inputs those cannot settle (more than 19
/// significant digits, subnormal results, ties too close to call), `strtod` itself.
enum DecimalParser {
    /// The number in JSON's grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`) at `start`
    /// (before `end`): its value and length in bytes, and whether it was written as an integer. Nil when
    /// no number in that grammar starts there.
    static func parse(_ start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (value: Double, length: Int, isInteger: Bool)? {
        var p = start
        let negative = p < end && p.pointee == 0x2D
        if negative { p += 1 }
        guard p < end, isDigit(p.pointee) else { return nil }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        if p.pointee == 0x30 {
            p += 1
            if p < end, isDigit(p.pointee) { return nil }
        } else {
            while p < end, isDigit(p.pointee) {
                if significant > 0, significant <= 11, end - p >= 8, let eight = eightDigits(p) {
                    mantissa = mantissa &* 100_000_000 &+ eight
                    significant += 8
                    p += 8
                    continue
                }
                accumulate(p.pointee, into: &mantissa, digits: &significant)
                p += 1
            }
        }
        var isInteger = true
        if p < end, p.pointee == 0x2E {
            isInteger = false
            p += 1
            guard p < end, isDigit(p.pointee) else { return nil }
            while p < end, isDigit(p.pointee) {
                if significant > 0, significant <= 11, end - p >= 8, let eight = eightDigits(p) {
                    mantissa = mantissa &* 100_000_000 &+ eight
                    significant += 8
                    exponent -= 8
                    p += 8
                    continue
                }
                accumulate(p.pointee, into: &mantissa, digits: &significant)
                exponent -= 1
                p += 1
            }
        }
        if p < end, p.pointee | 0x20 == 0x65 {
            isInteger = false
            p += 1
            var negativeExponent = false
            if p < end, p.pointee == 0x2B || p.pointee == 0x2D {
                negativeExponent = p.pointee == 0x2D
                p += 1
            }
            guard p < end, isDigit(p.pointee) else { return nil }
            var written = 0
            while p < end, isDigit(p.pointee) {
                if written < 100_000 { written = written * 10 + Int(p.pointee - 0x30) }
                p += 1
            }
            exponent += negativeExponent ? -written : written
        }
        let length = p - start
        if significant <= 19, let value = nearest(mantissa, exponent: exponent, negative: negative) {
            return (value, length, isInteger)
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer in
            for offset in 0..<length { buffer[offset] = CChar(bitPattern: start[offset]) }
            buffer[length] = 0
            return (strtod(buffer.baseAddress!, nil), length, isInteger)
        }
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    /// The value of the eight ASCII digits at `p`, or nil when any of the eight bytes is not a digit
    /// (eight at once in one 64-bit word, as fast_float does).
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard (word & high) | (((word &+ 0x0606_0606_0606_0606) & high) >> 4) == 0x3333_3333_3333_3333 else { return nil }
        var value = word &- 0x3030_3030_3030_3030
        value = value &* 10 &+ (value >> 8)  // pairs of digits in every other byte
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        value = ((value & mask) &* 0x000F_4240_0000_0064 &+ ((value >> 16) & mask) &* 0x0000_2710_0000_0001) >> 32
        return value
    }

    /// Appends a digit; leading zeros are not significant. Past 19 digits the mantissa stops growing
    /// (the count says so, and `strtod` then decides).
    @inline(__always)
    private static func accumulate(_ digit: UInt8, into mantissa: inout UInt64, digits: inout Int) {
        if digits == 0 && digit == 0x30 { return }
        digits += 1
        if digits <= 19 { mantissa = mantissa &* 10 &+ UInt64(digit - 0x30) }
    }

    private static let exactPowers: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// `mantissa x 10^exponent` correctly rounded, or nil when this path cannot be sure.
    static func nearest(_ mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            // Both operands are exact: one correctly rounded operation.
            let value = exponent >= 0 ? Double(mantissa) * exactPowers[exponent] : Double(mantissa) / exactPowers[-exponent]
            return negative ? -value : value
        }
        return eiselLemire(mantissa, exponent: exponent, negative: negative)
    }

    /// The Eisel-Lemire step: the top bits of mantissa x 10^exponent from a 64 x 128-bit product.
    static func eiselLemire(_ mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        guard exponent >= PowersOfTen.smallestExponent, exponent <= PowersOfTen.largestExponent else { return nil }
        let leadingZeros = mantissa.leadingZeroBitCount
        let normalized = mantissa << UInt64(leadingZeros)
        // 217706 / 2^16 approximates log2(10).
        var binaryExponent = UInt64(bitPattern: Int64((217706 * exponent) >> 16 + 64 + 1023)) &- UInt64(leadingZeros)
        let row = 2 * (exponent - PowersOfTen.smallestExponent)
        let high = PowersOfTen.mantissas[row], low = PowersOfTen.mantissas[row + 1]
        var (productHigh, productLow) = normalized.multipliedFullWidth(by: high)
        if productHigh & 0x1FF == 0x1FF && productLow &+ normalized < normalized {
            // Within 1/512 of a halfway point: take the power's low word into account.
            let (extraHigh, extraLow) = normalized.multipliedFullWidth(by: low)
            var mergedHigh = productHigh
            let mergedLow = productLow &+ extraHigh
            if mergedLow < productLow { mergedHigh &+= 1 }
            if mergedHigh & 0x1FF == 0x1FF && mergedLow &+ 1 == 0 && extraLow &+ normalized < normalized { return nil }
            productHigh = mergedHigh
            productLow = mergedLow
        }
        let topBit = productHigh >> 63
        var bits = productHigh >> (topBit + 9)
        binaryExponent &-= 1 ^ topBit
        // A tie that the product cannot break.
        if productLow == 0 && productHigh & 0x1FF == 0 && bits & 3 == 1 { return nil }
        bits &+= bits & 1
        bits >>= 1
        if bits >> 53 > 0 {
            bits >>= 1
            binaryExponent &+= 1
        }
        // Subnormal, infinite or NaN results are left to strtod.
        guard binaryExponent &- 1 < 0x7FF - 1 else { return nil }
        let pattern = binaryExponent << 52 | bits & 0x000F_FFFF_FFFF_FFFF | (negative ? 1 << 63 : 0)
        return Double(bitPattern: pattern)
    }
}
