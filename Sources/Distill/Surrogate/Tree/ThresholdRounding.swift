import Foundation

/// Replaces every threshold by a short decimal that routes every given row exactly as before, so that
/// the printed rules, the in-process tree and generated code agree on all of them.
///
/// For a node, the rows reaching it leave a gap (lo, hi) around the threshold: lo is the largest value at
/// or below it, hi the smallest above. The new threshold is the number with the fewest decimals inside the
/// middle half of that gap (the one nearest the original, the lower on ties), so it stays away from the
/// data on both sides.
public enum ThresholdRounding {
    /// Rounds the thresholds of `tree` against the rows of `datasets` (typically fitting and held-out rows).
    public static func apply(to tree: DecisionTree, keeping datasets: [Dataset]) -> DecisionTree {
        apply(to: tree, keeping: datasets, gaps: nil)
    }

    /// `apply`, keeping each threshold also inside `gaps(feature, threshold)`: the values nearest it of
    /// rows not at hand (a streamed file's).
    static func apply(to tree: DecisionTree, keeping datasets: [Dataset],
                      gaps: ((_ feature: Int, _ threshold: Double) -> (low: Double, high: Double))?) -> DecisionTree {
        let count = tree.nodes.count
        var below = [Double](repeating: -.infinity, count: count)
        var above = [Double](repeating: .infinity, count: count)
        if let gaps {
            for (index, node) in tree.nodes.enumerated() {
                guard let split = node.split, case let .threshold(threshold) = split.test else { continue }
                (below[index], above[index]) = gaps(split.feature, threshold)
            }
        }
        for data in datasets {
            let width = data.schema.count
            data.values.withUnsafeBufferPointer { values in
                for row in 0..<data.rows {
                    var index = 0
                    while let split = tree.nodes[index].split {
                        let value = values[row * width + split.feature]
                        let left = split.test.goesLeft(value)
                        if case .threshold = split.test {
                            if left { below[index] = max(below[index], value) } else { above[index] = min(above[index], value) }
                        }
                        index = left ? tree.nodes[index].left : tree.nodes[index].right
                    }
                }
            }
        }
        // Thresholds of every node's descendants: a rounded threshold must not cross one on its feature,
        // or the descendant's side would become empty (drawn points can leave wide gaps between rows).
        var inside = [[(feature: Int, threshold: Double)]](repeating: [], count: count)
        for index in stride(from: count - 1, through: 0, by: -1) where !tree.nodes[index].isLeaf {
            for child in [tree.nodes[index].left, tree.nodes[index].right] {
                inside[index] += inside[child]
                if let split = tree.nodes[child].split, case let .threshold(threshold) = split.test {
                    inside[index].append((split.feature, threshold))
                }
            }
        }
        // Parents come before their children, so each node's bounds (lower, upper] per feature are those
        // its rounded ancestors leave; a rounded threshold stays strictly inside them.
        var bounds = [[(lower: Double, upper: Double)]](repeating: [], count: count)
        bounds[0] = Array(repeating: (-.infinity, .infinity), count: tree.schema.count)
        var result = tree
        for index in 0..<count {
            guard let split = tree.nodes[index].split else { continue }
            var left = bounds[index], right = bounds[index]
            if case let .threshold(threshold) = split.test {
                var kept = threshold
                if !tree.schema.features[split.feature].isBinary {
                    let (lower, upper) = bounds[index][split.feature]
                    // Where nothing bounds the feature from below, the gap stays open below (shortDecimal
                    // then searches the whole side), rather than starting at the lowest finite double.
                    var low = lower == -.infinity ? below[index] : max(below[index], lower.nextUp)
                    var high = min(above[index], upper)
                    for (feature, other) in inside[index] where feature == split.feature {
                        if other <= threshold { low = max(low, other) } else { high = min(high, other) }
                    }
                    let rounded = shortest(threshold, low: low, high: high)
                    kept = rounded > lower && rounded < upper ? rounded : threshold
                }
                result.nodes[index].split = TreeNode.Split(feature: split.feature, test: .threshold(kept))
                left[split.feature].upper = min(left[split.feature].upper, kept)
                right[split.feature].lower = max(right[split.feature].lower, kept)
            }
            bounds[tree.nodes[index].left] = left
            bounds[tree.nodes[index].right] = right
        }
        return result
    }

    /// `shortDecimal`, or `threshold` itself when that prints no longer (it routes every row as it should
    /// too, and sits in the middle of the fitting gap).
    static func shortest(_ threshold: Double, low: Double, high: Double) -> Double {
        let rounded = shortDecimal(near: threshold, low: low, high: high)
        return NumberText.shortest(threshold).count <= NumberText.shortest(rounded).count ? threshold : rounded
    }

    /// Rounds the thresholds of a rule list's tests so that no test changes its answer on any row of
    /// `datasets`.
    public static func apply(to list: RuleList, keeping datasets: [Dataset]) -> RuleList {
        var result = list
        for (ruleIndex, rule) in list.rules.enumerated() {
            for (testIndex, test) in rule.tests.enumerated() {
                let feature = test.feature, threshold: Double
                switch test {
                case let .atMost(_, value), let .above(_, value): threshold = value
                case .inCategories: continue
                }
                guard !list.schema.features[feature].isBinary else { continue }
                var low = -Double.infinity, high = Double.infinity
                for data in datasets {
                    for row in 0..<data.rows {
                        let value = data[row, feature]
                        if value <= threshold { low = max(low, value) } else if value > threshold { high = min(high, value) }
                    }
                }
                let rounded = shortest(threshold, low: low, high: high)
                result.rules[ruleIndex].tests[testIndex] = {
                    if case .atMost = test { return .atMost(feature: feature, threshold: rounded) }
                    return .above(feature: feature, threshold: rounded)
                }()
            }
        }
        return result
    }

    /// The value with the fewest decimals in the middle half of [low, high) (the whole of it when one side
    /// is unbounded), nearest `threshold`; `threshold` itself if none is found.
    static func shortDecimal(near threshold: Double, low: Double, high: Double) -> Double {
        guard low <= threshold, threshold < high else { return threshold }
        var lower = low, upper = high
        if low.isFinite && high.isFinite {
            let quarter = (high - low) / 4
            lower = low + quarter
            upper = high - quarter
        } else if low.isFinite {
            lower = low
            upper = threshold + (threshold - low)
        } else if high.isFinite {
            upper = high
            lower = threshold - (high - threshold)
        } else {
            return threshold
        }
        for decimals in -6...17 {
            let step = pow(10, Double(-decimals))
            // The multiples of `step` inside [lower, upper], and among them the ones nearest the threshold.
            let first = (lower / step).rounded(.up), last = (upper / step).rounded(.down)
            guard first <= last else { continue }
            let nearest = [(threshold / step).rounded(.down), (threshold / step).rounded(.up)].map { min(max($0, first), last) }
            var best: Double?
            for multiple in nearest {
                let value = parse(multiple * step, decimals: decimals)
                guard value >= lower, value <= upper, value >= low, value < high else { continue }
                if best == nil || abs(value - threshold) < abs(best! - threshold) { best = value }
            }
            if let best { return best }
        }
        return threshold
    }

    /// `value` written with `decimals` decimals and read back, so the result is the Double of that text.
    private static func parse(_ value: Double, decimals: Int) -> Double {
        let text = String(format: "%.\(max(decimals, 0))f", value)
        return Double(text) ?? value
    }
}

extension Feature {
    /// Whether this feature is binary (0/1).
    public var isBinary: Bool { kind == .binary }
}
