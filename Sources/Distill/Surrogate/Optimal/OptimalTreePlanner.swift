import Synchronization

/// An optimal tree's shape: splits in raw units, before its nodes get their counts.
indirect enum PlannedTree: Equatable {
    case leaf
    case split(feature: Int, test: SplitTest, left: PlannedTree, right: PlannedTree)

    /// The tree with every node's class counts over `data`'s rows (`classes`).
    func tree(schema: FeatureSchema, outputs: [String], data: Dataset, classes: [Int], classCount: Int) -> DecisionTree {
        var nodes: [TreeNode] = []
        func add(_ plan: PlannedTree, rows: [Int], depth: Int) -> Int {
            let index = nodes.count
            var counts = [Double](repeating: 0, count: classCount)
            for row in rows { counts[classes[row]] += 1 }
            nodes.append(TreeNode(split: nil, left: -1, right: -1, samples: rows.count, value: counts, spread: [], depth: depth))
            if case let .split(feature, test, left, right) = plan {
                let goesLeft = rows.map { test.goesLeft(data[$0, feature]) }
                let leftIndex = add(left, rows: zip(rows, goesLeft).filter { $0.1 }.map(\.0), depth: depth + 1)
                let rightIndex = add(right, rows: zip(rows, goesLeft).filter { !$0.1 }.map(\.0), depth: depth + 1)
                nodes[index].split = TreeNode.Split(feature: feature, test: test)
                nodes[index].left = leftIndex
                nodes[index].right = rightIndex
            }
            return index
        }
        _ = add(self, rows: Array(0..<data.rows), depth: 0)
        return DecisionTree(task: .classification, schema: schema, outputs: outputs, nodes: nodes)
    }
}

/// Finds and lays out the optimal tree of `OptimalTreeSearch` on a binned sample: depth 1 from a
/// histogram, depth 2 by `DepthTwoSolver`, depth 3 by a root search that solves both sides at depth 2 of
/// every root split that may still win (`rootChoice`). The chosen root's sides are then planned again on
/// their own points, which gives the same errors the search counted.
struct OptimalTreePlanner {
    let sample: BinnedSample
    let schema: FeatureSchema
    /// Whether root splits whose lower bound cannot win are skipped (`RootBounds`); off only to check
    /// that the bounds change nothing.
    var bounded = true

    /// The fewest-error tree of at most `depth` levels and `leaves` leaves on `rows`.
    func plan(_ rows: [Int32], depth: Int, leaves: Int) -> PlannedTree {
        guard leaves > 1, depth > 0, !rows.isEmpty else { return .leaf }
        let solver = DepthTwoSolver(sample: sample)
        let choice: DepthTwoSolver.Choice
        if depth == 1 || leaves == 2 {
            let (histogram, totals) = sample.histogram(of: rows)
            guard let split = solver.singleSplit(histogram: histogram, totals: totals).split else { return .leaf }
            choice = DepthTwoSolver.Choice(split: split, leftLeaves: 1, rightLeaves: 1)
        } else if depth == 2 {
            var counts = JointCounts(sample: sample)
            counts.add(rows, of: sample)
            guard let best = solver.solve(counts).choices[min(leaves, 4) - 1] else { return .leaf }
            choice = best
        } else {
            guard let root = rootChoice(rows, leaves: leaves) else { return plan(rows, depth: 2, leaves: min(leaves, 4)) }
            choice = root
        }
        let a = choice.split.position, u = choice.split.candidate
        let left = rows.filter { sample.goesLeft(Int($0), position: a, candidate: u) }
        let right = rows.filter { !sample.goesLeft(Int($0), position: a, candidate: u) }
        return .split(feature: sample.features[a], test: sample.test(position: a, candidate: u, schema: schema),
                      left: plan(left, depth: depth - 1, leaves: choice.leftLeaves),
                      right: plan(right, depth: depth - 1, leaves: choice.rightLeaves))
    }

