/// A RIPPER rule learner (Cohen 1995) fitted to the network's classes: classes are taken from the rarest
/// to the most common; for each, IREP* grows rules on two thirds of the rows and prunes them on the other
/// third, stopping when a rule errs on more than half of its prune rows or the description length grows
/// 64 bits past its minimum; the rule set is then optimised twice (each rule against a replacement and
/// a revision, kept by description length) and rules that lengthen the description are deleted. The
/// most common class is the default. The classes' rule sets, in that order, form one decision list.
public struct RipperLearner: Sendable {
    /// Whether the list is ordered, and the caps on rules and conditions applied after learning.
    public var settings: RuleListSettings
    /// Seed of the grow/prune splits.
    public var seed: UInt64
    /// Optimisation passes (RIPPER's k).
    public var optimizationPasses = 2
    /// Candidate thresholds per continuous feature: boundaries at this many quantiles; nil (the default)
    /// for every midpoint between covered rows as in Cohen's RIPPER where histograms do not pay
    /// (`TreeSettings.histogramsPay`: below 20,000 fitting rows up to 64 features), and 256 quantiles from
    /// there on (oracle-sized data).
    public var bins: Int?
    /// Features rules may test (all when nil).
    public var allowedFeatures: Set<Int>?
    /// Bits past the minimum description length at which rule growth stops.
    public var descriptionSlack = 64.0

    /// Creates a learner with the default passes, bins, features and slack.
    public init(settings: RuleListSettings, seed: UInt64) {
        self.settings = settings
        self.seed = seed
    }

    /// Learns a decision list that predicts `labels` from `data`.
    /// - Parameters:
    ///   - data: The fitting rows (raw values).
    ///   - labels: The class of each row (the network's decisions), from 0.
    ///   - outputs: The class names; their count is the number of classes.
    /// - Returns: The rule list, pruned and capped to `settings.maxRules` and `settings.maxConditions`.
    public func fit(_ data: Dataset, labels: [Int], outputs: [String]) -> RuleList {
        let bins = self.bins ?? (TreeSettings.histogramsPay(rows: data.rows, features: data.schema.count) ? 256 : nil)
        var fit = RuleFitData(data: data, labels: labels, classCount: outputs.count, bins: bins)
        fit.allowedFeatures = allowedFeatures
        var generator = SeededGenerator(seed: seed)
        let counts = fit.classCounts
        let order = counts.indices.filter { counts[$0] > 0 }.sorted { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
        var remaining = Array(0..<data.rows)
        var rules: [ListRule] = []
        for target in order.dropLast() {
            let positive = labels.map { $0 == target }
            let phase = RipperPhase(fit: fit, rows: remaining, positive: positive, possible: possibleConditions(fit, rows: remaining),
                                    slack: descriptionSlack)
            var ruleSet = phase.irepStar(start: [], generator: &generator)
            for _ in 0..<optimizationPasses { ruleSet = phase.optimized(ruleSet, generator: &generator) }
            rules += ruleSet.map { ListRule(tests: $0, prediction: target) }
            remaining = remaining.filter { labels[$0] != target }
        }
        var list = RuleList(schema: data.schema, outputs: outputs, rules: rules,
                            defaultClass: order.last ?? 0, ordered: settings.ordered)
        if !settings.ordered { list = fit.finished(list) }
        list = fit.pruned(list)
        list = fit.capped(list, maxRules: settings.maxRules, maxConditions: settings.maxConditions)
        return fit.finished(list)
    }

    /// The number of conditions a rule could use on `rows` (for the description length).
    private func possibleConditions(_ fit: RuleFitData, rows: [Int]) -> Int {
        var total = 0
        for (feature, description) in fit.data.schema.features.enumerated() {
            if let categories = description.categories {
                total += categories.count
            } else {
                total += fit.binned ? 2 * fit.cuts[feature].count
                    : 2 * max(Set(rows.map { fit.value($0, feature) }).count - 1, 0)
            }
        }
        return max(total, 1)
    }
}

/// Learning the rules of one class against the rows of the classes after it.
struct RipperPhase {
    let fit: RuleFitData
    let rows: [Int]
    let positive: [Bool]
    let possible: Int
    let slack: Double
    /// The phase's rows, and those of them that are positive.
    let rowSet: RowSet
    let positiveSet: RowSet

    init(fit: RuleFitData, rows: [Int], positive: [Bool], possible: Int, slack: Double) {
        self.fit = fit
        self.rows = rows
        self.positive = positive
        self.possible = possible
        self.slack = slack
        rowSet = RowSet(rows: fit.rows, members: rows)
        positiveSet = RowSet(rows: fit.rows, members: rows.filter { positive[$0] })
    }

    var grower: RuleGrower { RuleGrower(fit: fit) }

    /// A seeded 2:1 split of `rows` into grow and prune rows, positives and negatives split separately.
    func split(_ rows: [Int], generator: inout SeededGenerator) -> (grow: [Int], prune: [Int]) {
        // `rows` are in increasing order, and so are both parts.
        var pruned = RowSet(rows: fit.rows)
        for part in [rows.filter { positive[$0] }, rows.filter { !positive[$0] }] {
            let order = generator.permutation(part.count)
            let pruneCount = Int((Double(part.count) / 3).rounded())
            for index in order.prefix(pruneCount) { pruned.insert(part[index]) }
        }
        return (rows.filter { !pruned.contains($0) }, rows.filter { pruned.contains($0) })
    }

