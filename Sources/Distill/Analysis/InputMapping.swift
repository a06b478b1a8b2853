/// Maps points of the unit cube to raw input rows: through each feature's empirical quantile function
/// when data is given (so the analysis follows the data's marginals), else uniformly over the declared
/// domain (continuous: [min, max]; binary and categorical: equally likely values).
public struct InputMapping: Sendable {
    /// The raw features rows are produced for.
    public let schema: FeatureSchema
    /// Sorted data values per feature (empty: use the declared domain).
    let sorted: [[Double]]

    /// From the data's marginals.
    public init(data: Dataset) {
        schema = data.schema
        sorted = (0..<data.schema.count).map { feature in (0..<data.rows).map { data[$0, feature] }.sorted() }
    }

    /// From the declared domain (every continuous input needs min and max).
    public init(schema: FeatureSchema, file: String) throws {
        _ = try DomainSampler(schema: schema, file: file)
        self.schema = schema
        sorted = Array(repeating: [], count: schema.count)
    }

    /// Raw rows for unit-cube rows (row-major, one coordinate per feature).
    public func rows(_ unit: [Double], count: Int) -> [Double] {
        let width = schema.count
        var raw = [Double](repeating: 0, count: count * width)
        for feature in 0..<width {
            let values = sorted[feature]
            let kind = schema.features[feature].kind
            for row in 0..<count {
                let u = min(max(unit[row * width + feature], 0), 1 - 1e-12)
                if !values.isEmpty {
                    raw[row * width + feature] = values[min(Int(u * Double(values.count)), values.count - 1)]
                    continue
                }
                switch kind {
                case let .continuous(low, high): raw[row * width + feature] = low! + u * (high! - low!)
                case .binary: raw[row * width + feature] = u < 0.5 ? 0 : 1
                case let .categorical(values): raw[row * width + feature] = Double(Int(u * Double(values.count)))
                }
            }
        }
        return raw
    }
}
