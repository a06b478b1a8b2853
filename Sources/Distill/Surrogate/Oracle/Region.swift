/// A box in raw-feature space: per feature an interval (lower, upper] and, for categorical and binary
/// features, the allowed values. The region of a tree node is the conjunction of the tests on its path.
public struct Region: Equatable, Sendable {
    /// Exclusive lower bounds (-infinity when open).
    public var lower: [Double]
    /// Inclusive upper bounds (+infinity when open).
    public var upper: [Double]
    /// Allowed category indices per categorical feature (nil: not categorical or no restriction).
    public var allowed: [[Bool]?]

    /// The whole space of `schema`.
    public init(schema: FeatureSchema) {
        lower = Array(repeating: -.infinity, count: schema.count)
        upper = Array(repeating: .infinity, count: schema.count)
        allowed = schema.features.map { feature in feature.categories.map { $0.map { _ in true } } }
    }

    /// Whether a raw row lies inside.
    public func contains(_ row: UnsafeBufferPointer<Double>) -> Bool {
        for feature in lower.indices {
            let value = row[feature]
            if let allowed = allowed[feature] {
                guard let index = Int(exactly: value), index >= 0, index < allowed.count, allowed[index] else { return false }
            } else if !(value > lower[feature] && value <= upper[feature]) {
                return false
            }
        }
        return true
    }

    /// The two regions a split divides this one into.
    public func split(feature: Int, test: SplitTest) -> Halves {
        var left = self, right = self
        switch test {
        case let .threshold(threshold):
            left.upper[feature] = min(upper[feature], threshold)
            right.lower[feature] = max(lower[feature], threshold)
        case let .categories(goesLeft):
            let current = allowed[feature] ?? goesLeft.map { _ in true }
            left.allowed[feature] = zip(current, goesLeft).map { $0 && $1 }
            right.allowed[feature] = zip(current, goesLeft).map { $0 && !$1 }
        }
        return Halves(left: left, right: right)
    }

    /// The two parts of a region a split divides.
    public struct Halves: Sendable {
        /// The part whose rows the split sends left.
        public var left: Region
        /// The part whose rows the split sends right.
        public var right: Region
    }
}
