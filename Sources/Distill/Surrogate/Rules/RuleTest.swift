/// One atomic test of a rule on one raw feature. A rule is a conjunction of tests; for display the tests
/// on one feature are merged into a single `Condition`.
public enum RuleTest: Equatable, Hashable, Sendable {
    /// x <= threshold (NaN fails).
    case atMost(feature: Int, threshold: Double)
    /// x > threshold (NaN fails).
    case above(feature: Int, threshold: Double)
    /// x is one of the categories marked true (an exact category index).
    case inCategories(feature: Int, categories: [Bool])

    /// The index of the raw feature the test reads.
    public var feature: Int {
        switch self {
        case let .atMost(feature, _), let .above(feature, _), let .inCategories(feature, _): return feature
        }
    }

    /// Whether a raw value of the test's feature passes.
    @inline(__always)
    public func passes(_ value: Double) -> Bool {
        switch self {
        case let .atMost(_, threshold): return value <= threshold
        case let .above(_, threshold): return value > threshold
        case let .inCategories(_, categories):
            guard let index = Int(exactly: value), index >= 0, index < categories.count else { return false }
            return categories[index]
        }
    }

    /// The tests merged per feature into display conditions, in the order each feature first appears.
    public static func conditions(_ tests: [RuleTest], schema: FeatureSchema) -> [Condition] {
        var order: [Int] = []
        var lower: [Int: Double] = [:], upper: [Int: Double] = [:]
        var allowed: [Int: [Bool]] = [:]
        for test in tests {
            if !order.contains(test.feature) { order.append(test.feature) }
            switch test {
            case let .atMost(feature, threshold): upper[feature] = min(upper[feature] ?? .infinity, threshold)
            case let .above(feature, threshold): lower[feature] = max(lower[feature] ?? -.infinity, threshold)
            case let .inCategories(feature, categories):
                allowed[feature] = allowed[feature].map { zip($0, categories).map { $0 && $1 } } ?? categories
            }
        }
        return order.map { feature in
            if let categories = allowed[feature] {
                return .oneOf(feature: feature, categories: categories.indices.filter { categories[$0] })
            }
            if schema.features[feature].isBinary {
                return .equals(feature: feature, value: upper[feature] != nil ? 0 : 1)
            }
            return .range(feature: feature, lower: lower[feature], upper: upper[feature])
        }
    }

    /// The tightest equivalent tests: per feature at most one `atMost`, one `above` and one
    /// `inCategories`, in the order each feature first appears.
    public static func simplified(_ tests: [RuleTest]) -> [RuleTest] {
        var result: [RuleTest] = []
        for test in tests {
            if let index = result.firstIndex(where: { $0.feature == test.feature && $0.sameKind(as: test) }) {
                switch (result[index], test) {
                case let (.atMost(feature, a), .atMost(_, b)): result[index] = .atMost(feature: feature, threshold: min(a, b))
                case let (.above(feature, a), .above(_, b)): result[index] = .above(feature: feature, threshold: max(a, b))
                case let (.inCategories(feature, a), .inCategories(_, b)):
                    result[index] = .inCategories(feature: feature, categories: zip(a, b).map { $0 && $1 })
                default: break
                }
            } else {
                result.append(test)
            }
        }
        return result
    }

    private func sameKind(as other: RuleTest) -> Bool {
        switch (self, other) {
        case (.atMost, .atMost), (.above, .above), (.inCategories, .inCategories): return true
        default: return false
        }
    }
}
