/// One rule of a rule list: a conjunction of tests and the class it predicts.
public struct ListRule: Equatable, Sendable {
    /// The tests, all of which must pass (none: the rule covers every row).
    public var tests: [RuleTest]
    /// The predicted class, an index into the list's `outputs`.
    public var prediction: Int
    /// Network-label counts per class of the fitting rows this rule decides (as used in the list).
    public var counts: [Double]

    /// Creates a rule; `counts` empty by default (confidence 0 until the list is recounted).
    public init(tests: [RuleTest], prediction: Int, counts: [Double] = []) {
        self.tests = tests
        self.prediction = prediction
        self.counts = counts
    }

    /// Whether a raw row satisfies every test.
    @inline(__always)
    public func covers(_ row: UnsafeBufferPointer<Double>) -> Bool {
        tests.allSatisfy { $0.passes(row[$0.feature]) }
    }

    /// Share of decided fitting rows whose network label is the predicted class.
    public var confidence: Double {
        let total = counts.reduce(0, +)
        return total > 0 ? counts[prediction] / total : 0
    }
}

/// A classification surrogate made of rules: an ordered decision list (IF ... ELSE IF ... ELSE default)
/// or an unordered set where, when several rules apply, the one with the highest confidence wins
/// (the earlier one on ties). Rows that no rule covers get the default class.
public struct RuleList: Equatable, Sendable {
    /// The raw features the tests read.
    public var schema: FeatureSchema
    /// The class names, as in the network.
    public var outputs: [String]
    /// The rules, in list order (the default rule not included).
    public var rules: [ListRule]
    /// The class of rows no rule covers.
    public var defaultClass: Int
    /// Network-label counts of the fitting rows that fall to the default.
    public var defaultCounts: [Double]
    /// Decision list (first matching rule decides) or unordered set (most confident matching rule).
    public var ordered: Bool

    /// Creates a list from its parts, stored as given; `defaultCounts` empty by default.
    public init(schema: FeatureSchema, outputs: [String], rules: [ListRule], defaultClass: Int,
                defaultCounts: [Double] = [], ordered: Bool) {
        self.schema = schema
        self.outputs = outputs
        self.rules = rules
        self.defaultClass = defaultClass
        self.defaultCounts = defaultCounts
        self.ordered = ordered
    }

    /// Rules in the order they are tried: the list order, or by decreasing confidence for a set.
    public var evaluationOrder: [Int] {
        guard !ordered else { return Array(rules.indices) }
        return rules.indices.sorted { a, b in
            rules[a].confidence > rules[b].confidence || (rules[a].confidence == rules[b].confidence && a < b)
        }
    }

    /// The deciding rule's index for a raw row, or `rules.count` for the default.
    public func outcome(for row: UnsafeBufferPointer<Double>, order: [Int]) -> Int {
        for index in order where rules[index].covers(row) { return index }
        return rules.count
    }

    /// Deciding outcome (rule index, or `rules.count` for the default) of every row.
    public func outcomes(raw: [Double], rows: Int) -> [Int] {
        let width = schema.count
        let order = evaluationOrder
        return raw.withUnsafeBufferPointer { buffer in
            (0..<rows).map { outcome(for: UnsafeBufferPointer(rebasing: buffer[($0 * width)..<(($0 + 1) * width)]), order: order) }
        }
    }

    /// The class of an outcome.
    public func predictedClass(outcome: Int) -> Int { outcome < rules.count ? rules[outcome].prediction : defaultClass }

    /// Predicted class of every row.
    public func predictClasses(raw: [Double], rows: Int) -> [Int] {
        outcomes(raw: raw, rows: rows).map(predictedClass(outcome:))
    }

    /// Class shares of the fitting rows decided by an outcome.
    public func probabilities(outcome: Int) -> [Double] {
        let counts = outcome < rules.count ? rules[outcome].counts : defaultCounts
        let total = counts.reduce(0, +)
        guard total > 0 else {
            return outputs.indices.map { $0 == predictedClass(outcome: outcome) ? 1 : 0 }
        }
        return counts.map { $0 / total }
    }

    /// Total display conditions (tests merged per feature); the default rule has none.
    public var conditionCount: Int {
        rules.reduce(0) { $0 + RuleTest.conditions($1.tests, schema: schema).count }
    }

    /// Recomputes every rule's counts and the default's from fitting rows and their network labels.
    /// A decision list counts the rows each rule decides; a set counts every row each rule covers
    /// (its confidence is then the rule's own precision, which orders conflicts). The default counts the
    /// rows no rule takes.
    public mutating func recount(raw: [Double], rows: Int, labels: [Int]) {
        var counts = [[Double]](repeating: [Double](repeating: 0, count: outputs.count), count: rules.count + 1)
        if ordered {
            for (row, outcome) in outcomes(raw: raw, rows: rows).enumerated() { counts[outcome][labels[row]] += 1 }
        } else {
            let width = schema.count
            raw.withUnsafeBufferPointer { buffer in
                for row in 0..<rows {
                    let values = UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
                    var covered = false
                    for index in rules.indices where rules[index].covers(values) {
                        counts[index][labels[row]] += 1
                        covered = true
                    }
                    if !covered { counts[rules.count][labels[row]] += 1 }
                }
            }
        }
        for index in rules.indices { rules[index].counts = counts[index] }
        defaultCounts = counts[rules.count]
    }
}
