@testable import Distill
import Testing

/// The histogram split search against the exact one: the same trees wherever every feature has at most
/// as many distinct values as bins, thresholds placed as the exact search places them, and results that
/// do not depend on the thread count.
struct HistogramSplitTests {
    /// Rows of 5 continuous features with `levels` distinct values each, a binary one and a 4-category one;
    /// three classes from a rule with 10% label noise, and a real target.
    static func data(rows: Int, levels: Int?, seed: UInt64) -> (Dataset, [Int], [Double]) {
        var generator = SeededGenerator(seed: seed)
        var features = (0..<5).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) }
        features.append(Feature(name: "flag", kind: .binary))
        features.append(Feature(name: "kind", kind: .categorical(values: ["a", "b", "c", "d"])))
        let schema = FeatureSchema(features: features)
        var values: [Double] = [], labels: [Int] = [], targets: [Double] = []
        for _ in 0..<rows {
            let x = (0..<5).map { _ -> Double in
                guard let levels else { return generator.nextUnit() * 10 - 5 }
                return Double(generator.nextInt(below: levels)) * 0.37 - 3
            }
            let flag = Double(generator.nextInt(below: 2)), kind = generator.nextInt(below: 4)
            values += x + [flag, Double(kind)]
            var label = x[0] + 0.5 * x[1] > 0 ? (kind == 2 ? 2 : 1) : (flag == 1 && x[2] > 1 ? 2 : 0)
            if generator.nextUnit() < 0.1 { label = generator.nextInt(below: 3) }
            labels.append(label)
            targets.append(x[0] * x[1] + (kind == 1 ? 2 : 0) + flag * x[3] + generator.nextUnit())
        }
        return (Dataset(schema: schema, rows: rows, values: values), labels, targets)
    }

    static func fit(_ data: Dataset, _ target: TreeTarget, search: SplitSearch, depth: Int? = 6, leaves: Int? = nil,
                    minLeaf: Int = 1) -> DecisionTree {
        TreeBuilder(settings: TreeSettings(maxDepth: depth, maxLeaves: leaves, minSamplesLeaf: minLeaf, splitSearch: search))
            .fit(data, target: target, outputs: ["p", "q", "r"])
    }

    /// Depth-first, with a leaf minimum, best-first, and best-first past the frontier that keeps histograms
    /// (`TreeGrowth.cachedFrontier`: later nodes count both children from their rows).
    @Test(arguments: [(nil, 6, 1), (nil, 6, 20), (25, nil, 1), (700, nil, 1)] as [(Int?, Int?, Int)])
    func fewDistinctValuesGiveTheExactTree(leaves: Int?, depth: Int?, minLeaf: Int) {
        let (data, labels, targets) = Self.data(rows: 20_000, levels: 60, seed: 21)
        for target in [TreeTarget.classes(labels, classCount: 3), .values(targets, outputs: 1)] {
            let exact = Self.fit(data, target, search: .exact, depth: depth, leaves: leaves, minLeaf: minLeaf)
            let histogram = Self.fit(data, target, search: .histogram, depth: depth, leaves: leaves, minLeaf: minLeaf)
            #expect(exact.leafCount >= min(leaves ?? 11, 300), "grown as far as asked")
            #expect(histogram.nodes == exact.nodes, "\(target.rows) rows, leaves \(leaves ?? 0), depth \(depth ?? 0)")
        }
    }

    /// Continuous features with 25,000 distinct values (more than bins): each threshold is the midpoint
    /// between the node's largest value going left and its smallest going right, and the tree agrees with
    /// the exact one's training accuracy within half a point.
    @Test func thresholdsSitBetweenTheNodesValues() {
        let (data, labels, _) = Self.data(rows: 25_000, levels: nil, seed: 5)
        let target = TreeTarget.classes(labels, classCount: 3)
        let histogram = Self.fit(data, target, search: .histogram)
        let exact = Self.fit(data, target, search: .exact)
        var reached = [[Int]](repeating: [], count: histogram.nodes.count)
        reached[0] = Array(0..<data.rows)
        for (index, node) in histogram.nodes.enumerated() {
            guard let split = node.split else { continue }
            let (feature, test) = (split.feature, split.test)
            let rows = reached[index]
            reached[node.left] = rows.filter { test.goesLeft(data[$0, feature]) }
            reached[node.right] = rows.filter { !test.goesLeft(data[$0, feature]) }
            #expect(histogram.nodes[node.left].samples == reached[node.left].count, "node \(index): children as counted")
            guard case let .threshold(threshold) = test else { continue }
            let left = reached[node.left].map { data[$0, feature] }.max()!
            let right = reached[node.right].map { data[$0, feature] }.min()!
            #expect(threshold == SplitTest.midpoint(left, right), "node \(index)")
        }
        let accuracy = { (tree: DecisionTree) in Agreement.share(tree.predictClasses(raw: data.values, rows: data.rows), labels) }
        #expect(abs(accuracy(histogram) - accuracy(exact)) < 0.005, "histogram \(accuracy(histogram)) vs exact \(accuracy(exact))")
    }

    /// 30,000 rows x 7 features: the exact search's nodes above 200,000 cells search features in parallel.
    @Test func theThreadCountDoesNotChangeTheTree() {
        let (data, labels, targets) = Self.data(rows: 30_000, levels: nil, seed: 8)
        for search in [SplitSearch.exact, .histogram] {
            for target in [TreeTarget.classes(labels, classCount: 3), .values(targets, outputs: 1)] {
                let one = Parallelism.withThreads(1) { Self.fit(data, target, search: search, depth: 7) }
                let two = Parallelism.withThreads(2) { Self.fit(data, target, search: search, depth: 7) }
                let five = Parallelism.withThreads(5) { Self.fit(data, target, search: search, depth: 7) }
                #expect(one.nodes == two.nodes && one.nodes == five.nodes, "\(search)")
            }
        }
    }

    /// Trees of two sizes on the same rows share one binning (the rule search's trees): each equals the tree
    /// that bins the rows itself; below the crossover the bins are not read.
    @Test func binsMadeOnceGiveTheSameTrees() throws {
        let (data, labels, _) = Self.data(rows: 3000, levels: nil, seed: 5)
        let target = TreeTarget.classes(labels, classCount: 3)
        let bins = try #require(FeatureBins(data: data, maxBins: 256))
        for leaves in [8, 32] {
            let builder = TreeBuilder(settings: TreeSettings(maxLeaves: leaves, splitSearch: .histogram))
            let own = builder.fit(data, target: target, outputs: ["p", "q", "r"])
            #expect(builder.fit(data, bins: bins, target: target, outputs: ["p", "q", "r"]) == own)
            let exact = TreeBuilder(settings: TreeSettings(maxLeaves: leaves))
            #expect(exact.fit(data, bins: bins, target: target, outputs: ["p", "q", "r"]) == exact.fit(data, target: target, outputs: ["p", "q", "r"]))
            #expect(own != exact.fit(data, target: target, outputs: ["p", "q", "r"]))
        }
    }

    /// Bins of some features only (a search confined to them): those features' edges and bins are the
    /// full binning's, every other feature is one bin of zeros; a confined tree is the same either way.
    @Test func binsOfSomeFeaturesMatchTheFullBinning() throws {
        let (data, labels, _) = Self.data(rows: 3000, levels: nil, seed: 6)
        let full = try #require(FeatureBins(data: data, maxBins: 64))
        let only: Set<Int> = [1, 3, 6]
        let some = try #require(FeatureBins(data: data, maxBins: 64, only: only))
        for feature in 0..<data.schema.count {
            let column = (feature * data.rows)..<((feature + 1) * data.rows)
            if only.contains(feature) {
                #expect(some.edges[feature] == full.edges[feature] && some.binCount[feature] == full.binCount[feature])
                #expect(some.bins[column] == full.bins[column])
            } else {
                #expect(some.edges[feature].isEmpty && some.binCount[feature] == 1)
                #expect(some.bins[column].allSatisfy { $0 == 0 })
            }
        }
        #expect(full.binCount[6] == 4 && full.edges[1].count == 63)
        let target = TreeTarget.classes(labels, classCount: 3)
        let builder = TreeBuilder(settings: TreeSettings(maxLeaves: 12, allowedFeatures: only, splitSearch: .histogram, maxBins: 64))
        let confined = builder.fit(data, bins: full, target: target, outputs: ["p", "q", "r"])
        #expect(builder.fit(data, bins: some, target: target, outputs: ["p", "q", "r"]) == confined)
        #expect(confined.nodes.compactMap(\.split?.feature).allSatisfy(only.contains))
        // More binned features than one group of 64, and a categorical feature left out.
        var generator = SeededGenerator(seed: 7)
        var features = (0..<70).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) }
        features.append(Feature(name: "kind", kind: .categorical(values: ["a", "b", "c"])))
        let rows = 500
        let values = (0..<rows).flatMap { _ in (0..<70).map { _ in generator.nextUnit() } + [Double(generator.nextInt(below: 3))] }
        let wide = Dataset(schema: FeatureSchema(features: features), rows: rows, values: values)
        let wideOnly = Set(0..<66).union([69])
        let wideFull = try #require(FeatureBins(data: wide, maxBins: 32))
        let wideSome = try #require(FeatureBins(data: wide, maxBins: 32, only: wideOnly))
        #expect(wideSome.binnedFeatures == wideOnly && wideFull.binnedFeatures == nil)
        for feature in 0..<71 {
            let column = (feature * rows)..<((feature + 1) * rows)
            if wideOnly.contains(feature) {
                #expect(wideSome.edges[feature] == wideFull.edges[feature] && wideSome.bins[column] == wideFull.bins[column])
            } else {
                #expect(wideSome.binCount[feature] == 1 && wideSome.bins[column].allSatisfy { $0 == 0 })
            }
        }
        #expect(wideFull.binCount[70] == 3 && wideFull.edges[65].count == 31)
    }

    @Test func automaticSearchFollowsTheCrossover() {
        let settings = TreeSettings()
        #expect(!settings.usesHistograms(rows: TreeSettings.histogramCrossoverRows - 1, features: 3))
        #expect(settings.usesHistograms(rows: TreeSettings.histogramCrossoverRows, features: 3))
        #expect(!TreeSettings(splitSearch: .exact).usesHistograms(rows: 10_000_000, features: 3))
        #expect(TreeSettings(splitSearch: .histogram).usesHistograms(rows: 10, features: 3))
    }

    /// Greedy quantile edges: equal bins on evenly spread values; a heavy value gets a bin of its own and
    /// the other bins share the rest evenly; every edge lies halfway between two values.
    @Test func binEdgesFollowTheQuantiles() {
        let even = FeatureBins.edges(sorted: (0..<1600).map(Double.init), maxBins: 16)
        #expect(even == (1..<16).map { Double($0 * 100) - 0.5 })
        let values = ((0..<1000).map { Double($0) } + [Double](repeating: 500.5, count: 3000)).sorted()
        let edges = FeatureBins.edges(sorted: values, maxBins: 16)
        #expect(edges.count == 15)
        #expect(edges.contains(500.25) && edges.contains(500.75), "\(edges)")
        #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
        #expect(edges.allSatisfy { $0.rounded(.down) + 0.5 == $0 || $0 == 500.25 || $0 == 500.75 })
        #expect(FeatureBins.edges(sorted: [1, 1, 2, 3, 3, 3], maxBins: 16) == [1.5, 2.5])
    }
}
