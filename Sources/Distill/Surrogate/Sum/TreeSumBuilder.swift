/// Grows a `TreeSum` greedily, as FIGS does: at each step, every leaf of every tree and the root of a new
/// tree is offered its best split on the residuals of its own tree (the targets minus what the other trees
/// and the base add), and the one split that lowers the summed squared error most is made; the leaf
/// values are then refitted in one backfitting sweep (each leaf takes its rows' mean residual). It stops at
/// `maxLeaves` leaves over all the trees (a new tree's first split adds two), or when no split helps.
/// Ten more sweeps settle the values at the end. With `maxTerms`, each step also offers the next term of
/// a linear start (`LinearStartFit`), taken when it lowers the error more than the best split (its first
/// term costs a leaf, later ones none: when the leaves are spent, a term that lowers the error by 0.1% of
/// the total is still added); the sweeps then refit the start first, and at the end its coefficients are
/// rounded and the trees settle to them.
///
/// Splits are searched on histograms of the features' bins (`FeatureBins`): a continuous feature splits
/// at its bins' edges, a categorical one into the best two sets of categories.
struct TreeSumBuilder {
    /// Most leaves over all the trees (at least 2).
    var maxLeaves: Int
    /// Fewest fitting points a leaf may hold.
    var minSamplesLeaf = 1
    /// Features the splits may read (nil: all).
    var allowedFeatures: Set<Int>?
    /// Bins per continuous feature.
    var maxBins = 256
    /// Most terms of a linear start (0: the scores start from constants). A start's first term is offered
    /// at each step beside the splits and costs one leaf; its later terms cost none.
    var maxTerms = 0

    /// A tree being grown: a leaf holds its rows.
    private struct Node {
        var split: TreeNode.Split?
        var left = -1, right = -1
        var value: [Double]
        var rows: [Int32]
        /// The rows per bin of every searched feature (`HistogramSearch.counts`); empty once split.
        var counts: [Int32]
        var depth: Int
        var samples: Int
    }

    /// A split offered: where (tree; `leaf` in it, or a new tree when `tree` is the tree count), and how.
    private struct Offer {
        var tree: Int
        var leaf: Int
        var split: TreeNode.Split
        /// Last bin that goes left (continuous and binary features), else -1.
        var bin: Int
        var gain: Double
    }

