/// Every number a surrogate would print or compile: a listing or generated code never holds an infinity
/// or NaN (a bare `nan` does not compile, and `null` in a saved surrogate cannot be read back).
extension Surrogate {
    /// A description of the first constant that is not finite (where it is), or nil when all are.
    public var firstNonFiniteConstant: String? {
        switch self {
        case let .tree(tree):
            return Self.firstNonFinite(in: tree)
        case let .sum(sum):
            if let value = sum.base.first(where: { !$0.isFinite }) { return "the base score \(value)" }
            if let term = sum.terms.joined().first(where: { !$0.coefficient.isFinite }) { return "the start's coefficient \(term.coefficient)" }
            for (number, tree) in sum.trees.enumerated() {
                if let place = Self.firstNonFinite(in: tree) { return "tree \(number + 1)'s \(place)" }
            }
        case let .rules(list):
            for (index, rule) in list.rules.enumerated() {
                for test in rule.tests {
                    switch test {
                    case let .atMost(_, threshold), let .above(_, threshold):
                        if !threshold.isFinite { return "rule \(index + 1)'s threshold \(threshold)" }
                    case .inCategories: break
                    }
                }
                if let count = rule.counts.first(where: { !$0.isFinite }) { return "rule \(index + 1)'s count \(count)" }
            }
            if let count = list.defaultCounts.first(where: { !$0.isFinite }) { return "the default rule's count \(count)" }
        }
        return nil
    }

    /// The first constant of `tree` that is not finite, or nil.
    private static func firstNonFinite(in tree: DecisionTree) -> String? {
        for (index, node) in tree.nodes.enumerated() {
            if let split = node.split, case let .threshold(threshold) = split.test, !threshold.isFinite {
                return "node \(index)'s threshold \(threshold)"
            }
            if let value = node.value.first(where: { !$0.isFinite }) { return "node \(index)'s value \(value)" }
            for model in node.models {
                if !model.intercept.isFinite { return "node \(index)'s intercept \(model.intercept)" }
                if let term = model.terms.first(where: { !$0.coefficient.isFinite }) {
                    return "node \(index)'s coefficient \(term.coefficient)"
                }
            }
        }
        return nil
    }

    /// Throws a diagnostic naming `file` when a constant is not finite.
    public func checkFinite(file: String) throws {
        if let place = firstNonFiniteConstant {
            throw Diagnostic(file: file, "the surrogate holds a number that is not finite (\(place)); no listing or code is made from it")
        }
    }
}
