/// What the fitter shares between its learners (RIPPER's lists, the optimal tree's splits), and how many of
/// its points each learner fits on.
extension SurrogateFitter {
    /// The points a surrogate of `kind` (with `leaves`) was fitted on, and how many of them are data
    /// rows: all of a streamed file's fitting rows for a tree with constant leaves; the rule-fitting
    /// points for rule lists; the oracle tree's rows (its own draws not counted); a tree sum's evenly
    /// spaced points; an optimal tree's searched points (up to 8 leaves); else `fitting`'s.
    func fittingSample(_ kind: SurrogateKind, leaves: LeafKind) -> (points: Int, rows: Int) {
        let rows = data.train.rows, added = addedRange.count
        switch kind {
        case .oracleTree:
            return (oracleRows.rows, oracleRows.rows - added)
        case .ripper, .rules, .ruleSearch:
            return (ruleFitting.points.rows, options.rulePoints > 0 ? min(rows, options.rulePoints) : rows)
        case .treeSum:
            let leaves = options.kind == .best ? max(2, contestSize) : Self.treeSumLeaves(options.tree)
            let chosen = OracleSample.evenlySpacedIndices(treeSumPoints(leaves: leaves), of: fitting.points.rows, keeping: addedRange)
            return (chosen.count, chosen.filter { $0 < rows }.count)
        case .optimalTree where (options.kind == .best ? contestSize : Self.optimalTreeLeaves(options.tree)) <= 8:
            // Up to 8 leaves the tree's counts come from the points it was searched on.
            guard options.oraclePoints > 0 else { return (fitting.points.rows, rows) }
            let chosen = OracleSample.evenlySpacedIndices(options.oraclePoints, of: fitting.points.rows, keeping: addedRange)
            return (chosen.count, chosen.filter { $0 < rows }.count)
        case .tree where data.streamed != nil && leaves == .constant && added == 0:
            return (data.fittingRows, data.fittingRows)
        default:
            return (fitting.points.rows, rows)
        }
    }
}

/// What decides a surrogate fitted on a fitter's shared points: per kind, the settings it reads.
enum FitKey: Hashable {
    case tree(TreeSettings, leaves: LeafKind, merge: Bool)
    case rules(TreeSettings, RuleListSettings, merge: Bool)
    case ripper(RuleListSettings, allowedFeatures: Set<Int>?)
    case ruleSearch(size: Int, maxConditions: Int?, allowedFeatures: Set<Int>?)
    case oracleTree(TreeSettings, minOracleSamples: Int, lookahead: Bool, merge: Bool)
    case optimalTree(TreeSettings, merge: Bool)
    case treeSum(TreeSettings, leaves: LeafKind)
}

/// A surrogate kept by `SurrogateFitter.fits`, and the tree it is (or its rules came from).
struct FittedSurrogate {
    var surrogate: Surrogate
    var tree: DecisionTree?
}

/// What decides a RIPPER list on the fitter's rule-fitting points.
struct RipperKey: Hashable {
    var rules: RuleListSettings
    var allowedFeatures: Set<Int>?
}

/// What decides an optimal tree's splits: the search's settings and the points it reads (compared by
/// value: two samples that begin with the same points share the search).
struct OptimalPlanKey: Hashable {
    let maxLeaves: Int
    let maxDepth: Int
    let allowedFeatures: Set<Int>?
    let values: ArraySlice<Double>
    let classes: ArraySlice<Int>
    /// The points' hash, computed once (a cache looks a key up several times).
    private let pointsHash: Int

    init(maxLeaves: Int, maxDepth: Int, allowedFeatures: Set<Int>?, values: ArraySlice<Double>, classes: ArraySlice<Int>) {
        self.maxLeaves = maxLeaves
        self.maxDepth = maxDepth
        self.allowedFeatures = allowedFeatures
        self.values = values
        self.classes = classes
        var hasher = Hasher()
        hasher.combine(values)
        hasher.combine(classes)
        pointsHash = hasher.finalize()
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(maxLeaves)
        hasher.combine(maxDepth)
        hasher.combine(allowedFeatures)
        hasher.combine(pointsHash)
    }
}
