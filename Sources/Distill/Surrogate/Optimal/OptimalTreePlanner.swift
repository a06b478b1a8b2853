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
/// histogram, depth 2 by `DepthTwoSolver`, depth 3 by a root search that solves both sides of every root
/// split at depth 2. The chosen root's sides are then planned again on their own points, which gives the
/// same errors the search counted.
struct OptimalTreePlanner {
    let sample: BinnedSample
    let schema: FeatureSchema

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
            counts.add(rows, of: sample, weight: 1)
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
    func rootChoice(_ rows: [Int32], leaves: Int) -> DepthTwoSolver.Choice? {
        var all = JointCounts(sample: sample)
        all.add(rows, of: sample, weight: 1)
        let shallow = DepthTwoSolver(sample: sample).solve(all).errors[min(leaves, 4) - 1]
        let positions = sample.features.count
        var results = [(error: Int32, choice: DepthTwoSolver.Choice?)](repeating: (.max, nil), count: positions)
        results.withUnsafeMutableBufferPointer { results in
            let output = UncheckedBox(results)
            Parallelism.forEach(pieces: positions, scratch: { DepthTwoSolver(sample: sample) }) { a, solver in
                output.value[a] = bestRoot(at: a, rows: rows, all: all, leaves: leaves, solver: solver)
            }
        }
        var best = shallow, chosen: DepthTwoSolver.Choice?
        for result in results where result.error < best {
            best = result.error
            chosen = result.choice
        }
        return chosen
    }

    /// The best depth-3 root among position `a`'s candidates.
    private func bestRoot(at a: Int, rows: [Int32], all: JointCounts, leaves: Int,
                          solver: DepthTwoSolver) -> (error: Int32, choice: DepthTwoSolver.Choice?) {
        var buckets = [[Int32]](repeating: [], count: sample.binCount[a])
        let q = sample.features.count
        for row in rows { buckets[Int(sample.bins[Int(row) * q + a])].append(row) }
        var best = Int32.max, chosen: DepthTwoSolver.Choice?
        func consider(_ u: Int, _ left: JointCounts, _ right: JointCounts) {
            let l = solver.solve(left), r = solver.solve(right)
            for x in 1...4 {
                for y in 1...4 where x + y <= leaves && l.errors[x - 1] &+ r.errors[y - 1] < best {
                    best = l.errors[x - 1] &+ r.errors[y - 1]
                    chosen = DepthTwoSolver.Choice(split: BinnedSplit(position: a, candidate: u), leftLeaves: x, rightLeaves: y)
                }
            }
        }
        if sample.categorical[a] {
            for u in 0..<sample.candidates(a) where !buckets[u].isEmpty && buckets[u].count < rows.count {
                var left = JointCounts(sample: sample), right = all
                left.add(buckets[u], of: sample, weight: 1)
                right.add(buckets[u], of: sample, weight: -1)
                consider(u, left, right)
            }
        } else {
            var left = JointCounts(sample: sample), right = all, moved = 0
            for u in 0..<sample.candidates(a) where !buckets[u].isEmpty {
                left.add(buckets[u], of: sample, weight: 1)
                right.add(buckets[u], of: sample, weight: -1)
                moved += buckets[u].count
                guard moved < rows.count else { break }
                consider(u, left, right)
            }
        }
        return (best, chosen)
    }
}
