/// One term of a leaf's linear model: `coefficient * x[feature]`, in raw units.
public struct LinearTerm: Equatable, Sendable {
    /// The raw feature's index.
    public var feature: Int
    /// The factor the feature's raw value is multiplied by.
    public var coefficient: Double

    /// Creates a term.
    public init(feature: Int, coefficient: Double) {
        self.feature = feature
        self.coefficient = coefficient
    }
}

/// A regression leaf's short linear model for one output: `intercept + c1 * x1 + c2 * x2 + ...`, summed
/// in that order (the generated code sums in the same order, so it predicts the same doubles).
public struct LeafModel: Equatable, Sendable {
    /// The constant the terms are added to.
    public var intercept: Double
    /// The terms, in the order they are summed.
    public var terms: [LinearTerm]

    /// Creates a model.
    public init(intercept: Double, terms: [LinearTerm]) {
        self.intercept = intercept
        self.terms = terms
    }

    /// The model's value for a raw row.
    @inline(__always)
    public func value(_ row: UnsafeBufferPointer<Double>) -> Double {
        var total = intercept
        for term in terms { total += term.coefficient * row[term.feature] }
        return total
    }
}

/// What a regression tree's leaves predict.
public enum LeafKind: Hashable, Sendable {
    /// The mean of the leaf's fitting targets.
    case constant
    /// A linear model of at most this many raw features, chosen stepwise on the leaf's fitting points.
    case linear(maxTerms: Int)

    /// Terms of a linear leaf unless told otherwise (`--max-terms`).
    public static let defaultTerms = 3
}
