@testable import Distill
import Testing

/// The root search's lower bounds: never above the errors the sides' depth-2 trees truly reach, and
/// skipping the splits they rule out changes no tree.
struct OptimalTreeBoundsTests {
    /// Rows of `features` features (continuous with few distinct values, the last categorical) and
    /// `classes` classes, set by three of the features, with 10% noise: a problem where some root splits
    /// are clearly worse.
    static func sample(seed: UInt64, rows: Int, features: Int, classes: Int) -> (Dataset, [Int]) {
        var generator = SeededGenerator(seed: seed)
        // The last feature is categorical (5 levels); one level shifts the class.
        let schema = FeatureSchema(features: (0..<features).map { feature in
            feature == features - 1 ? Feature(name: "f\(feature)", kind: .categorical(values: ["a", "b", "c", "d", "e"]))
                : Feature(name: "f\(feature)", kind: .continuous(min: nil, max: nil))
        })
        var values: [Double] = [], labels: [Int] = []
        for _ in 0..<rows {
            var row = (0..<features).map { _ in Double(generator.nextInt(below: 12)) }
            row[features - 1] = Double(generator.nextInt(below: 5))
            values += row
            var label = (Int(row[0]) / 4 + 3 * (Int(row[1]) / 6) + (row[features - 1] == 2 ? 1 : 0)) % classes
            if generator.nextInt(below: 10) == 0 { label = generator.nextInt(below: classes) }
            labels.append(label)
        }
        return (Dataset(schema: schema, rows: rows, values: values), labels)
    }

    static func binned(_ data: Dataset, _ labels: [Int], classes: Int) -> BinnedSample {
        BinnedSample(data: data, classes: labels, classCount: classes, features: Array(0..<data.schema.count), maxBins: 8)!
    }

    @Test(arguments: [(1, 8), (2, 5), (3, 7), (4, 4)])
    func skippingTheBoundedSplitsChangesNoTree(seed: Int, leaves: Int) {
        let (data, labels) = Self.sample(seed: UInt64(seed), rows: 1_500, features: 6, classes: 6)
        let sample = Self.binned(data, labels, classes: 6)
        let rows = Array(0..<Int32(sample.rows))
        let bounded = OptimalTreePlanner(sample: sample, schema: data.schema)
        var unbounded = bounded
        unbounded.bounded = false
        let plan = bounded.plan(rows, depth: 3, leaves: leaves)
        #expect(plan == unbounded.plan(rows, depth: 3, leaves: leaves), "seed \(seed)")
        #expect(plan == Parallelism.withThreads(3) { bounded.plan(rows, depth: 3, leaves: leaves) })
    }

    /// Every root split of every position, swept as the search sweeps it, with a side solved at every
    /// other split: the bound never passes the best sum of the two sides' true errors.
    @Test func boundsNeverPassTheSidesTrueErrors() {
        // More classes than a side's 4 leaves can name: the class bound bites.
        let classes = 8, leaves = 8
        var checked = 0, positive = 0, skippable = 0
        for seed in 5...7 {
            let (data, labels) = Self.sample(seed: UInt64(seed), rows: 800, features: 4, classes: classes)
            let sample = Self.binned(data, labels, classes: classes)
            let solver = DepthTwoSolver(sample: sample)
            let rows = Array(0..<Int32(sample.rows))
            var all = JointCounts(sample: sample)
            all.add(rows, of: sample)
            let whole = solver.solve(all).errors
            for a in 0..<sample.features.count {
                var bounds = RootBounds(whole: whole, leaves: leaves, classCount: classes)
                var left = JointCounts(sample: sample), moved = 0, best = whole[3]
                guard !sample.categorical[a] else { continue }
                for u in 0..<sample.candidates(a) {
                    let bucket = rows.filter { sample.bins[Int($0) * sample.features.count + a] == u }
                    guard !bucket.isEmpty else { continue }
                    left.add(bucket, of: sample)
                    moved += bucket.count
                    guard moved < rows.count else { break }
                    bounds.advance(by: Int32(bucket.count))
                    var right = JointCounts(sample: sample)
                    right.setDifference(all, left)
                    let bound = bounds.lowerBound(left: left.totals, right: right.totals, leftCount: Int32(moved),
                                                  rightCount: Int32(rows.count - moved))
                    let l = solver.solve(left).errors, r = solver.solve(right).errors
                    var truth = Int32.max
                    for x in 1...4 { for y in 1...4 where x + y <= leaves { truth = min(truth, l[x - 1] + r[y - 1]) } }
                    #expect(bound <= truth, "seed \(seed), position \(a), candidate \(u)")
                    checked += 1
                    if bound > 0 { positive += 1 }
                    // The search would skip this split: it cannot beat the best so far at this position.
                    if bound >= best { skippable += 1 }
                    best = min(best, truth)
                    if u % 2 == 0 { bounds.solved(left: l, right: r) }
                }
            }
        }
        #expect(checked > 30 && positive > 0 && skippable > 0)
    }

    @Test func classBoundIsExactWhenEachSideIsOneClassPerLeaf() {
        // Left: 5 points of class 0, 3 of class 1, 2 of class 2; with 1 leaf it misses 5, with 2 leaves
        // 2, with 3 or more 0. Right: 4 of class 1; never misses.
        var bounds = RootBounds(whole: [0, 0, 0, 0], leaves: 8, classCount: 3)
        #expect(bounds.lowerBound(left: [5, 3, 2], right: [0, 4, 0], leftCount: 10, rightCount: 4) == 0)
        var oneLeafEach = RootBounds(whole: [0, 0, 0, 0], leaves: 2, classCount: 3)
        #expect(oneLeafEach.lowerBound(left: [5, 3, 2], right: [0, 4, 0], leftCount: 10, rightCount: 4) == 5)
        var threeLeaves = RootBounds(whole: [0, 0, 0, 0], leaves: 3, classCount: 3)
        #expect(threeLeaves.lowerBound(left: [5, 3, 2], right: [0, 4, 0], leftCount: 10, rightCount: 4) == 2)
        // The whole rows' errors less the other side's points: 9 - 4 = 5 on the left (1 leaf), 9 - 10 < 0 on
        // the right; with 12, 12 - 4 = 8 and 12 - 10 = 2.
        var whole = RootBounds(whole: [9, 9, 9, 9], leaves: 2, classCount: 3)
        #expect(whole.lowerBound(left: [5, 3, 2], right: [0, 4, 0], leftCount: 10, rightCount: 4) == 5)
        var wholer = RootBounds(whole: [12, 12, 12, 12], leaves: 2, classCount: 3)
        #expect(wholer.lowerBound(left: [5, 3, 2], right: [0, 4, 0], leftCount: 10, rightCount: 4) == 10)
    }
}
