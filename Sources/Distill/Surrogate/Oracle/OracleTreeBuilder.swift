/// Settings of the oracle-guided tree.
public struct OracleTreeSettings: Equatable, Sendable {
    /// Most leaves (the tree grows best-first until it has this many, or no region holding data has a
    /// split left).
    public var maxLeaves: Int
    /// Deepest level, nil for no limit.
    public var maxDepth: Int?
    /// Fewest points (fitting rows and oracle points) in a leaf.
    public var minSamplesLeaf: Int
    /// Every node is topped up with oracle points to at least this many points.
    public var minOracleSamples: Int
    /// Look two levels ahead where no single split adds fidelity (XOR-like decisions).
    public var lookahead: Bool
    /// How oracle points are drawn: perturbed copies of the node's data rows (keeping the dependencies
    /// between features; independent marginals where a node has no rows), or independent marginals.
    public var sampler: OracleSampler
    /// Features splits may use (all when nil).
    public var allowedFeatures: Set<Int>?
    /// Work (points times features times candidate first splits) the lookahead may take in one tree; a node
    /// whose lookahead would pass it is split by its best single split. The default, about 2.5 s on one
    /// core, is far above what any sample's tree takes (at most 0.14e9: breast cancer at 64 leaves); with
    /// hundreds of inputs every candidate scans every feature, and a tree would take minutes (4.6e9 over
    /// 500 inputs at 64 leaves).
    public var lookaheadOperations: Double

    /// Creates settings; `maxLeaves` and `minSamplesLeaf` below 1 are raised to 1, a negative
    /// `minOracleSamples` to 0. By default 16 leaves, no depth limit, 1,000 points per node, lookahead on
    /// (up to 0.25e9 operations), the `rows` sampler, all features.
    public init(maxLeaves: Int = 16, maxDepth: Int? = nil, minSamplesLeaf: Int = 1, minOracleSamples: Int = 1000,
                lookahead: Bool = true, sampler: OracleSampler = .rows, allowedFeatures: Set<Int>? = nil,
                lookaheadOperations: Double = 0.25e9) {
        self.maxLeaves = max(1, maxLeaves)
        self.maxDepth = maxDepth
        self.minSamplesLeaf = max(1, minSamplesLeaf)
        self.minOracleSamples = max(0, minOracleSamples)
        self.lookahead = lookahead
        self.sampler = sampler
        self.allowedFeatures = allowedFeatures
        self.lookaheadOperations = lookaheadOperations
    }
}

/// Where oracle points come from.
public enum OracleSampler: String, CaseIterable, Sendable {
    /// Perturbed copies of the data rows inside the region (dependencies kept).
    case rows
    /// Independent per-feature marginals, truncated to the region.
    case marginals
}

/// A TREPAN-style tree that uses the network as an oracle: every node whose region holds fewer than
/// `minOracleSamples` points is topped up with points drawn inside the region from the input
/// distribution and labelled by the network; splits are chosen by Gini impurity on real plus drawn
/// points; the tree grows best-first by the fidelity a split adds times the probability mass of the
/// node's region; where no single split adds fidelity, candidate splits are scored by the best fidelity
/// reachable two levels down.
public struct OracleTreeBuilder: Sendable {
    /// The oracle that labels the drawn points.
    public let network: Network
    /// The input distribution points are drawn from.
    public let distribution: InputDistribution
    /// The tree's size and sampling settings.
    public let settings: OracleTreeSettings
    /// Seed of the drawn points.
    public let seed: UInt64

    /// Creates a builder; nothing is drawn until `fit(_:)`.
    public init(network: Network, distribution: InputDistribution, settings: OracleTreeSettings, seed: UInt64) {
        self.network = network
        self.distribution = distribution
        self.settings = settings
        self.seed = seed
    }

    /// One growing node: its region and its points (fitting rows first, then drawn points).
    struct GrowingNode {
        var index: Int
        var region: Region
        var realCount: Int
        var points: [Double]
        var labels: [Int]
        var depth: Int
        var mass: Double
        var split: (feature: Int, test: SplitTest)?
        /// Mass times the share of points the split adds to the majority (fidelity gained).
        var priority: Double
        /// Mass times the split's Gini decrease: orders splits that gain no fidelity yet.
        var impurityPriority: Double
    }

