@testable import Distill
import Foundation
import Testing

/// Attribution methods against closed forms on a linear network, LRP conservation, Morris and permutation
/// on known functions, and the sample networks' rankings.
struct SensitivityTests {
    /// y = 2 x0 - 3 x1 + 0.5 x2 (+ bias), identity activation: a linear regression network.
    static func linear(bias: Double) -> Network {
        let schema = FeatureSchema(features: (0..<3).map { Feature(name: "x\($0)", kind: .continuous(min: -1, max: 1)) })
        return Network(name: "linear", task: .regression, schema: schema, outputs: ["y"], preprocessing: [],
                       layers: [.dense(DenseLayer(units: 1, inputs: 3, weights: [2, -3, 0.5], bias: [bias], activation: .identity))])
    }

    @Test func closedFormsOnALinearNetwork() {
        let network = Self.linear(bias: 0)
        let x: [Double] = [0.3, -0.7, 0.9]
        let baseline: [Double] = [0.1, 0.2, -0.4]
        #expect(NetworkGradient(network: network).gradient(encoded: x, target: 0).gradients == [2, -3, 0.5])
        let data = Dataset(schema: network.schema, rows: 1, values: x)
        let integrated = Attributions(network: network).integratedGradients(data, baseline: baseline, target: 0, steps: 16)
        let (ig, gap) = (integrated.attributions, integrated.gap)
        let expected = [2 * (0.3 - 0.1), -3 * (-0.7 - 0.2), 0.5 * (0.9 + 0.4)]
        for (a, b) in zip(ig, expected) { #expect(abs(a - b) < 1e-12) }
        #expect(gap < 1e-12)
        // LRP-epsilon without a bias: w_i x_i, summing to the output.
        let result = LayerwiseRelevance(network: network).relevance(encoded: x, target: 0)
        let (relevance, total) = (result.input, result.total)
        for (r, e) in zip(relevance, [2 * 0.3, -3 * -0.7, 0.5 * 0.9]) { #expect(abs(r - e) < 1e-8) }
        #expect(abs(relevance.reduce(0, +) - total) < 1e-8)
    }

    /// Every integration rule against the same sum written out by hand on y = tanh(1.5 x + 0.2): nodes and
    /// weights as Captum defines them (left, right, middle, trapezoid) and the completeness gap it implies.
    @Test(arguments: IntegrationRule.allCases)
    func integrationRulesMatchTheirSumsOnATanhUnit(rule: IntegrationRule) {
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: -2, max: 2))])
        let network = Network(name: "tanh", task: .regression, schema: schema, outputs: ["y"], preprocessing: [],
                              layers: [.dense(DenseLayer(units: 1, inputs: 1, weights: [1.5], bias: [0.2], activation: .tanh))])
        let x = 1.3, start = -0.8, steps = 16
        let slope = { (t: Double) in 1.5 * (1 - pow(tanh(1.5 * t + 0.2), 2)) }
        let h = 1 / Double(steps)
        let byHand: [(Double, Double)]
        switch rule {
        case .riemannLeft: byHand = (0..<steps).map { (Double($0) * h, h) }
        case .riemannRight: byHand = (1...steps).map { (Double($0) * h, h) }
        case .riemannMiddle: byHand = (0..<steps).map { (Double($0) * h + h / 2, h) }
        case .riemannTrapezoid:
            byHand = (0..<steps).map { k -> (Double, Double) in
                let weight: Double = k == 0 || k == 15 ? 1.0 / 30 : 1.0 / 15
                return (Double(k) / 15, weight)
            }
        case .gaussLegendre:
            // Two panels of the 8-point rule (nodes and weights from numpy.polynomial.legendre.leggauss(8)).
            let nodes = [-0.9602898564975362, -0.7966664774136267, -0.525532409916329, -0.1834346424956498,
                         0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975362]
            let weights = [0.1012285362903771, 0.2223810344533744, 0.3137066458778869, 0.3626837833783617,
                           0.3626837833783617, 0.3137066458778869, 0.2223810344533744, 0.1012285362903771]
            byHand = [0.0, 0.5].flatMap { low in zip(nodes, weights).map { (low + 0.25 * ($0.0 + 1), 0.25 * $0.1) } }
        }
        let expected = (x - start) * byHand.reduce(0) { $0 + $1.1 * slope(start + $1.0 * (x - start)) }
        let data = Dataset(schema: schema, rows: 1, values: [x])
        let result = Attributions(network: network).integratedGradients(data, baseline: [start], target: 0, steps: steps, rule: rule)
        let (attributions, gap) = (result.attributions, result.gap)
        #expect(abs(attributions[0] - expected) < 1e-12, "\(rule)")
        let change = tanh(1.5 * x + 0.2) - tanh(1.5 * start + 0.2)
        #expect(abs(gap - abs(expected - change) / abs(change)) < 1e-9, "\(rule)")
    }

    @Test func lrpConservesRelevanceThroughReLULayers() throws {
        // A bias-free ReLU network: relevance is conserved layer by layer (epsilon -> 0), and with z+ too.
        var generator = SeededGenerator(seed: 2)
        func random(_ count: Int) -> [Double] { (0..<count).map { _ in generator.nextUnit() * 2 - 1 } }
        let schema = FeatureSchema(features: (0..<4).map { Feature(name: "x\($0)", kind: .continuous(min: 0, max: 1)) })
        let hidden = Layer.dense(DenseLayer(units: 6, inputs: 4, weights: random(24), bias: [Double](repeating: 0, count: 6), activation: .relu))
        let last = Layer.dense(DenseLayer(units: 2, inputs: 6, weights: random(12), bias: [0, 0], activation: .softmax))
        let network = Network(name: "relu", task: .classification, schema: schema, outputs: ["a", "b"], preprocessing: [],
                              layers: [hidden, last])
        for rule in LayerwiseRelevance.Rule.allCases {
            let lrp = LayerwiseRelevance(network: network, rule: rule)
            for _ in 0..<20 {
                let x = (0..<4).map { _ in generator.nextUnit() }
                let result = lrp.relevance(encoded: x, target: 1)
        let (relevance, total) = (result.input, result.total)
                #expect(abs(relevance.reduce(0, +) - total) < 1e-6 * max(1, abs(total)), "\(rule)")
            }
        }
    }

    @Test func gaussLegendreIntegratesPolynomialsExactly() {
        let rule = Attributions.gaussLegendre(8)
        #expect(abs(rule.reduce(0) { $0 + $1.weight } - 1) < 1e-14)
        // 8 points integrate degree 15 exactly: the integral of x^15 on [0, 1] is 1/16.
        #expect(abs(rule.reduce(0) { $0 + $1.weight * pow($1.node, 15) } - 1.0 / 16) < 1e-14)
    }

    @Test func morrisRanksALinearFunction() {
        // f = 4 u0 + 1 u1 + 0 u2: elementary effects are exactly the slopes, sigma zero.
        let linear: ([Double], Int) -> [Double] = { rows, count in
            (0..<count).map { (row: Int) -> Double in 4 * rows[row * 3] + rows[row * 3 + 1] }
        }
        let result = MorrisScreening.screen(dimensions: 3, trajectories: 10, seed: 1, model: linear)
        #expect(abs(result[0].muStar - 4) < 1e-12 && abs(result[1].muStar - 1) < 1e-12 && result[2].muStar == 0)
        #expect(result.allSatisfy { $0.sigma < 1e-12 })
    }

    // Penguins is left out: there the decisions hinge on island (permutation) while P(Adelie) varies most
    // with bill length (Sobol'), two different questions with two different answers.
    @Test(arguments: ["iris", "breast_cancer"])
    func permutationAndSobolTotalAgreeOnTheTopFeature(sample: String) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample(sample, "train.csv"), network: network, label: nil)
        var options = SensitivityAnalysis.Options()
        options.methods = [.permutation, .sobol, .ig]
        let analysis = try SensitivityAnalysis.run(network: network, modelPath: sample, data: data, options: options)
        let top = Dictionary(uniqueKeysWithValues: analysis.rankings.map { ($0.method, $0.scores.first?.feature) })
        #expect(top["permutation"] == top["sobol_total"], "\(sample): \(top)")
        // The completeness gap of integrated gradients at the default steps is below 1e-3 of the change.
        let gaps = analysis.notes.compactMap { note -> Double? in
            if case let .completenessGap(gap, _, _, _) = note { return gap } else { return nil }
        }
        #expect(gaps.count == 1 && gaps[0] < 1e-3, "\(sample): \(gaps)")
    }
}

