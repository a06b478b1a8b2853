/// A split in an optimal-tree search: a position of the `BinnedSample` and one of its candidates.
struct BinnedSplit: Equatable, Sendable {
    var position: Int
    var candidate: Int
}

/// The fewest misclassified points that trees of depth at most 2 can reach on one set of points, for
/// every budget of 1 to 4 leaves, found by counting as MurTree's depth-two solver does (Demirović et al.,
/// JMLR 2022): from the set's `JointCounts`, a sweep over each root position's candidates builds the left
/// side's histogram slice by slice (the right side is the rest), and each side's best single split is read
/// off its histogram. Cost: about 4 q² B² k additions for q positions, B bins and k classes, whatever the
/// number of points. Ties keep the first split found (lower position, then lower candidate) and the
/// smaller tree.
final class DepthTwoSolver {
    /// Errors with at most 1...4 leaves (`errors[b - 1]`), and how each is reached (nil: one leaf).
    struct Best {
        var errors: [Int32]
        var choices: [Choice?]
    }

    /// A root split and the leaves each side may use (1: a leaf; 2: its best single split).
    struct Choice: Equatable {
        var split: BinnedSplit
        var leftLeaves: Int
        var rightLeaves: Int
    }

    let sample: BinnedSample
    private let sliceSize: Int
    private let running: UnsafeMutablePointer<Int32>
    private let right: UnsafeMutablePointer<Int32>
    private let leftTotals: UnsafeMutablePointer<Int32>
    private let rightTotals: UnsafeMutablePointer<Int32>
    private let scratch: UnsafeMutablePointer<Int32>

    init(sample: BinnedSample) {
        self.sample = sample
        let k = sample.classCount
        sliceSize = sample.features.count * sample.width * k
        running = .allocate(capacity: sliceSize)
        right = .allocate(capacity: sliceSize)
        leftTotals = .allocate(capacity: k)
        rightTotals = .allocate(capacity: k)
        scratch = .allocate(capacity: k)
    }

    deinit {
        running.deallocate()
        right.deallocate()
        leftTotals.deallocate()
        rightTotals.deallocate()
        scratch.deallocate()
    }

    /// Points not of the most frequent class.
    @inline(__always)
    static func leafError(_ totals: UnsafePointer<Int32>, classes k: Int) -> Int32 {
        var sum: Int32 = 0, most: Int32 = 0
        for c in 0..<k {
            sum &+= totals[c]
            most = max(most, totals[c])
        }
        return sum &- most
    }

    /// The best single split of the points whose histogram (every position's bins) and class totals are
    /// given: its error, or the leaf's error and nil when no split does better.
    /// The search may be kept to some `positions`.
    func singleSplit(histogram: UnsafePointer<Int32>, totals: UnsafePointer<Int32>,
                     positions: Range<Int>? = nil) -> (error: Int32, split: BinnedSplit?) {
        let k = sample.classCount, w = sample.width
        var best = Self.leafError(totals, classes: k), chosen: BinnedSplit?
        var all: Int32 = 0
        for c in 0..<k { all &+= totals[c] }
        for a in positions ?? sample.features.indices {
            let categorical = sample.categorical[a]
            for c in 0..<k { scratch[c] = 0 }
            for u in 0..<sample.candidates(a) {
                let bin = histogram + (a * w + u) * k
                var left: Int32 = 0, leftMost: Int32 = 0, rightMost: Int32 = 0
                for c in 0..<k {
                    let inLeft = categorical ? bin[c] : scratch[c] &+ bin[c]
                    if !categorical { scratch[c] = inLeft }
                    left &+= inLeft
                    leftMost = max(leftMost, inLeft)
                    rightMost = max(rightMost, totals[c] &- inLeft)
                }
                guard left > 0 else { continue }
                guard left < all else { if categorical { continue } else { break } }
                let error = (left &- leftMost) &+ (all &- left &- rightMost)
                if error < best {
                    best = error
                    chosen = BinnedSplit(position: a, candidate: u)
                }
            }
        }
        return (best, chosen)
    }

