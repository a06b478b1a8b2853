@testable import Distill
import Testing

/// The radix sort orders values as a comparison sort does: by value, rows of equal values by row.
struct DoubleRadixSortTests {
    /// Values with ties, both zeros, both infinities, tiny and huge magnitudes, and NaN.
    static func values(seed: UInt64, count: Int) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let specials: [Double] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1e308, -1e308, 1, -1]
        return (0..<count).map { _ in
            switch generator.nextInt(below: 4) {
            case 0: return specials[generator.nextInt(below: specials.count)]
            case 1: return Double(generator.nextInt(below: 7)) - 3
            default: return (generator.nextUnit() - 0.5) * 1e6
            }
        }
    }

    @Test(arguments: [1, 2, 3])
    func ordersRowsAsAComparisonSortDoes(seed: Int) {
        let values = Self.values(seed: UInt64(seed), count: 3_000)
        var order = [Int32](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { values in
            order.withUnsafeMutableBufferPointer { DoubleRadixSort.order(of: values, into: $0) }
        }
        // The reference: numbers by value then row (-0 equal to +0), then NaN rows in row order.
        let numbers = values.indices.filter { !values[$0].isNaN }
            .sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        let nans = values.indices.filter { values[$0].isNaN }
        #expect(order.map { Int($0) } == numbers + nans)
    }

    @Test func sortsNumbersAndLeavesNaNOut() {
        let values = Self.values(seed: 9, count: 2_000)
        let sorted = DoubleRadixSort.sortedNumbers(values)
        let reference = values.filter { !$0.isNaN }.sorted()
        #expect(sorted == reference)
        // -0 comes back as +0, every other value bit for bit.
        #expect(zip(sorted, reference).allSatisfy { $0.bitPattern == $1.bitPattern || ($0 == 0 && $1 == 0) })
        #expect(sorted.allSatisfy { $0 != 0 || $0.sign == .plus })
        #expect(DoubleRadixSort.sortedNumbers([Double]()).isEmpty)
        #expect(DoubleRadixSort.sortedNumbers([.nan]).isEmpty)
        var empty: [Int32] = []
        [Double]().withUnsafeBufferPointer { values in
            empty.withUnsafeMutableBufferPointer { DoubleRadixSort.order(of: values, into: $0) }
        }
        #expect(empty.isEmpty)
    }

    /// Keys that differ in one byte (one pass: the result ends in the scratch buffers), in three bytes
    /// (odd again), and keys all equal (no pass): the order and the values as a comparison sort gives them.
    @Test func anOddNumberOfPassesEndsInTheRightBuffer() {
        let twos: [Double] = [2, 0, 2, 0, 2]
        let cases: [[Double]] = [twos, [3, 1.5, 1 + 0x1p-12, 2, 1, 2.5], [7, 7, 7], (0..<100).map { Double(($0 * 37) % 100) / 8 }]
        for values in cases {
            var order = [Int32](repeating: 0, count: values.count)
            values.withUnsafeBufferPointer { values in
                order.withUnsafeMutableBufferPointer { DoubleRadixSort.order(of: values, into: $0) }
            }
            let reference = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
            #expect(order.map { Int($0) } == reference, "\(values)")
            #expect(DoubleRadixSort.sortedNumbers(values) == values.sorted())
        }
        // 2 and 0 (as keys) differ in their top byte alone: one pass.
        #expect((DoubleRadixSort.key(2) ^ DoubleRadixSort.key(0)) >> 56 != 0 && (DoubleRadixSort.key(2) ^ DoubleRadixSort.key(0)) << 8 == 0)
    }
}