    /// The sum fitted to `targets` (`scoreCount` per point, row-major) of the points of `data`; nil when a
    /// categorical feature has more than 256 categories.
    func fit(_ data: Dataset, targets: [Double], scoreCount width: Int, task: PredictionTask, outputs: [String]) -> TreeSum? {
        let rows = data.rows
        guard rows > 0, width > 0, let binned = FeatureBins(data: data, maxBins: maxBins) else { return nil }
        var base = [Double](repeating: 0, count: width)
        for row in 0..<rows { for k in 0..<width { base[k] += targets[row * width + k] } }
        base = base.map { $0 / Double(rows) }
        var prediction = [Double](repeating: 0, count: rows * width)
        for row in 0..<rows { for k in 0..<width { prediction[row * width + k] = base[k] } }
        var trees: [[Node]] = []
        var leaves = 0
        let search = HistogramSearch(binned: binned, schema: data.schema, width: width, minLeaf: max(minSamplesLeaf, 1),
                                     features: (0..<data.schema.count).filter { allowedFeatures?.contains($0) ?? true })
        var residual = [Double](repeating: 0, count: rows * width)
        let allRows = (0..<rows).map { Int32($0) }
        let allCounts = search.counts(rows: allRows)
        // Each score's squared deviation from its mean: the error the splits lower, and its spread.
        var squares = [Double](repeating: 0, count: width)
        for row in 0..<rows { for k in 0..<width { let delta = targets[row * width + k] - base[k]; squares[k] += delta * delta } }
        let totalSquares = squares.reduce(0, +)
        var start = LinearStartFit(data: data, allowedFeatures: allowedFeatures, maxTerms: maxTerms, width: width)
        // Adds the start's term `candidate` (its terms refitted to `cross`), then one backfitting sweep.
        func addTerm(_ candidate: Int, cross: [Double]) {
            start!.add(candidate, cross: cross, data: data, prediction: &prediction)
            Self.backfit(&trees, start: &start, data: data, targets: targets, prediction: &prediction, width: width)
        }

        while leaves < maxLeaves {
            var best: Offer?
            func consider(_ offer: Offer?) {
                guard let offer, offer.gain > (best?.gain ?? 1e-12 * totalSquares) * (1 + 1e-12) else { return }
                best = offer
            }
            // A split of an existing tree's leaf adds one leaf; a new tree adds two.
            for tree in trees.indices {
                Self.residuals(of: trees[tree], targets: targets, prediction: prediction, width: width, into: &residual)
                for leaf in trees[tree].indices where trees[tree][leaf].split == nil {
                    let node = trees[tree][leaf]
                    consider(search.best(rows: node.rows, counts: node.counts, residual: residual, current: node.value)
                        .map { Offer(tree: tree, leaf: leaf, split: $0.split, bin: $0.bin, gain: $0.gain) })
                }
            }
            if leaves + 2 <= maxLeaves {
                for index in 0..<(rows * width) { residual[index] = targets[index] - prediction[index] }
                consider(search.best(rows: allRows, counts: allCounts, residual: residual, current: [Double](repeating: 0, count: width))
                    .map { Offer(tree: trees.count, leaf: 0, split: $0.split, bin: $0.bin, gain: $0.gain) })
            }
            if let fit = start, fit.canGrow {
                let cross = fit.crossProducts(data: data, targets: targets, prediction: prediction)
                if let addition = fit.bestAddition(cross: cross), addition.gain > (best?.gain ?? 1e-12 * totalSquares) * (1 + 1e-12) {
                    if fit.chosen.isEmpty { leaves += 1 }
                    addTerm(addition.candidate, cross: cross)
                    continue
                }
            }
            guard let offer = best else { break }
            if offer.tree == trees.count {
                trees.append([Node(value: [Double](repeating: 0, count: width), rows: allRows, counts: allCounts, depth: 0, samples: rows)])
                leaves += 1
            }
            Self.residuals(of: trees[offer.tree], targets: targets, prediction: prediction, width: width, into: &residual)
            Self.apply(offer, to: &trees[offer.tree], search: search, data: data, residual: residual, width: width,
                       prediction: &prediction)
            leaves += 1
            Self.backfit(&trees, start: &start, data: data, targets: targets, prediction: &prediction, width: width)
        }
        // The start's later terms cost no leaf: once the leaves are spent, those that still lower the error by
        // 0.1% of the total are added.
        while let fit = start, !fit.chosen.isEmpty, fit.canGrow {
            let cross = fit.crossProducts(data: data, targets: targets, prediction: prediction)
            guard let addition = fit.bestAddition(cross: cross), addition.gain > 1e-3 * totalSquares else { break }
            addTerm(addition.candidate, cross: cross)
        }
        for _ in 0..<10 { Self.backfit(&trees, start: &start, data: data, targets: targets, prediction: &prediction, width: width) }
        var terms: [[LinearTerm]] = []
        if var linear = start, !linear.chosen.isEmpty {
            // The rounded terms are what the listing shows; the trees' leaves settle to them.
            linear.round(spreads: squares.map { ($0 / Double(rows)).squareRoot() }, data: data, prediction: &prediction)
            var frozen: LinearStartFit? = nil
            for _ in 0..<3 { Self.backfit(&trees, start: &frozen, data: data, targets: targets, prediction: &prediction, width: width) }
            (base, terms) = linear.start(base: base)
        }
        let fitted = trees.map { nodes in
            DecisionTree(task: .regression, schema: data.schema, outputs: TreeSum.scoreNames(task: task, outputs: outputs),
                         nodes: nodes.map { node in
                             TreeNode(split: node.split, left: node.left, right: node.right, samples: node.samples,
                                      value: node.value, spread: [], depth: node.depth)
                         })
        }
        return TreeSum(task: task, schema: data.schema, outputs: outputs, base: base, terms: terms, trees: fitted)
    }