    /// The best root of a depth-3 tree with at most `leaves` leaves, with the leaves of each side (each
    /// side a depth-2 tree of at most 4); nil when no depth-3 tree beats the best depth-2 one.
    ///
    /// A root split whose lower bound (`RootBounds`) cannot beat the best found is not solved: the first
    /// best root of each position is kept, and a position is only cut short by another position's root
    /// when its own cannot even tie it, so the choice is the same as solving every split, and the same for
    /// any number of threads.
    func rootChoice(_ rows: [Int32], leaves: Int) -> DepthTwoSolver.Choice? {
        var all = JointCounts(sample: sample)
        all.add(rows, of: sample)
        let whole = DepthTwoSolver(sample: sample).solve(all).errors
        let shallow = whole[min(leaves, 4) - 1]
        let positions = sample.features.count
        let found = Atomic<Int32>(shallow)
        var results = [(error: Int32, choice: DepthTwoSolver.Choice?)](repeating: (.max, nil), count: positions)
        results.withUnsafeMutableBufferPointer { results in
            let output = UncheckedBox(results)
            Parallelism.forEach(pieces: positions, scratch: { DepthTwoSolver(sample: sample) }) { a, solver in
                let result = bestRoot(at: a, rows: rows, all: all, whole: whole, leaves: leaves, solver: solver, found: found)
                output.value[a] = result
                var seen = found.load(ordering: .relaxed)
                while result.error < seen {
                    let (exchanged, now) = found.compareExchange(expected: seen, desired: result.error, ordering: .relaxed)
                    if exchanged { break }
                    seen = now
                }
            }
        }
        var best = shallow, chosen: DepthTwoSolver.Choice?
        for result in results where result.error < best {
            best = result.error
            chosen = result.choice
        }
        return chosen
    }

    /// The best depth-3 root among position `a`'s candidates that beats `whole` (the depth-2 errors of
    /// all the rows, by budget); `found`: the fewest errors any position has reached so far.
    ///
    /// The bounds read class totals only, so the joint counts of a split's sides are made only for the
    /// splits solved: along a threshold sweep, the left side's counts are brought up to date by adding the
    /// points that moved since, or the right side's counted afresh, whichever adds fewer points, and the
    /// other side is `all` less it.
    private func bestRoot(at a: Int, rows: [Int32], all: JointCounts, whole: [Int32], leaves: Int, solver: DepthTwoSolver,
                          found: borrowing Atomic<Int32>) -> (error: Int32, choice: DepthTwoSolver.Choice?) {
        let q = sample.features.count, k = sample.classCount, candidates = sample.candidates(a)
        var buckets = [[Int32]](repeating: [], count: sample.binCount[a])
        var bucketTotals = [Int32](repeating: 0, count: sample.binCount[a] * k)
        for row in rows {
            let bin = Int(sample.bins[Int(row) * q + a])
            buckets[bin].append(row)
            bucketTotals[bin * k + Int(sample.classes[Int(row)])] += 1
        }
        // Only a tree that beats the best depth-2 tree is taken.
        var best = whole[min(leaves, 4) - 1], chosen: DepthTwoSolver.Choice?
        var bounds = RootBounds(whole: whole, leaves: leaves, classCount: k)
        var leftTotals = [Int32](repeating: 0, count: k), rightTotals = all.totals
        /// Whether the split at `u` with these sides' totals (and `leftCount` points left) may win.
        func promising(leftCount: Int) -> Bool {
            guard bounded else { return true }
            let bound = bounds.lowerBound(left: leftTotals, right: rightTotals, leftCount: Int32(leftCount),
                                          rightCount: Int32(rows.count - leftCount))
            // Ties within the position keep the first root; another position's root must be beaten.
            return bound < best && bound <= found.load(ordering: .relaxed)
        }
        func solve(_ u: Int, _ left: JointCounts, _ right: JointCounts) {
            let l = solver.solve(left), r = solver.solve(right)
            bounds.solved(left: l.errors, right: r.errors)
            for x in 1...4 {
                for y in 1...4 where x + y <= leaves && l.errors[x - 1] &+ r.errors[y - 1] < best {
                    best = l.errors[x - 1] &+ r.errors[y - 1]
                    chosen = DepthTwoSolver.Choice(split: BinnedSplit(position: a, candidate: u), leftLeaves: x, rightLeaves: y)
                }
            }
        }
        // The sides' counts, made in these two tables for every split solved.
        var left = JointCounts(sample: sample), right = JointCounts(sample: sample)
        if sample.categorical[a] {
            for u in 0..<candidates where !buckets[u].isEmpty && buckets[u].count < rows.count {
                for c in 0..<k {
                    leftTotals[c] = bucketTotals[u * k + c]
                    rightTotals[c] = all.totals[c] - leftTotals[c]
                }
                bounds.forget()
                guard promising(leftCount: buckets[u].count) else { continue }
                left.reset()
                left.add(buckets[u], of: sample)
                right.setDifference(all, left)
                solve(u, left, right)
            }
        } else {
            // `left` counts the points of buckets up to `counted`.
            var counted = -1, moved = 0
            for u in 0..<candidates where !buckets[u].isEmpty {
                moved += buckets[u].count
                guard moved < rows.count else { break }
                for c in 0..<k {
                    leftTotals[c] += bucketTotals[u * k + c]
                    rightTotals[c] -= bucketTotals[u * k + c]
                }
                bounds.advance(by: Int32(buckets[u].count))
                guard promising(leftCount: moved) else { continue }
                let pending = ((counted + 1)...u).reduce(0) { $0 + buckets[$1].count }
                if pending <= rows.count - moved {
                    for bucket in (counted + 1)...u { left.add(buckets[bucket], of: sample) }
                    right.setDifference(all, left)
                } else {
                    right.reset()
                    for bucket in (u + 1)..<buckets.count { right.add(buckets[bucket], of: sample) }
                    left.setDifference(all, right)
                }
                solve(u, left, right)
                counted = u
            }
        }
        return (best, chosen)
    }
}