    /// The best trees of depth at most 2 with 1...4 leaves on the points counted in `counts`.
    func solve(_ counts: JointCounts) -> Best {
        let k = sample.classCount, w = sample.width, size = sliceSize
        return counts.cells.withUnsafeBufferPointer { cells in
            counts.histogram.withUnsafeBufferPointer { histogram in
                counts.totals.withUnsafeBufferPointer { totals in
                    let h = histogram.baseAddress!, n = totals.baseAddress!
                    let leaf = Self.leafError(n, classes: k)
                    var errors = [Int32](repeating: leaf, count: 4)
                    var choices = [Choice?](repeating: nil, count: 4)
                    let single = singleSplit(histogram: h, totals: n)
                    if let split = single.split {
                        errors[1] = single.error
                        choices[1] = Choice(split: split, leftLeaves: 1, rightLeaves: 1)
                    }
                    var all: Int32 = 0
                    for c in 0..<k { all &+= n[c] }
                    for a in sample.features.indices {
                        let categorical = sample.categorical[a]
                        if !categorical {
                            running.update(repeating: 0, count: size)
                            leftTotals.update(repeating: 0, count: k)
                        }
                        for u in 0..<sample.candidates(a) {
                            let bin = h + (a * w + u) * k
                            var inBin: Int32 = 0
                            for c in 0..<k { inBin &+= bin[c] }
                            guard inBin > 0 else { continue }
                            let slice = cells.baseAddress! + (a * w + u) * size
                            let left: UnsafePointer<Int32>
                            if categorical {
                                left = slice
                                for c in 0..<k { leftTotals[c] = bin[c] }
                            } else {
                                for i in 0..<size { running[i] &+= slice[i] }
                                for c in 0..<k { leftTotals[c] &+= bin[c] }
                                left = UnsafePointer(running)
                            }
                            var leftCount: Int32 = 0
                            for c in 0..<k {
                                leftCount &+= leftTotals[c]
                                rightTotals[c] = n[c] &- leftTotals[c]
                            }
                            guard leftCount < all else { if categorical { continue } else { break } }
                            for i in 0..<size { right[i] = h[i] &- left[i] }
                            let leftLeaf = Self.leafError(leftTotals, classes: k)
                            let rightLeaf = Self.leafError(rightTotals, classes: k)
                            let leftSplit = singleSplit(histogram: left, totals: leftTotals).error
                            let rightSplit = singleSplit(histogram: right, totals: rightTotals).error
                            let split = BinnedSplit(position: a, candidate: u)
                            // Slot b - 1 holds trees of b leaves: 1 + 1, 1 + 2 or 2 + 1, 2 + 2.
                            if leftLeaf &+ rightLeaf < errors[1] {
                                errors[1] = leftLeaf &+ rightLeaf
                                choices[1] = Choice(split: split, leftLeaves: 1, rightLeaves: 1)
                            }
                            if leftLeaf &+ rightSplit < errors[2] {
                                errors[2] = leftLeaf &+ rightSplit
                                choices[2] = Choice(split: split, leftLeaves: 1, rightLeaves: 2)
                            }
                            if leftSplit &+ rightLeaf < errors[2] {
                                errors[2] = leftSplit &+ rightLeaf
                                choices[2] = Choice(split: split, leftLeaves: 2, rightLeaves: 1)
                            }
                            if leftSplit &+ rightSplit < errors[3] {
                                errors[3] = leftSplit &+ rightSplit
                                choices[3] = Choice(split: split, leftLeaves: 2, rightLeaves: 2)
                            }
                        }
                    }
                    // A larger budget may always use a smaller tree.
                    for b in 1..<4 where errors[b - 1] <= errors[b] {
                        errors[b] = errors[b - 1]
                        choices[b] = choices[b - 1]
                    }
                    return Best(errors: errors, choices: choices)
                }
            }
        }
    }
}
