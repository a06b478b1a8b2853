@testable import Distill
import Foundation
import Testing

/// The pieces that fit surrogates on the network's own answers: drawn points, pruning by fidelity, the
/// row sets the rule learners count with, and the domain fidelity's interval.
struct OracleFidelityTests {
    /// A depth-4 tree fitted to noisy answers of a random tree, with validation rows and their answers.
    static func grownTree(seed: UInt64) -> (tree: DecisionTree, validation: Dataset, target: TreeTarget) {
        let task: PredictionTask = seed % 2 == 0 ? .classification : .regression
        let (random, data) = RandomTrees.make(seed: seed, task: task)
        var generator = SeededGenerator(seed: seed &+ 99)
        func answers(_ rows: Dataset) -> TreeTarget {
            switch task {
            case .classification:
                let classes = random.predictClasses(raw: rows.values, rows: rows.rows).map { label in
                    generator.nextInt(below: 5) == 0 ? generator.nextInt(below: random.outputs.count) : label
                }
                return .classes(classes, classCount: random.outputs.count)
            case .regression:
                let values = random.predictValues(raw: rows.values, rows: rows.rows).map { $0 + 3 * (generator.nextUnit() - 0.5) }
                return .values(values, outputs: random.outputs.count)
            }
        }
        let half = data.rows / 2
        let fitting = data.subset(Array(0..<half)), validation = data.subset(Array(half..<data.rows))
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 4)).fit(fitting, target: answers(fitting), outputs: random.outputs)
        return (tree, validation, answers(validation))
    }

    /// Validation score computed from the tree's own predictions: rows agreeing, or minus the squared error.
    static func score(_ tree: DecisionTree, _ rows: Dataset, _ target: TreeTarget) -> Double {
        switch target {
        case let .classes(classes, _):
            return Double(Agreement.matches(tree.predictClasses(raw: rows.values, rows: rows.rows), classes))
        case let .values(values, _):
            return -zip(tree.predictValues(raw: rows.values, rows: rows.rows), values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
    }

    /// Every pruning of the subtree at `node`: the sets of nodes turned into leaves.
    static func prunings(_ tree: DecisionTree, _ node: Int) -> [[Int]] {
        guard !tree.nodes[node].isLeaf else { return [[node]] }
        var result = [[node]]
        for left in prunings(tree, tree.nodes[node].left) {
            for right in prunings(tree, tree.nodes[node].right) { result.append(left + right) }
        }
        return result
    }

    @Test(arguments: 1...10 as ClosedRange<UInt64>)
    func pruningFindsTheMostFaithfulSubtreeOfEverySize(seed: UInt64) {
        let (tree, validation, target) = Self.grownTree(seed: seed)
        // Brute force: every pruning, scored by predicting with it.
        let all = Self.prunings(tree, 0).map { leaves -> (leaves: Int, score: Double) in
            var pruned = tree
            for node in leaves { pruned.nodes[node].split = nil }
            return (leaves.count, Self.score(pruned, validation, target))
        }
        for budget in 1...tree.leafCount {
            let pruned = FidelityPruning.prune(tree, maxLeaves: budget, validation: validation, target: target)
            let best = all.filter { $0.leaves <= budget }.map(\.score).max()!
            #expect(pruned.leafCount <= budget)
            // Regression: the best subtree, the smallest of them on ties. Classification: the smallest
            // subtree within one standard error of the best agreement, and the best of that size.
            var slack = 1e-9 * max(1, abs(best))
            if case .classes = target {
                let share = best / Double(validation.rows)
                slack = (Double(validation.rows) * share * (1 - share)).squareRoot()
            }
            let fewest = all.filter { $0.leaves <= budget && $0.score >= best - slack }.map(\.leaves).min()!
            let bestOfThatSize = all.filter { $0.leaves <= fewest }.map(\.score).max()!
            #expect(pruned.leafCount == fewest, "seed \(seed), budget \(budget)")
            #expect(abs(Self.score(pruned, validation, target) - bestOfThatSize) <= 1e-9 * max(1, abs(bestOfThatSize)), "seed \(seed), budget \(budget)")
        }
    }

    @Test func rowSetsCountAsTheirMembers() {
        var generator = SeededGenerator(seed: 5)
        for rows in [1, 63, 64, 65, 130, 1000] {
            let a = (0..<rows).filter { _ in generator.nextInt(below: 3) == 0 }, b = (0..<rows).filter { _ in generator.nextInt(below: 2) == 0 }
            let x = RowSet(rows: rows, members: a), y = RowSet(rows: rows, members: b)
            #expect(x.members == a)
            #expect((x | y).members == Array(Set(a).union(b)).sorted())
            #expect((x & y).members == Array(Set(a).intersection(b)).sorted())
            #expect((x - y).members == Array(Set(a).subtracting(b)).sorted())
            #expect(x.intersectionCount(y) == Set(a).intersection(b).count)
            #expect(RowSet.all(rows: rows).count == rows)
        }
    }

    @Test(arguments: 1...6 as ClosedRange<UInt64>)
    func ruleCoverageAndAgreementMatchRowByRowCounts(seed: UInt64) {
        let (tree, data) = RandomTrees.make(seed: seed * 2, task: .classification)
        let labels = tree.predictClasses(raw: data.values, rows: data.rows).map { ($0 + Int(seed)) % tree.outputs.count }
        let list = TreeRuleSimplifier.simplify(tree, data: data, labels: tree.predictClasses(raw: data.values, rows: data.rows),
                                               settings: RuleListSettings(ordered: seed % 2 == 0))
        let fit = RuleFitData(data: data, labels: labels, classCount: tree.outputs.count)
        for rule in list.rules {
            let expected = (0..<data.rows).filter { fit.covers(rule.tests, $0) }
            #expect(fit.coverage(rule.tests).members == expected)
        }
        // Agreement with the default recomputed as the majority of the rows the rules leave.
        let outcomes = list.outcomes(raw: data.values, rows: data.rows)
        var agreeing = 0, leftover = [Int](repeating: 0, count: tree.outputs.count)
        for (row, outcome) in outcomes.enumerated() {
            if outcome < list.rules.count {
                agreeing += list.rules[outcome].prediction == labels[row] ? 1 : 0
            } else {
                leftover[labels[row]] += 1
            }
        }
        let result = fit.agreement(list)
        let majority = leftover.reduce(0, +) > 0 ? leftover.indices.max { leftover[$0] < leftover[$1] || (leftover[$0] == leftover[$1] && $0 > $1) }! : list.defaultClass
        #expect(result.defaultClass == majority)
        #expect(result.agreeing == agreeing + leftover[majority])
    }

    @Test func wilsonIntervalMatchesTheScoreFormula() {
        // 81 of 263 (Wilson 1927's formula, evaluated independently in Python with z = 1.959963984540054):
        // (0.255289, 0.366210), as statsmodels' proportion_confint(81, 263, method="wilson") prints.
        let some = Agreement.wilson(81, 263), (low, high) = (some.low, some.high)
        #expect(abs(low - 0.2552885198782742) < 1e-12 && abs(high - 0.36620957698280004) < 1e-12)
        let zero = Agreement.wilson(0, 100), (zeroLow, zeroHigh) = (zero.low, zero.high)
        #expect(zeroLow == 0 && abs(zeroHigh - 0.03699349820698568) < 1e-12)
        let all = Agreement.wilson(100_000, 100_000), (allLow, allHigh) = (all.low, all.high)
        #expect(allHigh == 1 && abs(allLow - 0.999961586887417) < 1e-12)
    }

    @Test func jointKernelDrawsStayInTheRangeAndDoNotDependOnTheThreads() throws {
        // Rows at the edges of a narrow declared range: most attempts fall outside it, are drawn again,
        // and the eighth is clamped. Every draw stays in the range, and three blocks drawn side by side
        // give the draws of one thread.
        var generator = SeededGenerator(seed: 5)
        let n = 300
        var values: [Double] = []
        for _ in 0..<n { values += [generator.nextUnit() < 0.5 ? 0 : 1, generator.nextUnit(), 0.5 + 0.01 * generator.nextUnit()] }
        let schema = FeatureSchema(features: ["a", "b", "c"].map { Feature(name: $0, kind: .continuous(min: 0, max: 1), unit: nil) })
        let data = Dataset(schema: schema, rows: n, values: values)
        let kernel = try #require(JointKernel(distribution: InputDistribution(data: data), rows: data, spread: 4))
        let count = 2 * InputDistribution.drawBlock + 1
        let drawn = kernel.sample(count, rows: data, seed: 21)
        #expect(drawn.count == 3 * count)
        #expect(drawn.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Some draws were clamped to an edge, so the retries and the clamp both ran.
        #expect(drawn.contains(0) && drawn.contains(1))
        #expect(Parallelism.withThreads(1) { kernel.sample(count, rows: data, seed: 21) } == drawn)
        #expect(Parallelism.withThreads(3) { kernel.sample(count, rows: data, seed: 21) } == drawn)
        #expect(kernel.sample(count, rows: data, seed: 22) != drawn)
    }

    @Test func jointKernelDrawsHaveTheDataCovariancePlusTheKernels() throws {
        // Correlated two-feature data: the draws' covariance is the data's (divided by n) plus h² times the
        // unbiased one, with Scott's factor h = n^(-1/6).
        var generator = SeededGenerator(seed: 11)
        let n = 400
        var values: [Double] = []
        for _ in 0..<n {
            let a = InputDistribution.standardNormal(&generator), b = InputDistribution.standardNormal(&generator)
            values += [3 + 2 * a, -1 + 1.5 * a + 0.5 * b]
        }
        let schema = FeatureSchema(features: [Feature(name: "u", kind: .continuous(min: -1e6, max: 1e6), unit: nil),
                                              Feature(name: "v", kind: .continuous(min: -1e6, max: 1e6), unit: nil)])
        let data = Dataset(schema: schema, rows: n, values: values)
        let kernel = try #require(JointKernel(distribution: InputDistribution(data: data), rows: data))
        let count = 200_000
        let drawn = kernel.sample(count, rows: data, seed: 3)
        func covariance(_ x: [Double], _ rows: Int, unbiased: Bool) -> [Double] {
            var mean = [0.0, 0.0]
            for row in 0..<rows { for f in 0..<2 { mean[f] += x[2 * row + f] / Double(rows) } }
            var sums = [0.0, 0.0, 0.0]
            for row in 0..<rows {
                let a = x[2 * row] - mean[0], b = x[2 * row + 1] - mean[1]
                sums[0] += a * a
                sums[1] += a * b
                sums[2] += b * b
            }
            return sums.map { $0 / Double(unbiased ? rows - 1 : rows) }
        }
        let h2 = pow(Double(n), -1.0 / 3)
        let expected = zip(covariance(values, n, unbiased: false), covariance(values, n, unbiased: true)).map { $0 + h2 * $1 }
        for (measured, wanted) in zip(covariance(drawn, count, unbiased: false), expected) {
            #expect(abs(measured - wanted) < 0.02 * max(abs(wanted), 1))
        }
    }

    @Test func linearLeavesRecoverAPiecewiseLinearTargetExactly() {
        // y = 3 + 2 a - 0.5 b where c <= 0, and y = -1 + 4 b where c > 0: two linear leaves, split on c. Half
        // the rows have c in [-10, -1], half in [1, 10], so the median candidate threshold is in the gap.
        var generator = SeededGenerator(seed: 21)
        let schema = FeatureSchema(features: ["a", "b", "c", "d"].map { Feature(name: $0, kind: .continuous(min: -10, max: 10), unit: nil) })
        var values: [Double] = [], targets: [Double] = []
        for index in 0..<3000 {
            var row = (0..<4).map { _ in generator.nextUnit() * 20 - 10 }
            row[2] = (index % 2 == 0 ? -1 : 1) * (1 + 9 * generator.nextUnit())
            values += row
            targets.append(row[2] <= 0 ? 3 + 2 * row[0] - 0.5 * row[1] : -1 + 4 * row[1])
        }
        let data = Dataset(schema: schema, rows: 3000, values: values)
        // Four terms allowed for four inputs: the split search is then exact for the leaves' models.
        let fitter = LinearLeafFitter(maxTerms: 4)
        let grown = LinearTreeBuilder(settings: TreeSettings(maxLeaves: 2), fitter: fitter).fit(data, targets: targets, outputs: ["y"])
        let tree = fitter.fit(grown, data: data, targets: targets)
        #expect(tree.leafCount == 2)
        #expect(tree.nodes[0].split?.feature == 2)
        let left = tree.nodes[tree.nodes[0].left].models[0], right = tree.nodes[tree.nodes[0].right].models[0]
        // The rounded coefficients are the exact ones; a further term would add nothing.
        #expect(left.intercept == 3 && right.intercept == -1)
        #expect(left.terms.sorted { $0.feature < $1.feature } == [LinearTerm(feature: 0, coefficient: 2), LinearTerm(feature: 1, coefficient: -0.5)])
        #expect(right.terms == [LinearTerm(feature: 1, coefficient: 4)])
        let predicted = tree.predictValues(raw: values, rows: 3000)
        #expect(zip(predicted, targets).allSatisfy { abs($0 - $1) < 1e-9 })
    }

    /// The models a tree with linear leaves keeps in its nodes while growing are those
    /// `LinearLeafFitter.fit` gives the grown tree, bit for bit, categorical inputs and ties included.
    @Test func linearTreeNodesKeepTheirRowsModels() {
        var generator = SeededGenerator(seed: 8)
        let schema = FeatureSchema(features: ["a", "b", "c", "d", "e"].map { Feature(name: $0, kind: .continuous(min: -3, max: 3), unit: nil) }
            + [Feature(name: "kind", kind: .categorical(values: ["p", "q", "r", "s"]))])
        var values: [Double] = [], targets: [Double] = []
        for _ in 0..<4000 {
            var row = (0..<5).map { _ in (generator.nextUnit() * 60).rounded() / 10 - 3 }
            row.append(Double(generator.nextInt(below: 4)))
            values += row
            targets.append(3 * sin(row[0]) + row[1] * row[2] + (row[3] > 0 ? 2 : 0) + [0, 1.5, -1, 0.5][Int(row[5])] + 0.2 * row[4])
        }
        let data = Dataset(schema: schema, rows: 4000, values: values)
        let builder = LinearTreeBuilder(settings: TreeSettings(maxLeaves: 24, minSamplesLeaf: 5), fitter: LinearLeafFitter(maxTerms: 2))
        let tree = builder.fit(data, targets: targets, outputs: ["y"])
        #expect(tree.leafCount == 24)
        #expect(tree.nodes.contains { if case .categories = $0.split?.test { return true } else { return false } })
        #expect(tree.nodes.allSatisfy { !$0.models.isEmpty })
        #expect(LinearLeafFitter(maxTerms: 2).fit(tree, data: data, targets: targets) == tree)
    }
}