/// Lower bounds on the errors of a depth-3 tree under a root split, from which the root search skips the
/// splits that cannot win (MurTree's bounds, Demirović et al., JMLR 2022, section 4.5). For each side and
/// each budget of 1...4 leaves, the largest of:
/// - the class bound: a tree of b leaves names at most b classes, so it misses every point outside the b
///   largest classes of its side;
/// - the whole bound: each side is part of all the rows, and a tree for the side applied to all the rows
///   misses at most the other side's points more, so the side's errors are at least the whole rows'
///   depth-2 errors less the other side's points;
/// - the similarity bound, from the last split solved in a threshold sweep: the left side has only gained
///   points since (and errs at least as much), the right side has lost the points moved since (and errs
///   at most that many fewer).
struct RootBounds {
    let whole: [Int32]
    let leaves: Int
    let classCount: Int
    private var leftSolved: [Int32]?
    private var rightSolved: [Int32] = []
    private var movedSinceSolved: Int32 = 0
    private var sorted: [Int32]

    init(whole: [Int32], leaves: Int, classCount: Int) {
        self.whole = whole
        self.leaves = leaves
        self.classCount = classCount
        sorted = [Int32](repeating: 0, count: classCount)
    }

    /// A split was solved: its sides' errors by budget.
    mutating func solved(left: [Int32], right: [Int32]) {
        leftSolved = left
        rightSolved = right
        movedSinceSolved = 0
    }

    /// `count` more points moved from the right side to the left since the last split solved.
    mutating func advance(by count: Int32) { movedSinceSolved &+= count }

    /// The next split is not a neighbour of the last one solved (categorical positions).
    mutating func forget() { leftSolved = nil }

    /// The fewest errors any tree under this split can make, for sides with these class totals and sizes.
    mutating func lowerBound(left: [Int32], right: [Int32], leftCount: Int32, rightCount: Int32) -> Int32 {
        var leftBounds = (0..<4).map { whole[$0] &- rightCount }
        var rightBounds = (0..<4).map { whole[$0] &- leftCount }
        classBounds(left, count: leftCount, into: &leftBounds)
        classBounds(right, count: rightCount, into: &rightBounds)
        if let leftSolved {
            for b in 0..<4 {
                leftBounds[b] = max(leftBounds[b], leftSolved[b])
                rightBounds[b] = max(rightBounds[b], rightSolved[b] &- movedSinceSolved)
            }
        }
        var bound = Int32.max
        for x in 1...4 {
            for y in 1...4 where x + y <= leaves {
                bound = min(bound, max(leftBounds[x - 1], 0) &+ max(rightBounds[y - 1], 0))
            }
        }
        return bound
    }

    /// Raises `bounds[b - 1]` to the points outside the b largest classes of `totals`.
    private mutating func classBounds(_ totals: [Int32], count: Int32, into bounds: inout [Int32]) {
        for c in 0..<classCount { sorted[c] = totals[c] }
        sorted.sort(by: >)
        var kept: Int32 = 0
        for b in 0..<4 {
            if b < classCount { kept &+= sorted[b] }
            bounds[b] = max(bounds[b], count &- kept)
        }
    }
}