/// `--features top:K`: the surrogate uses only the K most important inputs and says what that costs.
/// The per-row methods' seeded sample of rows (`explainRows`) and the intervals of their means.
struct ExplainedRowsTests {
    @Test func meanIntervalsMatchAHandComputation() {
        // Column 0: 1, 2, 3, 4: mean 2.5, sample sd sqrt(5/3), standard error sqrt(5/3)/2; column 1 constant.
        let intervals = MeanIntervals.of([1, 7, 2, 7, 3, 7, 4, 7], rows: 4, means: [2.5, 7])
        let half = 1.96 * (5.0 / 3).squareRoot() / 2
        #expect(abs(intervals[0].low - (2.5 - half)) < 1e-12 && abs(intervals[0].high - (2.5 + half)) < 1e-12)
        #expect(intervals[1] == Interval(7, 7))
        #expect(MeanIntervals.of([3, 5], rows: 1, means: [3, 5]) == [Interval(3, 3), Interval(5, 5)])
    }

    @Test func aSampleOfRowsIsExplainedAndItsIntervalsHoldTheWholeMean() throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("breast_cancer", "model.json"))
        let data = try DatasetLoader.load(path: Fixtures.sample("breast_cancer", "train.csv"), network: network, label: nil)
        var options = SensitivityAnalysis.Options()
        options.methods = [.gradient, .ig, .lrp]
        options.integrationSteps = 16
        let whole = try SensitivityAnalysis.run(network: network, modelPath: "bc", data: data, options: options)
        #expect(whole.explainedRows == data.rows && whole.rows == data.rows)
        options.explainRows = 60
        let sampled = try SensitivityAnalysis.run(network: network, modelPath: "bc", data: data, options: options)
        #expect(sampled.explainedRows == 60 && sampled.rows == data.rows)
        #expect(SensitivityReport.sampleText(sampled)?.hasPrefix("per-row methods (gradients, integrated gradients, LRP, permutation) over 60 of \(data.rows) rows") == true)
        #expect(SensitivityReport.sampleText(whole) == nil)
        // The sample is seeded: the same rankings again.
        let again = try SensitivityAnalysis.run(network: network, modelPath: "bc", data: data, options: options)
        #expect(again.rankings.map(\.scores) == sampled.rankings.map(\.scores))
        for method in ["saliency", "gradient_x_input", "integrated_gradients", "lrp"] {
            let all = try #require(whole.rankings.first { $0.method == method })
            let part = try #require(sampled.rankings.first { $0.method == method })
            var outside = 0
            for score in part.scores {
                let interval = try #require(score.interval)
                let truth = try #require(all.scores.first { $0.feature == score.feature }).value
                #expect(interval.low <= score.value && score.value <= interval.high)
                // A 95% interval of a mean over 60 of 426 rows: the whole mean lies outside for few features.
                if truth < interval.low || truth > interval.high { outside += 1 }
            }
            #expect(outside <= 6, "\(method): the whole-data mean lies outside \(outside) of 30 intervals")
        }
    }
}

