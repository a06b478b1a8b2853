/// One condition on one raw feature, the conjunction of every test on that feature along a tree path.
public enum Condition: Equatable, Sendable {
    /// lower < x <= upper (either bound may be absent).
    case range(feature: Int, lower: Double?, upper: Double?)
    /// A binary feature equals 0 or 1.
    case equals(feature: Int, value: Int)
    /// A categorical feature takes one of these category indices.
    case oneOf(feature: Int, categories: [Int])

    /// The index of the raw feature the condition reads.
    public var feature: Int {
        switch self {
        case let .range(feature, _, _), let .equals(feature, _), let .oneOf(feature, _): return feature
        }
    }

    /// Whether a raw row satisfies the condition.
    public func holds(for row: UnsafeBufferPointer<Double>) -> Bool {
        switch self {
        case let .range(feature, lower, upper):
            let value = row[feature]
            return (lower.map { value > $0 } ?? true) && (upper.map { value <= $0 } ?? true)
        case let .equals(feature, value):
            return row[feature] == Double(value)
        case let .oneOf(feature, categories):
            // A value that is not a whole number (NaN, 1.5) is in no category, as the trees and rule tests send it.
            guard let category = Int(exactly: row[feature]) else { return false }
            return categories.contains(category)
        }
    }
}

/// An IF-THEN rule read off a surrogate, with its training statistics.
public struct Rule: Equatable, Sendable {
    /// The conditions, all of which hold on the rule's rows: at most one per feature, in the order the
    /// features are first tested.
    public var conditions: [Condition]
    /// The leaf the rule came from.
    public var leaf: Int
    /// Fitting rows the rule covers.
    public var samples: Int
    /// Share of fitting rows covered.
    public var coverage: Double
    /// Classification: the predicted class index.
    public var predictedClass: Int?
    /// Classification: share of covered rows whose network label is the predicted class.
    public var confidence: Double?
    /// Regression: per-output mean and standard deviation of the network's outputs over covered rows.
    public var means: [Double]
    /// Regression: per-output standard deviation (empty for classification).
    public var deviations: [Double]
}
