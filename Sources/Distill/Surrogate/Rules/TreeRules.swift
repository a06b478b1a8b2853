/// Reads a decision tree as rules: one rule per leaf, the tests along its path merged per feature into a
/// single condition, conditions in the order their feature is first tested, rules by decreasing coverage
/// (ties: left-to-right leaf order).
public enum TreeRules {
    /// The rules of `tree`, one per leaf.
    /// - Parameter tree: A classification or regression tree.
    /// - Returns: The rules by decreasing fitting rows; a classification rule carries its class and confidence,
    ///   a regression rule its leaf's means and deviations.
    public static func rules(of tree: DecisionTree) -> [Rule] {
        let total = Double(tree.nodes.first?.samples ?? 0)
        var rules: [Rule] = []
        for path in tree.paths() {
            let (leaf, steps) = (path.leaf, path.steps)
            let node = tree.nodes[leaf]
            var rule = Rule(conditions: conditions(steps, in: tree), leaf: leaf, samples: node.samples,
                            coverage: total > 0 ? Double(node.samples) / total : 0,
                            predictedClass: nil, confidence: nil, means: [], deviations: [])
            if tree.task == .classification {
                let predicted = tree.predictedClass(leaf: leaf)
                rule.predictedClass = predicted
                rule.confidence = tree.probabilities(leaf: leaf)[predicted]
            } else {
                rule.means = node.value
                rule.deviations = node.spread
            }
            rules.append(rule)
        }
        return rules.enumerated().sorted { a, b in
            a.element.samples > b.element.samples || (a.element.samples == b.element.samples && a.offset < b.offset)
        }.map(\.element)
    }

    private static func conditions(_ steps: [DecisionTree.Step], in tree: DecisionTree) -> [Condition] {
        var order: [Int] = []
        var lower: [Int: Double] = [:], upper: [Int: Double] = [:]
        var allowed: [Int: Set<Int>] = [:]
        for step in steps {
            let (node, left) = (step.node, step.left)
            guard let split = tree.nodes[node].split else { continue }
            let feature = split.feature
            if !order.contains(feature) { order.append(feature) }
            switch split.test {
            case let .threshold(threshold):
                if left { upper[feature] = min(upper[feature] ?? .infinity, threshold) } else {
                    lower[feature] = max(lower[feature] ?? -.infinity, threshold)
                }
            case let .categories(goesLeft):
                let side = Set(goesLeft.indices.filter { goesLeft[$0] == left })
                allowed[feature] = allowed[feature].map { $0.intersection(side) } ?? side
            }
        }
        return order.map { feature in
            if let categories = allowed[feature] { return .oneOf(feature: feature, categories: categories.sorted()) }
            if tree.schema.features[feature].isBinary {
                return .equals(feature: feature, value: upper[feature] != nil ? 0 : 1)
            }
            return .range(feature: feature, lower: lower[feature], upper: upper[feature])
        }
    }
}
