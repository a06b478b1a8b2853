/// A closed box in raw-feature space: an interval per continuous or binary feature and the allowed
/// categories of each categorical one. Certification proves claims for every point of such a box.
public struct RawBox: Equatable, Sendable {
    /// Lower bound per raw feature, inclusive (for a categorical feature the lowest category index; `allowed`
    /// decides membership).
    public var lower: [Double]
    /// Upper bound per raw feature, inclusive (for a categorical feature the highest category index).
    public var upper: [Double]
    /// Allowed category indices per categorical feature (nil for the others).
    public var allowed: [[Bool]?]

    /// The input domain of `schema`: declared bounds where the model gives them, else the range of
    /// `rows` (raw, row-major); binary features [0, 1]; every category.
    public init(domainOf schema: FeatureSchema, rows: [Double]) {
        let width = schema.count
        lower = []
        upper = []
        allowed = []
        for (index, feature) in schema.features.enumerated() {
            var low = Double.infinity, high = -Double.infinity
            for row in 0..<(width == 0 ? 0 : rows.count / width) where rows[row * width + index].isFinite {
                low = min(low, rows[row * width + index])
                high = max(high, rows[row * width + index])
            }
            switch feature.kind {
            case let .continuous(minimum, maximum):
                lower.append(minimum ?? (low.isFinite ? low : 0))
                upper.append(maximum ?? (high.isFinite ? high : 0))
                allowed.append(nil)
            case .binary:
                lower.append(0)
                upper.append(1)
                allowed.append(nil)
            case let .categorical(values):
                lower.append(0)
                upper.append(Double(values.count - 1))
                allowed.append(values.map { _ in true })
            }
        }
    }

    /// This box narrowed by `conditions` (a rule's), closed: `lower < x` becomes `lower <= x`, a superset.
    public func narrowed(by conditions: [Condition]) -> RawBox {
        var box = self
        for condition in conditions {
            switch condition {
            case let .range(feature, low, high):
                if let low { box.lower[feature] = max(box.lower[feature], low) }
                if let high { box.upper[feature] = min(box.upper[feature], high) }
            case let .equals(feature, value):
                box.lower[feature] = max(box.lower[feature], Double(value))
                box.upper[feature] = min(box.upper[feature], Double(value))
            case let .oneOf(feature, categories):
                if var mask = box.allowed[feature] {
                    for index in mask.indices where !categories.contains(index) { mask[index] = false }
                    box.allowed[feature] = mask
                }
            }
        }
        return box
    }

    /// No point inside.
    public var isEmpty: Bool {
        for index in lower.indices {
            if let mask = allowed[index] { if !mask.contains(true) { return true } } else if lower[index] > upper[index] { return true }
        }
        return false
    }

    /// Whether the raw row lies inside.
    public func contains(_ row: UnsafeBufferPointer<Double>) -> Bool {
        for index in lower.indices {
            if let mask = allowed[index] {
                guard let category = Int(exactly: row[index]), mask.indices.contains(category), mask[category] else { return false }
            } else if !(row[index] >= lower[index] && row[index] <= upper[index]) {
                return false
            }
        }
        return true
    }

    /// The encoded box: continuous values as they are, a binary feature's one column, a categorical
    /// feature's one-hot columns in [0, 1] where allowed (exactly 1 when only one is), 0 elsewhere.
    func encoded(_ schema: FeatureSchema) -> (lower: [Double], upper: [Double]) {
        var low: [Double] = [], high: [Double] = []
        for (index, feature) in schema.features.enumerated() {
            if let mask = allowed[index], feature.isCategorical {
                let single = mask.filter { $0 }.count == 1
                for allowed in mask {
                    low.append(allowed && single ? 1 : 0)
                    high.append(allowed ? 1 : 0)
                }
            } else {
                low.append(lower[index])
                high.append(upper[index])
            }
        }
        return (low, high)
    }

    /// The two parts of the box along `feature`: an interval at `point` when it lies strictly inside,
    /// else at its midpoint (a binary feature at 0.5), a categorical feature's allowed set into two
    /// halves; nil when it cannot be split.
    func split(_ feature: Int, kind: FeatureKind, at point: Double?) -> (RawBox, RawBox)? {
        var first = self, second = self
        if let mask = allowed[feature] {
            let indices = mask.indices.filter { mask[$0] }
            guard indices.count > 1 else { return nil }
            let half = Set(indices.prefix(indices.count / 2))
            first.allowed[feature] = mask.indices.map { mask[$0] && half.contains($0) }
            second.allowed[feature] = mask.indices.map { mask[$0] && !half.contains($0) }
            return (first, second)
        }
        guard upper[feature] > lower[feature] else { return nil }
        if case .binary = kind {
            guard lower[feature] <= 0, upper[feature] >= 1 else { return nil }
            first.upper[feature] = 0
            second.lower[feature] = 1
            return (first, second)
        }
        var middle = 0.5 * (lower[feature] + upper[feature])
        guard middle > lower[feature], middle < upper[feature] else { return nil }
        if let point, point > lower[feature], point < upper[feature] { middle = point }
        first.upper[feature] = middle
        second.lower[feature] = middle
        return (first, second)
    }

    /// How much of the domain's extent along `feature` the box still spans (the splitting heuristic).
    func relativeWidth(_ feature: Int, domain: RawBox) -> Double {
        if let mask = allowed[feature] {
            let count = mask.filter { $0 }.count
            return count > 1 ? Double(count) / Double(mask.count) : 0
        }
        let full = domain.upper[feature] - domain.lower[feature]
        return full > 0 ? (upper[feature] - lower[feature]) / full : 0
    }
}

extension RawBox {
    /// One projected sign-gradient step: each continuous feature of `point` moves `size` times the box's
    /// extent along it, up where `slope` (a gradient over the encoded columns) is positive and down where
    /// it is negative, and is clipped to the box; binary and categorical values stay. The step of gradient
    /// searches for counterexamples and of activation maximisation.
    func step(_ point: inout [Double], slope: ArraySlice<Double>, schema: FeatureSchema, size: Double) {
        var column = slope.startIndex
        for (feature, spec) in schema.features.enumerated() {
            defer { column += spec.encodedWidth }
            guard case .continuous = spec.kind else { continue }
            let reach = size * (upper[feature] - lower[feature])
            let moved = point[feature] + (slope[column] > 0 ? reach : slope[column] < 0 ? -reach : 0)
            point[feature] = min(upper[feature], max(lower[feature], moved))
        }
    }
}
