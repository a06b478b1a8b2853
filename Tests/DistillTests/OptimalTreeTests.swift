@testable import Distill
import Testing

/// The optimal tree search finds the fewest training errors that any tree of its depth and leaves can
/// reach, checked against a brute-force enumeration of every tree on small data.
struct OptimalTreeTests {
    /// Features with few distinct values (so that every midpoint between two values is a candidate
    /// threshold) and a categorical one; classes from a rule with noise.
    static func smallData(seed: UInt64, rows: Int) -> (Dataset, [Int]) {
        var generator = SeededGenerator(seed: seed)
        let schema = FeatureSchema(features: [
            Feature(name: "a", kind: .continuous(min: nil, max: nil)),
            Feature(name: "b", kind: .continuous(min: nil, max: nil)),
            Feature(name: "c", kind: .categorical(values: ["x", "y", "z"])),
            Feature(name: "d", kind: .binary),
        ])
        var values: [Double] = [], classes: [Int] = []
        for _ in 0..<rows {
            let a = Double(generator.nextInt(below: 5)), b = Double(generator.nextInt(below: 4))
            let c = Double(generator.nextInt(below: 3)), d = Double(generator.nextInt(below: 2))
            values += [a, b, c, d]
            // An XOR of two features (what one greedy split cannot see), then noise.
            var label = ((a >= 2) != (b >= 2)) ? 1 : 0
            if c == 2 && d == 1 { label = 2 }
            if generator.nextInt(below: 10) == 0 { label = generator.nextInt(below: 3) }
            classes.append(label)
        }
        return (Dataset(schema: schema, rows: rows, values: values), classes)
    }

    /// Every split of the small data: a threshold halfway between two adjacent distinct values, or one
    /// category against the others.
    static func splits(_ data: Dataset) -> [(feature: Int, test: SplitTest)] {
        var result: [(Int, SplitTest)] = []
        for (feature, description) in data.schema.features.enumerated() {
            let distinct = Set((0..<data.rows).map { data[$0, feature] }).sorted()
            if let categories = description.categories {
                let used = categories.count == 2 ? [0] : Array(categories.indices)
                result += used.map { c in (feature, SplitTest.categories(left: categories.indices.map { $0 == c })) }
            } else {
                result += zip(distinct, distinct.dropFirst()).map { (feature, SplitTest.threshold(($0 + $1) / 2)) }
            }
        }
        return result
    }

    /// The fewest errors of any tree of at most `depth` levels on `rows`, for 1...`leaves` leaves.
    static func bruteForce(_ data: Dataset, _ classes: [Int], rows: [Int], depth: Int, leaves: Int,
                           splits: [(feature: Int, test: SplitTest)]) -> [Int] {
        var counts = [Int](repeating: 0, count: 3)
        for row in rows { counts[classes[row]] += 1 }
        let leaf = rows.count - counts.max()!
        var best = [Int](repeating: leaf, count: leaves)
        guard depth > 0, leaves > 1 else { return best }
        for split in splits {
            let left = rows.filter { split.test.goesLeft(data[$0, split.feature]) }
            let right = rows.filter { !split.test.goesLeft(data[$0, split.feature]) }
            guard !left.isEmpty, !right.isEmpty else { continue }
            let l = bruteForce(data, classes, rows: left, depth: depth - 1, leaves: leaves - 1, splits: splits)
            let r = bruteForce(data, classes, rows: right, depth: depth - 1, leaves: leaves - 1, splits: splits)
            for x in 1..<leaves {
                for y in 1..<leaves where x + y <= leaves {
                    best[x + y - 1] = min(best[x + y - 1], l[x - 1] + r[y - 1])
                }
            }
        }
        for b in 1..<leaves { best[b] = min(best[b], best[b - 1]) }
        return best
    }

    static func errors(_ tree: DecisionTree, _ data: Dataset, _ classes: [Int]) -> Int {
        zip(tree.predictClasses(raw: data.values, rows: data.rows), classes).filter { $0 != $1 }.count
    }

    @Test(arguments: [(1, 2, 2), (2, 3, 4), (3, 3, 8), (4, 3, 5), (5, 2, 3), (6, 3, 3)])
    func matchesEveryTreeEnumerated(seed: Int, depth: Int, leaves: Int) {
        let (data, classes) = Self.smallData(seed: UInt64(seed), rows: 90)
        let truth = Self.bruteForce(data, classes, rows: Array(0..<data.rows), depth: depth, leaves: leaves,
                                    splits: Self.splits(data))
        let tree = OptimalTreeSearch(maxLeaves: leaves, maxDepth: depth)
            .fit(data, classes: classes, classCount: 3, outputs: ["p", "q", "r"])
        #expect(Self.errors(tree, data, classes) == truth[leaves - 1], "seed \(seed)")
        #expect(tree.depth <= depth && tree.leafCount <= leaves)
        // Every node's counts are its rows' classes.
        #expect(tree.nodes[0].samples == data.rows)
    }

    @Test func neverWorseThanGreedyCARTOfTheSameSizeAndSometimesBetter() {
        var better = 0
        for seed in 10..<14 {
            let (data, classes) = Self.smallData(seed: UInt64(seed), rows: 200)
            let cart = TreeBuilder(settings: TreeSettings(maxDepth: 3, maxLeaves: 8))
                .fit(data, target: .classes(classes, classCount: 3), outputs: ["p", "q", "r"])
            let optimal = OptimalTreeSearch(maxLeaves: 8, maxDepth: 3)
                .fit(data, classes: classes, classCount: 3, outputs: ["p", "q", "r"])
            #expect(Self.errors(optimal, data, classes) <= Self.errors(cart, data, classes), "seed \(seed)")
            if Self.errors(optimal, data, classes) < Self.errors(cart, data, classes) { better += 1 }
        }
        // The XOR in the data is what a greedy first split misses.
        #expect(better > 0)
    }

    @Test func resultIsTheSameOnOneThreadAndOnSeveral() {
        let (data, classes) = Self.smallData(seed: 21, rows: 300)
        let search = OptimalTreeSearch(maxLeaves: 7, maxDepth: 3)
        let one = Parallelism.withThreads(1) { search.fit(data, classes: classes, classCount: 3, outputs: ["p", "q", "r"]) }
        let several = Parallelism.withThreads(3) { search.fit(data, classes: classes, classCount: 3, outputs: ["p", "q", "r"]) }
        #expect(one == several)
    }
}