    /// A fitted tree and every point the oracle labelled for it.
    public struct Fit: Sendable {
        /// The fitted classification tree.
        public var tree: DecisionTree
        /// The drawn points the network labelled, in the order they were drawn (raw values, no labels).
        public var oraclePoints: Dataset
        /// The lookahead's work in the tree (at most `OracleTreeSettings.lookaheadOperations`).
        public var lookaheadWork: Double
    }

    /// Fits the tree on `train`; also returns every point the oracle labelled.
    public func fit(_ train: Dataset) -> Fit {
        var generator = SeededGenerator(seed: seed)
        let evaluator = NetworkEvaluator(network: network)
        let width = train.schema.count
        var drawn: [Double] = []
        var nodes: [TreeNode] = []
        // Points times features times candidates the lookahead has scanned (`settings.lookaheadOperations` at most).
        var lookaheadWork = 0.0

        func makeNode(region: Region, real: [Double], realLabels: [Int], depth: Int) -> GrowingNode {
            let realCount = real.count / max(width, 1)
            var points = real, labels = realLabels
            let missing = settings.minOracleSamples - realCount
            if missing > 0 {
                let extra = settings.sampler == .rows
                    ? distribution.samplePerturbed(missing, in: region, rows: real, generator: &generator)
                    : distribution.sample(missing, in: region, generator: &generator)
                points += extra
                labels += evaluator.predictedClasses(raw: extra, rows: missing)
                drawn += extra
            }
            var counts = [Double](repeating: 0, count: network.outputs.count)
            for label in labels { counts[label] += 1 }
            let index = nodes.count
            nodes.append(TreeNode(split: nil, left: -1, right: -1, samples: realCount, value: counts, spread: [], depth: depth))
            // The region's probability: its share of the data rows (under the row sampler), or its mass
            // under the marginal model.
            let mass = settings.sampler == .rows ? Double(realCount) / Double(max(train.rows, 1)) : distribution.mass(of: region)
            var node = GrowingNode(index: index, region: region, realCount: realCount, points: points, labels: labels,
                                   depth: depth, mass: mass, split: nil, priority: 0, impurityPriority: 0)
            if depth < (settings.maxDepth ?? Int.max), let choice = chooseSplit(node, lookaheadWork: &lookaheadWork) {
                node.split = choice.split
                node.priority = node.mass * choice.gain
                node.impurityPriority = node.mass * choice.impurityGain
            }
            return node
        }

        let realLabels = evaluator.predictedClasses(raw: train.values, rows: train.rows)
        var frontier = [makeNode(region: Region(schema: train.schema), real: train.values, realLabels: realLabels, depth: 0)]
        var leaves = 1
        let growth = Progress.stage("growing the oracle tree", total: settings.maxLeaves, unit: "leaves")
        defer { growth?.finish() }
        growth?.advance()
        while leaves < settings.maxLeaves {
            // Fidelity gained first; among splits that gain none yet, the largest impurity decrease.
            // Regions without data (mass 0) are not split: they add nothing the data can show.
            guard let chosen = frontier.indices.filter({ frontier[$0].split != nil
                && (frontier[$0].priority > 0 || frontier[$0].impurityPriority > 0) }).max(by: { a, b in
                let x = frontier[a], y = frontier[b]
                if x.priority != y.priority { return x.priority < y.priority }
                if x.impurityPriority != y.impurityPriority { return x.impurityPriority < y.impurityPriority }
                return x.index > y.index
            }) else { break }
            let node = frontier.remove(at: chosen)
            let split = node.split!
            let halves = node.region.split(feature: split.feature, test: split.test)
            let (leftRegion, rightRegion) = (halves.left, halves.right)
            var parts: [(real: [Double], labels: [Int])] = [([], []), ([], [])]
            // Only the node's fitting rows are carried down; drawn points are drawn anew inside each child.
            for row in 0..<node.realCount {
                let values = Array(node.points[(row * width)..<((row + 1) * width)])
                let side = split.test.goesLeft(values[split.feature]) ? 0 : 1
                parts[side].real += values
                parts[side].labels.append(node.labels[row])
            }
            nodes[node.index].split = TreeNode.Split(feature: split.feature, test: split.test)
            let left = makeNode(region: leftRegion, real: parts[0].real, realLabels: parts[0].labels, depth: node.depth + 1)
            nodes[node.index].left = left.index
            let right = makeNode(region: rightRegion, real: parts[1].real, realLabels: parts[1].labels, depth: node.depth + 1)
            nodes[node.index].right = right.index
            frontier += [left, right]
            leaves += 1
            growth?.advance()
        }
        let tree = DecisionTree(task: .classification, schema: train.schema, outputs: network.outputs, nodes: nodes)
        return Fit(tree: tree, oraclePoints: Dataset(schema: train.schema, rows: drawn.count / max(width, 1), values: drawn),
                   lookaheadWork: lookaheadWork)
    }