struct FeatureSelectionTests {
    /// A classifier whose decision never changes (class a's logit leads by at least 10) but whose
    /// probabilities follow x3 and, less, x1: every input's share of changed decisions is 0, and the
    /// ranking orders them by how far the probabilities move (x3, x1, then x0 and x2, which move nothing,
    /// in schema order). Ranked by index alone, `top(2)` would keep x0 and x1.
    @Test func inputsThatChangeNoDecisionAreRankedByHowFarTheOutputMoves() {
        let schema = FeatureSchema(features: (0..<4).map { Feature(name: "x\($0)", kind: .continuous(min: 0, max: 1)) })
        let layer = Layer.dense(DenseLayer(units: 2, inputs: 4, weights: [0, 0.5, 0, 1, 0, 0, 0, 0], bias: [10, 0], activation: .softmax))
        let network = Network(name: "n", task: .classification, schema: schema, outputs: ["a", "b"], preprocessing: [], layers: [layer])
        var generator = SeededGenerator(seed: 9)
        let data = Dataset(schema: schema, rows: 400, values: (0..<1600).map { _ in generator.nextUnit() })
        let scores = PermutationImportance.measure(network: network, data: data)
        #expect(scores.allSatisfy { $0.mean == 0 })
        #expect(scores[0].shift == 0 && scores[2].shift == 0)
        // P(b) = 1 / (1 + e^(10 + 0.5 x1 + x3)) is near e^-10 (4.5e-5): its changes are of that order.
        #expect(scores[3].shift > scores[1].shift && scores[1].shift > 1e-7 && scores[3].shift < 1e-4)
        #expect(PermutationImportance.ranking(scores) == [3, 1, 0, 2])
        #expect(FeatureSelection.top(2).chosen(scores) == [3, 1])
        #expect(FeatureSelection.minImportance(0.1).chosen(scores) == [3], "none reach the share: the first is kept")
    }

