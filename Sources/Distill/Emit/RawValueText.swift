/// How the emitters show raw input values: a category by its name, a number as it is in JSON and to a
/// few significant digits in text.
enum RawValueText {
    /// `value` of `feature` for a text report.
    static func text(_ value: Double, of feature: Feature, digits: Int) -> String {
        feature.categories.map { $0[Int(value)] } ?? NumberText.significant(value, digits: digits)
    }

    /// A raw row as a JSON object from input name to value.
    static func json(_ values: [Double], schema: FeatureSchema) -> JSONOutput {
        .object(zip(schema.features, values).map { feature, value in (feature.name, feature.categories.map { .string($0[Int(value)]) } ?? .number(value)) })
    }
}