    /// The split for a node, the share of its points whose majority label it adds, and its Gini decrease
    /// per point; nil when no split decreases impurity or adds fidelity.
    func chooseSplit(_ node: GrowingNode, lookaheadWork: inout Double) -> (split: (feature: Int, test: SplitTest), gain: Double, impurityGain: Double)? {
        let rows = node.labels.count
        guard rows >= 2 * settings.minSamplesLeaf, Set(node.labels).count > 1 else { return nil }
        let data = Dataset(schema: distribution.schema, rows: rows, values: node.points)
        let before = majority(node.labels, in: 0..<rows)
        var best: (split: SplitCandidate, gain: Int)?
        if let single = bestSplit(data, labels: node.labels) {
            best = (single, fidelityGain(single, data: data, labels: node.labels) - before)
        }
        // Look ahead when the best single split adds (almost) nothing although over 10% of the points
        // disagree with the node's majority: an XOR-like node.
        if settings.lookahead, Double(best?.gain ?? 0) <= 0.005 * Double(rows), Double(rows - before) > 0.1 * Double(rows),
           let deeper = lookahead(data, labels: node.labels, work: &lookaheadWork), deeper.gain - before > (best?.gain ?? 0) {
            best = (deeper.split, deeper.gain - before)
        }
        guard let best else { return nil }
        let decrease = giniDecrease(best.split, data: data, labels: node.labels)
        guard best.gain > 0 || decrease > 1e-12 else { return nil }
        return ((best.split.feature, best.split.test), Double(best.gain) / Double(rows), decrease)
    }

    /// The best Gini split of `data` (as CART finds it).
    func bestSplit(_ data: Dataset, labels: [Int]) -> SplitCandidate? {
        TreeBuilder(settings: TreeSettings(minSamplesLeaf: settings.minSamplesLeaf, allowedFeatures: settings.allowedFeatures))
            .bestSplit(data, target: .classes(labels, classCount: network.outputs.count))
    }

    /// Gini impurity decrease per point of `split`: (its proxy - the node's) / points, by `SplitCriterion`.
    func giniDecrease(_ split: SplitCandidate, data: Dataset, labels: [Int]) -> Double {
        let classes = network.outputs.count
        var left = [Double](repeating: 0, count: classes), all = left
        var leftCount = 0
        for row in 0..<data.rows {
            all[labels[row]] += 1
            if split.test.goesLeft(data[row, split.feature]) {
                left[labels[row]] += 1
                leftCount += 1
            }
        }
        guard leftCount > 0, leftCount < data.rows else { return 0 }
        let criterion = SplitCriterion(.classes([], classCount: classes))
        let proxy = left.withUnsafeBufferPointer { l in
            all.withUnsafeBufferPointer { a in criterion.proxy(left: l.baseAddress!, leftCount: leftCount, total: a.baseAddress!, totalCount: data.rows) }
        }
        let parent = all.withUnsafeBufferPointer { SplitCriterion.squares($0.baseAddress!, width: classes) } / Double(data.rows)
        return (proxy - parent) / Double(data.rows)
    }

    /// Points whose label is the majority label of their side after `split`.
    func fidelityGain(_ split: SplitCandidate, data: Dataset, labels: [Int]) -> Int {
        let sides = sides(split.feature, split.test, data: data)
        return majority(labels, in: sides.left) + majority(labels, in: sides.right)
    }

    func sides(_ feature: Int, _ test: SplitTest, data: Dataset) -> (left: [Int], right: [Int]) {
        var left: [Int] = [], right: [Int] = []
        for row in 0..<data.rows {
            if test.goesLeft(data[row, feature]) { left.append(row) } else { right.append(row) }
        }
        return (left, right)
    }

    /// Count of the most frequent label among `rows`.
    func majority<S: Sequence>(_ labels: [Int], in rows: S) -> Int where S.Element == Int {
        var counts = [Int](repeating: 0, count: network.outputs.count)
        for row in rows { counts[labels[row]] += 1 }
        return counts.max() ?? 0
    }
}
