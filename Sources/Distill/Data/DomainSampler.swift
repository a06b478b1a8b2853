/// Draws rows from the model's declared input domain when no data is given: continuous features uniform
/// on [min, max], binary features 0 or 1 with equal chance, categorical features uniform over their values.
public struct DomainSampler: Sendable {
    /// The raw features drawn, with their declared domains.
    public let schema: FeatureSchema

    /// Checks that every continuous feature declares both `min` and `max`.
    /// - Throws: a diagnostic naming the file and the first input whose domain is incomplete.
    public init(schema: FeatureSchema, file: String) throws {
        for (index, feature) in schema.features.enumerated() {
            if case let .continuous(low, high) = feature.kind, low == nil || high == nil {
                throw Diagnostic(file: file, at: .jsonPath("inputs[\(index)]"),
                                 "input '\(feature.name)' declares no \(low == nil ? "min" : "max"); without {dataPath}, distill samples the declared domain, so every continuous input needs min and max (add them to the model, or give {dataPath})")
            }
        }
        self.schema = schema
    }

    /// `rows` seeded draws.
    public func sample(rows: Int, generator: inout SeededGenerator) -> Dataset {
        var values = [Double]()
        values.reserveCapacity(rows * schema.count)
        for _ in 0..<rows {
            for feature in schema.features {
                switch feature.kind {
                case let .continuous(low, high):
                    values.append(low! + (high! - low!) * generator.nextUnit())
                case .binary:
                    values.append(Double(generator.nextInt(below: 2)))
                case let .categorical(categories):
                    values.append(Double(generator.nextInt(below: categories.count)))
                }
            }
        }
        return Dataset(schema: schema, rows: rows, values: values)
    }
}
