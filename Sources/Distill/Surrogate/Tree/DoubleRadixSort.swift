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
        let count = keys.count
        scratch = [UInt64](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let sortedInScratch = keys.withUnsafeMutableBufferPointer { keys in
            scratch.withUnsafeMutableBufferPointer { scratch in
                sort(keys.baseAddress, scratch: scratch.baseAddress, rows: nil, rowScratch: nil, count: count)
            }
        }
        return (sortedInScratch ? scratch : keys).map(value)
    }

    /// The rows `0..<values.count` in increasing order of `values[row]`, rows of equal values in row
    /// order (NaN last), written to `order` (as long as `values`).
    static func order(of values: UnsafeBufferPointer<Double>, into order: UnsafeMutableBufferPointer<Int32>) {
        let count = values.count
        precondition(order.count == count, "the order must be as long as the values")
        guard count > 0 else { return }
        var keys = values.map(key)
        var scratch = [UInt64](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        var rowScratch = [Int32](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        for row in 0..<count { order[row] = Int32(row) }
        let sortedInScratch = keys.withUnsafeMutableBufferPointer { keys in
            scratch.withUnsafeMutableBufferPointer { scratch in
                rowScratch.withUnsafeMutableBufferPointer { rowScratch in
                    sort(keys.baseAddress, scratch: scratch.baseAddress, rows: order.baseAddress, rowScratch: rowScratch.baseAddress,
                         count: count)
                }
            }
        }
        if sortedInScratch { _ = order.update(fromContentsOf: rowScratch) }
    }

    /// Sorts the `count` keys at `keys` stably, carrying the rows at `rows` along when it is not nil, each
    /// pass from one buffer to the other (`scratch`, `rowScratch`, of `count` elements); true when the
    /// result ends in the scratch buffers.
    private static func sort(_ keys: UnsafeMutablePointer<UInt64>?, scratch: UnsafeMutablePointer<UInt64>?,
                             rows: UnsafeMutablePointer<Int32>?, rowScratch: UnsafeMutablePointer<Int32>?, count: Int) -> Bool {
        guard count > 1, var source = keys, var target = scratch else { return false }
        precondition(count <= Int(Int32.max), "the counts are 32-bit")
        var rowSource = rows, rowTarget = rowScratch
        // Every pass's byte counts, from one read of the keys.
        var counts = [Int32](repeating: 0, count: 8 * 256)
        counts.withUnsafeMutableBufferPointer { counts in
            let counts = counts.baseAddress!
            for index in 0..<count {
                let key = source[index]
                for pass in 0..<8 { counts[pass &* 256 &+ Int(truncatingIfNeeded: (key >> (8 &* UInt64(pass))) & 0xFF)] &+= 1 }
            }
        }
        var swapped = false
        var starts = [Int](repeating: 0, count: 256)
        for pass in 0..<8 {
            let base = pass * 256, shift = 8 * UInt64(pass)
            // A byte every key shares (then the first key's) leaves the order as it is.
            guard Int(counts[base + Int((source[0] >> shift) & 0xFF)]) != count else { continue }
            var next = 0
            for byte in 0..<256 {
                starts[byte] = next
                next += Int(counts[base + byte])
            }
            starts.withUnsafeMutableBufferPointer { starts in
                let starts = starts.baseAddress!
                if let rowSource, let rowTarget {
                    for index in 0..<count {
                        let key = source[index], byte = Int(truncatingIfNeeded: (key >> shift) & 0xFF)
                        let position = starts[byte]
                        starts[byte] = position &+ 1
                        target[position] = key
                        rowTarget[position] = rowSource[index]
                    }
                } else {
                    for index in 0..<count {
                        let key = source[index], byte = Int(truncatingIfNeeded: (key >> shift) & 0xFF)
                        let position = starts[byte]
                        starts[byte] = position &+ 1
                        target[position] = key
                    }
                }
            }
            swap(&source, &target)
            swap(&rowSource, &rowTarget)
            swapped.toggle()
        }
        return swapped
    }
}
