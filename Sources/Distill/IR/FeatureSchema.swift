/// The kind of a raw input feature and what it needs to be encoded.
public enum FeatureKind: Equatable, Sendable {
    /// A real number, with an optional declared domain.
    case continuous(min: Double?, max: Double?)
    /// 0 or 1.
    case binary
    /// One of the listed values, one-hot encoded in this order.
    case categorical(values: [String])
}

/// One raw input feature, as it appears in the data (a CSV column).
public struct Feature: Equatable, Sendable {
    public var name: String
    public var kind: FeatureKind
    /// The unit of measurement, when the model declares one.
    public var unit: String?

    public init(name: String, kind: FeatureKind, unit: String? = nil) {
        self.name = name
        self.kind = kind
        self.unit = unit
    }

    /// Network inputs this feature takes once encoded.
    public var encodedWidth: Int {
        if case let .categorical(values) = kind { return values.count }
        return 1
    }

    /// Category names of a categorical feature, else nil.
    public var categories: [String]? {
        if case let .categorical(values) = kind { return values }
        return nil
    }

    /// Whether this feature is categorical.
    public var isCategorical: Bool { categories != nil }
}

/// The raw features in data order and how they map onto the network's encoded input columns.
///
/// Raw rows hold one `Double` per feature: the value for continuous and binary features, the 0-based
/// category index for categorical ones. Encoding turns a raw row into the network's input vector.
public struct FeatureSchema: Equatable, Sendable {
    public private(set) var features: [Feature]
    /// First encoded column of each feature.
    public private(set) var offsets: [Int]
    /// Width of the encoded input vector.
    public private(set) var encodedWidth: Int

    public init(features: [Feature]) {
        self.features = features
        var offsets: [Int] = []
        var width = 0
        for feature in features {
            offsets.append(width)
            width += feature.encodedWidth
        }
        self.offsets = offsets
        self.encodedWidth = width
    }

    /// Number of raw features.
    public var count: Int { features.count }

    /// Encodes `rows` raw rows (row-major, `count` values each) into network inputs (row-major).
    public func encode(_ raw: [Double], rows: Int) -> [Double] {
        let width = encodedWidth
        let rawWidth = count
        var encoded = [Double](repeating: 0, count: rows * width)
        encoded.withUnsafeMutableBufferPointer { out in
            raw.withUnsafeBufferPointer { input in
                for row in 0..<rows {
                    let source = row * rawWidth
                    let target = row * width
                    for (index, feature) in features.enumerated() {
                        let value = input[source + index]
                        if feature.isCategorical {
                            out[target + offsets[index] + Int(value)] = 1
                        } else {
                            out[target + offsets[index]] = value
                        }
                    }
                }
            }
        }
        return encoded
    }
}