    /// The targets minus every tree's addition but `tree`'s, into `residual`.
    private static func residuals(of tree: [Node], targets: [Double], prediction: [Double], width: Int, into residual: inout [Double]) {
        for node in tree where node.split == nil {
            for row in node.rows {
                let start = Int(row) * width
                for k in 0..<width { residual[start + k] = targets[start + k] - prediction[start + k] + node.value[k] }
            }
        }
    }

    /// Splits the offer's leaf; each child takes its rows' mean residual, and the prediction follows.
    private static func apply(_ offer: Offer, to tree: inout [Node], search: HistogramSearch, data: Dataset, residual: [Double],
                              width: Int, prediction: inout [Double]) {
        let leaf = tree[offer.leaf], binned = search.binned
        let feature = offer.split.feature
        var left: [Int32] = [], right: [Int32] = []
        for row in leaf.rows {
            let bin = Int(binned.bins[feature * binned.rows + Int(row)])
            let goesLeft: Bool
            if offer.bin >= 0 {
                goesLeft = bin <= offer.bin
            } else if case let .categories(mask) = offer.split.test {
                goesLeft = bin < mask.count && mask[bin]
            } else {
                goesLeft = offer.split.test.goesLeft(data[Int(row), feature])
            }
            if goesLeft { left.append(row) } else { right.append(row) }
        }
        func mean(_ rows: [Int32]) -> [Double] {
            var sums = [Double](repeating: 0, count: width)
            for row in rows { for k in 0..<width { sums[k] += residual[Int(row) * width + k] } }
            return sums.map { $0 / Double(max(rows.count, 1)) }
        }
        for (rows, value) in [(left, mean(left)), (right, mean(right))] {
            for row in rows { for k in 0..<width { prediction[Int(row) * width + k] += value[k] - leaf.value[k] } }
            tree.append(Node(value: value, rows: rows, counts: search.counts(rows: rows), depth: leaf.depth + 1, samples: rows.count))
        }
        tree[offer.leaf].split = offer.split
        tree[offer.leaf].left = tree.count - 2
        tree[offer.leaf].right = tree.count - 1
        tree[offer.leaf].rows = []
        tree[offer.leaf].counts = []
    }

    /// One backfitting sweep: the linear start's terms refitted to what the rest leaves, then tree by
    /// tree, each leaf takes its rows' mean residual.
    private static func backfit(_ trees: inout [[Node]], start: inout LinearStartFit?, data: Dataset, targets: [Double],
                                prediction: inout [Double], width: Int) {
        if var fit = start, !fit.chosen.isEmpty {
            fit.refit(cross: fit.crossProducts(data: data, targets: targets, prediction: prediction, chosenOnly: true), data: data,
                      prediction: &prediction)
            start = fit
        }
        for tree in trees.indices {
            for leaf in trees[tree].indices where trees[tree][leaf].split == nil {
                let node = trees[tree][leaf]
                guard !node.rows.isEmpty else { continue }
                var shift = [Double](repeating: 0, count: width)
                for row in node.rows {
                    let start = Int(row) * width
                    for k in 0..<width { shift[k] += targets[start + k] - prediction[start + k] }
                }
                shift = shift.map { $0 / Double(node.rows.count) }
                for row in node.rows { for k in 0..<width { prediction[Int(row) * width + k] += shift[k] } }
                for k in 0..<width { trees[tree][leaf].value[k] += shift[k] }
            }
        }
    }
}
