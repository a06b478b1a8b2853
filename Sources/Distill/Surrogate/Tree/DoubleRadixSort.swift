/// Sorts Doubles (alone, or rows by their values) by an 8-pass least-significant-digit radix sort of
/// their bit patterns, skipping the passes where every value has the same byte: linear in the count,
/// where a comparison sort of a column of 100,000 values costs about twenty comparisons per value.
///
/// The sort is stable, so rows of equal values keep their order (as sorting by value, then row, does);
/// -0 sorts as +0 and NaN after every number.
enum DoubleRadixSort {
    /// An unsigned key in the order of the values: the sign bit flipped for positive values, every bit
    /// for negative ones; -0 as +0, every NaN as the largest key.
    @inline(__always)
    static func key(_ value: Double) -> UInt64 {
        if value.isNaN { return .max }
        let bits = (value == 0 ? 0.0 : value).bitPattern
        return bits & (1 << 63) == 0 ? bits | (1 << 63) : ~bits
    }

    /// The value of a key of a number (the inverse of `key`, -0 excepted).
    @inline(__always)
    static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// `values`' numbers in increasing order, NaN left out.
    static func sortedNumbers<Values: Collection>(_ values: Values) -> [Double] where Values.Element == Double {
        var keys = [UInt64](), scratch = [UInt64]()
        keys.reserveCapacity(values.count)
        for value in values where !value.isNaN { keys.append(key(value)) }
        scratch = [UInt64](repeating: 0, count: keys.count)
        var rows = [Int32](), rowScratch = [Int32]()
        sort(&keys, scratch: &scratch, rows: &rows, rowScratch: &rowScratch)
        return keys.map(value)
    }

    /// The rows `0..<values.count` in increasing order of `values[row]`, rows of equal values in row
    /// order (NaN last), written to `order` (as long as `values`).
    static func order(of values: UnsafeBufferPointer<Double>, into order: UnsafeMutableBufferPointer<Int32>) {
        let count = values.count
        precondition(order.count == count, "the order must be as long as the values")
        var keys = values.map(key)
        var scratch = [UInt64](repeating: 0, count: count)
        var rows = (0..<Int32(count)).map { $0 }, rowScratch = [Int32](repeating: 0, count: count)
        sort(&keys, scratch: &scratch, rows: &rows, rowScratch: &rowScratch)
        for position in 0..<count { order[position] = rows[position] }
    }

    /// Sorts `keys` stably, carrying `rows` along when it is not empty (then as long as `keys`);
    /// `scratch` and `rowScratch` are as long as `keys` and `rows`.
    private static func sort(_ keys: inout [UInt64], scratch: inout [UInt64], rows: inout [Int32], rowScratch: inout [Int32]) {
        let count = keys.count
        guard count > 1 else { return }
        // Every pass's byte counts, from one read of the keys.
        var counts = [Int](repeating: 0, count: 8 * 256)
        keys.withUnsafeBufferPointer { keys in
            counts.withUnsafeMutableBufferPointer { counts in
                for key in keys {
                    for pass in 0..<8 { counts[pass * 256 + Int((key >> (8 * UInt64(pass))) & 0xFF)] += 1 }
                }
            }
        }
        let carry = !rows.isEmpty
        var starts = [Int](repeating: 0, count: 256)
        for pass in 0..<8 {
            let base = pass * 256
            // A byte every key shares leaves the order as it is.
            guard !(0..<256).contains(where: { counts[base + $0] == count }) else { continue }
            var next = 0
            for byte in 0..<256 {
                starts[byte] = next
                next += counts[base + byte]
            }
            let shift = 8 * UInt64(pass)
            keys.withUnsafeBufferPointer { keys in
                scratch.withUnsafeMutableBufferPointer { target in
                    rows.withUnsafeBufferPointer { rows in
                        rowScratch.withUnsafeMutableBufferPointer { rowTarget in
                            starts.withUnsafeMutableBufferPointer { starts in
                                for index in 0..<count {
                                    let key = keys[index], byte = Int((key >> shift) & 0xFF)
                                    let position = starts[byte]
                                    starts[byte] = position + 1
                                    target[position] = key
                                    if carry { rowTarget[position] = rows[index] }
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &scratch)
            if carry { swap(&rows, &rowScratch) }
        }
    }
}
