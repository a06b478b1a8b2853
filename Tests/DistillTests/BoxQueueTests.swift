@testable import Distill
import Testing

/// Branch and bound's queue gives the boxes in the order a scan of the queue in order would: the most
/// points first, the earliest queued among equals.
struct BoxQueueTests {
    @Test(arguments: [UInt64(1), 2, 3]) func itGivesTheScansOrder(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var points: [Int: Int] = [:]
        var scanned: [Int] = [], queue = BoxQueue([]) { points[$0]! }
        var next = 0, order: [Int] = [], expected: [Int] = []
        // Pushes and pops interleaved, with many equal counts (0...9 points).
        for _ in 0..<2000 {
            if Int(generator.next() % 3) < 2 || scanned.isEmpty {
                points[next] = Int(generator.next() % 10)
                scanned.append(next)
                queue.push(next, points: points[next]!)
                next += 1
            } else {
                let index = scanned.indices.max { points[scanned[$0]]! < points[scanned[$1]]! || (points[scanned[$0]]! == points[scanned[$1]]! && $0 > $1) }!
                expected.append(scanned.remove(at: index))
                order.append(queue.popFirst()!)
            }
        }
        #expect(order == expected)
        #expect(queue.inArrivalOrder == scanned)
        while let node = queue.popFirst() { order.append(node) }
        #expect(Set(order).count == next)
    }

    @Test func itStartsFromTheNodesInOrder() {
        let counts = [5, 7, 7, 1, 5]
        var queue = BoxQueue([0, 1, 2, 3, 4]) { counts[$0] }
        var order: [Int] = []
        while let node = queue.popFirst() { order.append(node) }
        #expect(order == [1, 2, 0, 4, 3])
    }
}