    /// Total description length of `ruleSet` on this phase's rows.
    func descriptionLength(_ ruleSet: [[RuleTest]]) -> Double {
        let coveredSet = fit.coverage(anyOf: ruleSet) & rowSet
        let covered = coveredSet.count
        let truePositives = coveredSet.intersectionCount(positiveSet)
        let falsePositives = covered - truePositives, falseNegatives = positiveSet.count - truePositives
        let theory = ruleSet.reduce(0) { $0 + DescriptionLength.ruleBits(conditions: $1.count, possible: possible) }
        return theory + DescriptionLength.exceptionBits(covered: covered, falsePositives: falsePositives,
                                                        uncovered: rows.count - covered, falseNegatives: falseNegatives)
    }

    /// IREP*: adds rules for the positives not covered by `start`.
    func irepStar(start: [[RuleTest]], generator: inout SeededGenerator) -> [[RuleTest]] {
        var ruleSet = start
        let startCovered = fit.coverage(anyOf: ruleSet)
        var left = rows.filter { !startCovered.contains($0) }
        var minimum = descriptionLength(ruleSet)
        while left.contains(where: { positive[$0] }) {
            let (grow, prune) = split(left, generator: &generator)
            guard grow.contains(where: { positive[$0] }) else { break }
            let grown = grower.grow(from: [], rows: grow, positive: positive)
            guard !grown.isEmpty else { break }
            let rule = grower.prune(grown, rows: prune, positive: positive)
            let ruleCovered = fit.coverage(rule)
            let covered = prune.filter { ruleCovered.contains($0) }
            let errors = covered.filter { !positive[$0] }.count
            if !covered.isEmpty, Double(errors) / Double(covered.count) > 0.5 { break }
            ruleSet.append(rule)
            let length = descriptionLength(ruleSet)
            if length > minimum + slack {
                ruleSet.removeLast()
                break
            }
            minimum = min(minimum, length)
            let before = left.count
            left = left.filter { !ruleCovered.contains($0) }
            if left.count == before { ruleSet.removeLast(); break }
        }
        return deletingByDescriptionLength(ruleSet)
    }

    /// Deletes rules, last first, whenever that shortens the description.
    func deletingByDescriptionLength(_ ruleSet: [[RuleTest]]) -> [[RuleTest]] {
        var result = ruleSet
        var current = descriptionLength(result)
        for index in result.indices.reversed() {
            var candidate = result
            candidate.remove(at: index)
            let length = descriptionLength(candidate)
            if length < current {
                result = candidate
                current = length
            }
        }
        return result
    }

    /// One optimisation pass: each rule is compared with a replacement (grown from nothing) and a
    /// revision (grown further from the rule), both pruned to minimise the rule set's errors on the prune
    /// rows; the variant giving the shortest description is kept. Then uncovered positives get new rules.
    func optimized(_ ruleSet: [[RuleTest]], generator: inout SeededGenerator) -> [[RuleTest]] {
        var result = ruleSet
        for index in result.indices {
            let (grow, prune) = split(rows, generator: &generator)
            let others = result.enumerated().filter { $0.offset != index }.map(\.element)
            let othersCovered = fit.coverage(anyOf: others)
            let growRows = grow.filter { !othersCovered.contains($0) }
            let replacement = prunedForSet(grower.grow(from: [], rows: growRows, positive: positive), others: others, prune: prune)
            let revision = prunedForSet(grower.grow(from: result[index], rows: growRows, positive: positive), others: others, prune: prune)
            var best = result[index]
            var bestLength = descriptionLength(result)
            // Besides RIPPER's replacement and revision, the rule with one test dropped: a test chosen by
            // chance on one grow split can cost more exceptions than it saves.
            let generalizations = result[index].count > 1
                ? result[index].indices.map { drop in result[index].enumerated().filter { $0.offset != drop }.map(\.element) }
                : []
            for variant in [replacement, revision] + generalizations where !variant.isEmpty && variant != best {
                var candidate = result
                candidate[index] = variant
                let length = descriptionLength(candidate)
                if length < bestLength {
                    best = variant
                    bestLength = length
                }
            }
            result[index] = best
        }
        return irepStar(start: result, generator: &generator)
    }

    /// The prefix of `tests` that minimises the errors of `others` plus it on the prune rows.
    private func prunedForSet(_ tests: [RuleTest], others: [[RuleTest]], prune: [Int]) -> [RuleTest] {
        guard !tests.isEmpty else { return tests }
        var undecided: [Int] = []
        var baseErrors = 0
        let othersCovered = fit.coverage(anyOf: others)
        for row in prune {
            if othersCovered.contains(row) {
                if !positive[row] { baseErrors += 1 }
            } else {
                undecided.append(row)
            }
        }
        var best = tests
        var bestErrors = Int.max
        for length in 1...tests.count {
            let prefix = Array(tests.prefix(length))
            var errors = baseErrors
            for row in undecided {
                let covered = grower.covers(prefix, row)
                if covered != positive[row] { errors += 1 }
            }
            if errors < bestErrors {
                bestErrors = errors
                best = prefix
            }
        }
        return best
    }
}
