/// Ground truth attached to data rows.
public enum Labels: Equatable, Sendable {
    /// Class indices into the network's `outputs`.
    case classes([Int])
    /// Target values of a regression network's (single) output.
    case values([Double])

    /// Keeps the labels of `rows`, in that order.
    public func subset(_ rows: [Int]) -> Labels {
        switch self {
        case let .classes(classes): return .classes(rows.map { classes[$0] })
        case let .values(values): return .values(rows.map { values[$0] })
        }
    }
}

/// Rows of raw feature values in schema order (row-major; categorical features as category indices),
/// with optional ground-truth labels.
public struct Dataset: Equatable, Sendable {
    /// The raw features of every row.
    public var schema: FeatureSchema
    /// Number of rows.
    public var rows: Int
    /// Row-major raw values, `rows x schema.count`.
    public var values: [Double]
    /// Ground truth per row, when known.
    public var labels: Labels?

    /// Creates a dataset; traps unless `values` holds `rows × schema.count` values. No labels by default.
    public init(schema: FeatureSchema, rows: Int, values: [Double], labels: Labels? = nil) {
        precondition(values.count == rows * schema.count, "dataset shape mismatch")
        self.schema = schema
        self.rows = rows
        self.values = values
        self.labels = labels
    }

    /// Raw value of `feature` in `row`.
    public subscript(row: Int, feature: Int) -> Double { values[row * schema.count + feature] }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let width = schema.count
        var picked = [Double]()
        picked.reserveCapacity(indices.count * width)
        for row in indices { picked.append(contentsOf: values[(row * width)..<((row + 1) * width)]) }
        return Dataset(schema: schema, rows: indices.count, values: picked, labels: labels?.subset(indices))
    }

    /// The mean of each feature over the rows (a categorical feature's mean category index).
    public func columnMeans() -> [Double] {
        var sums = [Double](repeating: 0, count: schema.count)
        for row in 0..<rows { for j in 0..<schema.count { sums[j] += values[row * schema.count + j] } }
        return sums.map { $0 / Double(max(rows, 1)) }
    }

    /// A seeded random split: `fraction` of the rows (rounded up, at least one, at most all but one)
    /// held out, the rest for fitting. Row order inside each part follows the original order.
    public func split(testFraction fraction: Double, seed: UInt64) -> Split {
        let (train, test) = partitioned(by: Dataset.heldOut(rows: rows, testFraction: fraction, seed: seed))
        return Split(train: train, test: test)
    }

    /// The two parts of a split: rows to fit on and rows held out.
    public struct Split: Sendable {
        /// The rows to fit on.
        public var train: Dataset
        /// The rows held out.
        public var test: Dataset
    }

    /// Which of `rows` rows `split(testFraction:seed:)` holds out, a flag per row.
    static func heldOut(rows: Int, testFraction fraction: Double, seed: UInt64) -> [Bool] {
        var generator = SeededGenerator(seed: seed)
        let order = generator.permutation(rows)
        let testCount = min(max(Int((Double(rows) * fraction).rounded(.up)), 1), max(rows - 1, 0))
        var flags = [Bool](repeating: false, count: rows)
        for row in order.prefix(testCount) { flags[row] = true }
        return flags
    }

    /// The rows whose flag is false and those whose flag is true, each in the original order.
    func partitioned(by flags: [Bool]) -> (unflagged: Dataset, flagged: Dataset) {
        (subset(flags.indices.filter { !flags[$0] }), subset(flags.indices.filter { flags[$0] }))
    }
}
