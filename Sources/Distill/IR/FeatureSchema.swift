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
    /// The feature's name (its CSV column header).
    public var name: String
    /// Continuous, binary or categorical, with what encoding needs.
    public var kind: FeatureKind
    /// The unit of measurement, when the model declares one.
    public var unit: String?

    /// Creates a feature; no unit by default.
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
    /// The raw features, in data order.
    public private(set) var features: [Feature]
    /// First encoded column of each feature.
    public private(set) var offsets: [Int]
    /// Width of the encoded input vector.
    public private(set) var encodedWidth: Int

    /// Creates a schema and computes each feature's encoded offset and the encoded width.
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
        var encoded = [Double](repeating: 0, count: rows * encodedWidth)
        raw.withUnsafeBufferPointer { input in
            encoded.withUnsafeMutableBufferPointer { out in
                guard let source = input.baseAddress, let target = out.baseAddress else { return }
                encode(source, rows: rows, into: target)
            }
        }
        return encoded
    }

    /// Encodes `rows` raw rows from `raw` into `encoded` (`rows x encodedWidth`, every value written).
    /// A category index that names no category leaves its one-hot columns at zero.
    func encode(_ raw: UnsafePointer<Double>, rows: Int, into encoded: UnsafeMutablePointer<Double>) {
        let width = encodedWidth
        let rawWidth = count
        for row in 0..<rows {
            let source = raw + row * rawWidth
            let target = encoded + row * width
            for (index, feature) in features.enumerated() {
                let value = source[index]
                let offset = offsets[index]
                if let categories = feature.categories {
                    for column in 0..<categories.count { target[offset + column] = 0 }
                    if let category = Int(exactly: value), category >= 0, category < categories.count {
                        target[offset + category] = 1
                    }
                } else {
                    target[offset] = value
                }
            }
        }
    }
}