    @Test(arguments: [SurrogateKind.tree, .oracleTree, .rules, .ripper])
    func droppedFeaturesNeverAppear(kind: SurrogateKind) throws {
        let network = try ModelDecoder.load(path: Fixtures.sample("breast_cancer", "model.json"))
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample("breast_cancer", "train.csv"),
                                                     testPath: Fixtures.sample("breast_cancer", "test.csv")))
        options.kind = kind
        options.features = .top(3)
        options.minOracleSamples = 200
        let extraction = try Extraction.run(network: network, modelPath: "breast_cancer", options: options)
        let selection = try #require(extraction.selection)
        #expect(selection.kept.count == 3 && selection.dropped.count == 27)
        let listing = RuleListing.render(extraction, command: "distill")
        let rules = listing.split(separator: "\n").filter { $0.hasPrefix("R") }
        for name in selection.dropped { #expect(!rules.contains { $0.contains(name) }, "\(kind): \(name) used") }
        #expect(listing.contains("keeping these costs"))
    }
}

struct NeuronStatisticsTests {
    @Test func deadAndConstantNeuronsShowAsSuch() {
        // Hidden unit 0 is dead (bias -10 on inputs in [0, 1]), unit 1 constant (zero weights, bias 2),
        // unit 2 follows x0; the output weights out of them are 5, 7 and 3.
        let schema = FeatureSchema(features: [Feature(name: "x0", kind: .continuous(min: 0, max: 1))])
        let hidden = Layer.dense(DenseLayer(units: 3, inputs: 1, weights: [1, 0, 1], bias: [-10, 2, 0], activation: .relu))
        let output = Layer.dense(DenseLayer(units: 1, inputs: 3, weights: [5, 7, 3], bias: [0], activation: .identity))
        let network = Network(name: "n", task: .regression, schema: schema, outputs: ["y"], preprocessing: [], layers: [hidden, output])
        let values: [Double] = [0.1, 0.3, 0.5, 0.7, 0.9]
        let stats = NeuronStatistics.measure(network: network, data: Dataset(schema: schema, rows: 5, values: values)).neurons
        #expect(stats.count == 3)
        #expect(stats[0].activeShare == 0 && stats[0].variance == 0 && stats[0].contribution == 0)
        #expect(stats[1].activeShare == 1 && abs(stats[1].mean - 2) < 1e-12 && stats[1].variance < 1e-24)
        // Unit 2: mean 0.5, population variance 0.08, contribution sqrt(0.08) * 3.
        #expect(abs(stats[2].mean - 0.5) < 1e-12 && abs(stats[2].variance - 0.08) < 1e-12)
        #expect(abs(stats[2].contribution - 0.08.squareRoot() * 3) < 1e-12)
    }

    /// Over more rows than one block: unit u of the hidden layer is relu(x - u / 10) on x = 0, 1/n, ...,
    /// (n - 1)/n, whose mean, variance and active share are sums over the grid, computed here directly.
    @Test func statisticsOverManyBlocksMatchTheGridSums() {
        let n = 2 * NeuronStatistics.blockRows + 123
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 1))])
        let units = 4
        let hidden = Layer.dense(DenseLayer(units: units, inputs: 1, weights: [Double](repeating: 1, count: units),
                                            bias: (0..<units).map { -Double($0) / 10 }, activation: .relu))
        let output = Layer.dense(DenseLayer(units: 1, inputs: units, weights: [Double](repeating: 1, count: units), bias: [0], activation: .identity))
        let network = Network(name: "n", task: .regression, schema: schema, outputs: ["y"], preprocessing: [], layers: [hidden, output])
        let xs = (0..<n).map { Double($0) / Double(n) }
        let stats = NeuronStatistics.measure(network: network, data: Dataset(schema: schema, rows: n, values: xs)).neurons
        #expect(stats.count == units)
        for unit in 0..<units {
            let a = xs.map { max($0 - Double(unit) / 10, 0) }
            let mean = a.reduce(0, +) / Double(n)
            let variance = a.reduce(0) { $0 + $1 * $1 } / Double(n) - mean * mean
            #expect(abs(stats[unit].mean - mean) < 1e-12 && abs(stats[unit].variance - variance) < 1e-12)
            #expect(stats[unit].activeShare == Double(a.filter { $0 > 0 }.count) / Double(n))
        }
    }
}
