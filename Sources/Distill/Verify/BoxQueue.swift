/// The undecided boxes branch and bound still has to bound, largest first: a binary max-heap on (points,
/// order of arrival), so that the box with the most points comes out first and, among equals, the one
/// queued earliest, as a scan of the queue in order would choose. Taking the next box costs log n where the
/// scan cost n (hundreds of thousands of boxes on a long run).
struct BoxQueue {
    private struct Entry {
        var node: Int
        var points: Int
        var arrival: Int

        /// Whether this entry comes out before `other`.
        func precedes(_ other: Entry) -> Bool {
            points > other.points || (points == other.points && arrival < other.arrival)
        }
    }

    private var heap: [Entry] = []
    private var arrivals = 0

    /// The boxes of `nodes` in this order of arrival, with their point counts.
    init(_ nodes: [Int], points: (Int) -> Int) {
        for node in nodes { push(node, points: points(node)) }
    }

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ node: Int, points: Int) {
        heap.append(Entry(node: node, points: points, arrival: arrivals))
        arrivals += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The box with the most points (the earliest queued among equals), removed.
    mutating func popFirst() -> Int? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var next = parent
                if left < heap.count, heap[left].precedes(heap[next]) { next = left }
                if right < heap.count, heap[right].precedes(heap[next]) { next = right }
                guard next != parent else { break }
                heap.swapAt(parent, next)
                parent = next
            }
        }
        return first.node
    }

    /// The boxes left, in their order of arrival.
    var inArrivalOrder: [Int] { heap.sorted { $0.arrival < $1.arrival }.map(\.node) }
}
