/// Maps points of the unit cube to raw input rows: through each feature's empirical quantile function
/// when data is given (so the analysis follows the data's marginals), else uniformly over the declared
/// domain (continuous: [min, max]; binary and categorical: equally likely values).
public struct InputMapping: Sendable {
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
        let blockRows = 4096
        return [Double](unsafeUninitializedCapacity: count * width) { raw, initialized in
            let target = UncheckedBox(raw)
            Parallelism.forEach(pieces: (count + blockRows - 1) / blockRows) { block, _ in
                for row in (block * blockRows)..<min(count, (block + 1) * blockRows) {
                    for feature in 0..<width { target.value[row * width + feature] = value(unit[row * width + feature], feature: feature) }
                }
            }
            initialized = count * width
        }
    }

    /// The raw value of `feature` at unit coordinate `u`.
    @inline(__always)
    func value(_ coordinate: Double, feature: Int) -> Double {
        let u = min(max(coordinate, 0), 1 - 1e-12)
        let values = sorted[feature]
        if !values.isEmpty { return values[min(Int(u * Double(values.count)), values.count - 1)] }
        switch schema.features[feature].kind {
        case let .continuous(low, high): return low! + u * (high! - low!)
        case .binary: return u < 0.5 ? 0 : 1
        case let .categorical(values): return Double(Int(u * Double(values.count)))
        }
    }
}
