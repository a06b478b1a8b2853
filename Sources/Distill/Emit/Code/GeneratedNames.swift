/// The identifiers chosen for one generated surrogate: its type, the input properties, the enums for
/// categorical features and their cases, and the class cases. Shared by the Swift and C emitters.
struct GeneratedNames {
    var typeName: String
    /// One property (Swift) per raw feature.
    var properties: [String]
    /// Enum type name per categorical feature (nil for other features).
    var enumTypes: [String?]
    /// Case names per categorical feature (empty for other features).
    var enumCases: [[String]]
    /// Case name per class (classification).
    var classCases: [String]

    init(_ generated: GeneratedSurrogate) {
        self.init(surrogate: generated.surrogate, modelName: generated.modelName, typeName: generated.typeName)
    }

    /// Types and names the generated code uses itself, which feature enums must not shadow.
    static let reservedTypes: Set<String> = [
        "Input", "Class", "Double", "Int", "String", "Bool", "Array", "Dictionary", "Set", "Optional", "Sendable",
        "Equatable", "Hashable", "CaseIterable", "Swift", "Never", "Self", "Type", "Any", "AnyObject", "Element",
    ]

    init(surrogate: Surrogate, modelName: String, typeName: String?) {
        self.typeName = typeName ?? SwiftIdentifier.upperCamel(modelName, prefix: "Model") + "Surrogate"
        let features = surrogate.schema.features
        properties = SwiftIdentifier.distinct(features.map { SwiftIdentifier.lowerCamel($0.name, prefix: "feature") },
                                              avoiding: ["features"])
        let enumNames = SwiftIdentifier.distinct(
            features.filter(\.isCategorical).map { SwiftIdentifier.upperCamel($0.name, prefix: "Feature") },
            avoiding: Self.reservedTypes.union([self.typeName]))
        var next = 0
        enumTypes = features.map { feature in
            guard feature.isCategorical else { return nil }
            defer { next += 1 }
            return enumNames[next]
        }
        enumCases = features.map { feature in
            SwiftIdentifier.distinct((feature.categories ?? []).map { SwiftIdentifier.lowerCamel($0, prefix: "value") })
        }
        classCases = surrogate.task == .classification
            ? SwiftIdentifier.distinct(surrogate.outputs.map { SwiftIdentifier.lowerCamel($0, prefix: "class") })
            : []
    }
}
