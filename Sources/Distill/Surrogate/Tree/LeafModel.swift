/// One term of a leaf's linear model: `coefficient * x[feature]`, in raw units.
public struct LinearTerm: Equatable, Sendable {
    public var feature: Int
    public var coefficient: Double

    public init(feature: Int, coefficient: Double) {
        self.feature = feature
        self.coefficient = coefficient
    }
}

/// A regression leaf's short linear model for one output: `intercept + c1 * x1 + c2 * x2 + ...`, summed
/// in that order (the generated code sums in the same order, so it predicts the same doubles).
public struct LeafModel: Equatable, Sendable {
    public var intercept: Double
    public var terms: [LinearTerm]

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
public enum LeafKind: Equatable, Sendable {
    /// The mean of the leaf's fitting targets.
    case constant
    /// A linear model of at most this many raw features, chosen stepwise on the leaf's fitting points.
    case linear(maxTerms: Int)

    /// Terms of a linear leaf unless told otherwise (`--max-terms`).
    public static let defaultTerms = 3
}
