import Foundation
import Testing
@testable import Distill

/// The bounds behind certified rules, checked against dense sampling, and the certifier against a
/// network whose decision is known in closed form.
struct CertificationTests {
    static let activations: [Activation] = [.identity, .relu, .leakyReLU(alpha: 0.1), .leakyReLU(alpha: -0.3), .sigmoid, .tanh,
                                            .elu(alpha: 1), .elu(alpha: 1.7), .gelu, .softplus, .silu, .selu,
                                            .hardSigmoid(alpha: 0.2), .hardSigmoid(alpha: -0.5)]

    /// Every sampled point of every interval lies between the relaxation's two lines and within its range.
    @Test(arguments: activations)
    func relaxationsHoldAtEverySampledPoint(_ activation: Activation) {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let a = Double.random(in: -8...8, using: &generator), b = a + Double.random(in: 0...6, using: &generator)
            let relaxation = ActivationRelaxation(activation, l: a, u: b)
            let range = ActivationRelaxation.range(activation, l: a, u: b)
            for step in 0...400 {
                let x = a + (b - a) * Double(step) / 400
                let y = activation.scalar(x)
                #expect(relaxation.lowerSlope * x + relaxation.lower <= y && y <= relaxation.slope * x + relaxation.upper,
                        "\(activation) on [\(a), \(b)] at \(x)")
                #expect(range.lower <= y && y <= range.upper, "\(activation) range on [\(a), \(b)] at \(x)")
            }
        }
    }

    /// Where tanh, the sigmoid and ELU are inverted in closed form, f' at the root is the slope asked for,
    /// on the side asked for; and the relaxation's offsets are g = f − slope·x's extremes on a fine grid,
    /// to within the rounding margin (neither looser nor tighter).
    @Test(arguments: [Activation.tanh, .sigmoid, .elu(alpha: 1), .elu(alpha: 1.7)])
    func closedFormRootsMatchTheDerivative(_ activation: Activation) throws {
        var generator = SeededGenerator(seed: 11)
        // The largest slope f' takes below 0 (α for ELU, 1 for tanh, 1/4 for the sigmoid).
        let top = activation.derivative(-1e-300)
        for _ in 0..<200 {
            let slope = Double.random(in: 1e-6...top, using: &generator) * 0.999
            for negative in [true, false] {
                guard let root = ActivationRelaxation.inverseDerivative(activation, slope: slope, negative: negative) else {
                    #expect(!negative && activation != .tanh && activation != .sigmoid, "\(activation) slope \(slope)")
                    continue
                }
                #expect(negative ? root < 0 : root > 0)
                #expect(abs(activation.derivative(root) - slope) <= 1e-9 * slope, "\(activation) slope \(slope) root \(root)")
            }
        }
        for _ in 0..<100 {
            let a = Double.random(in: -8...4, using: &generator), b = a + Double.random(in: 0.5...6, using: &generator)
            let relaxation = ActivationRelaxation(activation, l: a, u: b)
            // The grid and the kink at 0 (between grid points g can peak there, as ELU's does).
            let grid = (0...20_000).map { a + (b - a) * Double($0) / 20_000 } + (a < 0 && b > 0 ? [0] : [])
            let g = grid.map { activation.scalar($0) - relaxation.slope * $0 }
            let (low, high) = (g.min()!, g.max()!)
            #expect(relaxation.upper >= high && relaxation.upper - high < 1e-6, "\(activation) on [\(a), \(b)]")
            if relaxation.lowerSlope == relaxation.slope { #expect(relaxation.lower <= low && low - relaxation.lower < 1e-6, "\(activation) on [\(a), \(b)]") }
        }
    }

    /// Back-substitution's rounding margin covers cancellation: two linear layers whose products are near
    /// 3e8 and cancel to a margin near 0 (rounding each by up to 3e-8). The network's margin is −1e-12 at
    /// x = 1 in real arithmetic, so no lower bound over the box [1, 1] may be positive.
    @Test func roundingInCancellingSumsIsCovered() {
        for k in 1..<40 {
            let (w1, w2) = (1e8 + 0.1 * Double(k), 1e8 + 0.07 * Double(k))
            // w − 1e8 is exact (Sterbenz), so the margin's slope 3 (d1 + d2) is known to about 1e-16.
            let slope = 3 * ((w1 - 1e8) + (w2 - 1e8)), offset = slope + 1e-12
            let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 2))])
            let network = Network(name: "cancelling", task: .classification, schema: schema, outputs: ["a", "b"], preprocessing: [], layers: [
                .dense(DenseLayer(units: 4, inputs: 1, weights: [w1, 1e8, w2, 1e8], bias: [0, 0, 0, 0], activation: .identity)),
                .dense(DenseLayer(units: 2, inputs: 4, weights: [3, -3, 3, -3, 0, 0, 0, 0], bias: [-offset, 0], activation: .softmax))])
            let chain = BoundChain(network: network)
            let (objective, constant, rows) = chain.classMargins(0)
            let bound = NetworkBounds(chain: chain, lower: [1], upper: [1]).bound(objective: objective, offset: constant, rows: rows)
            #expect(bound.lower.allSatisfy { $0 <= 0 }, "w1 \(w1), w2 \(w2): lower bound \(bound.lower) of a margin of -1e-12")
        }
    }

    /// A random regression network (two hidden layers of `activation`, a batch norm, standardised inputs).
    static func network(_ activation: Activation, seed: UInt64, outputs: Int = 3, task: PredictionTask = .regression) -> Network {
        var generator = SeededGenerator(seed: seed)
        func values(_ count: Int, _ scale: Double) -> [Double] { (0..<count).map { _ in Double.random(in: -scale...scale, using: &generator) } }
        let features = (0..<3).map { Feature(name: "x\($0)", kind: .continuous(min: -2, max: 2)) }
        let layers: [Layer] = [
            .dense(DenseLayer(units: 8, inputs: 3, weights: values(24, 1.2), bias: values(8, 0.5), activation: activation)),
            .batchNorm(BatchNormLayer(gamma: values(8, 1.5), beta: values(8, 0.3), mean: values(8, 0.2),
                                      variance: values(8, 1).map { abs($0) + 0.1 }, epsilon: 1e-5)),
            .dense(DenseLayer(units: 6, inputs: 8, weights: values(48, 1), bias: values(6, 0.5), activation: activation)),
            .dense(DenseLayer(units: outputs, inputs: 6, weights: values(6 * outputs, 1), bias: values(outputs, 0.5),
                              activation: task == .classification ? .softmax : .identity)),
        ]
        return Network(name: "random", task: task, schema: FeatureSchema(features: features),
                       outputs: (0..<outputs).map { "y\($0)" },
                       preprocessing: [.standardize(mean: values(3, 0.5), std: values(3, 1).map { abs($0) + 0.5 })], layers: layers)
    }

    /// No sampled output of a random network in a random box falls outside the bounds, with the hidden
    /// layers bounded by back-substitution or by interval arithmetic alone, for every activation.
    @Test(arguments: activations)
    func networkBoundsHoldInRandomBoxes(_ activation: Activation) {
        var generator = SeededGenerator(seed: 11)
        for seed in 1...6 {
            let network = Self.network(activation, seed: UInt64(seed))
            let chain = BoundChain(network: network)
            let evaluator = NetworkEvaluator(network: network, kernel: .reference)
            for _ in 0..<5 {
                let low = (0..<3).map { _ in Double.random(in: -2...1.5, using: &generator) }
                let high = low.map { $0 + Double.random(in: 0.01...1.5, using: &generator) }
                let identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
                let linear = NetworkBounds(chain: chain, lower: low, upper: high).bound(objective: identity, offset: [0, 0, 0], rows: 3)
                let interval = NetworkBounds(chain: chain, lower: low, upper: high, linearWidthLimit: 0)
                    .bound(objective: identity, offset: [0, 0, 0], rows: 3)
                var raw: [Double] = []
                for _ in 0..<2000 { for column in 0..<3 { raw.append(Double.random(in: low[column]...high[column], using: &generator)) } }
                let output = evaluator.evaluate(raw: raw, rows: 2000)
                for row in 0..<2000 {
                    for unit in 0..<3 {
                        #expect(output[row, unit] >= linear.lower[unit] && output[row, unit] <= linear.upper[unit],
                                "\(activation) network \(seed) output \(unit)")
                        #expect(output[row, unit] >= interval.lower[unit] && output[row, unit] <= interval.upper[unit])
                    }
                }
            }
        }
    }

    /// A single unit says class 1 where 2x − 1 is positive (the pre-activation of a sigmoid unit; any
    /// other unit's output, read as a logit): certified on either side of x = 0.5, neither across it.
    @Test func aSingleUnitIsReadByItsSign() {
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 1))])
        for activation in [Activation.sigmoid, .identity] {
            let network = Network(name: "unit", task: .classification, schema: schema, outputs: ["no", "yes"], preprocessing: [],
                                  layers: [.dense(DenseLayer(units: 1, inputs: 1, weights: [2], bias: [-1], activation: activation))])
            let chain = BoundChain(network: network)
            #expect(chain.threshold == 0)
            // The evaluator's own reading: class 1 beyond x = 0.5.
            #expect(NetworkEvaluator(network: network).evaluate(raw: [0.49, 0.51], rows: 2).predictedClasses == [0, 1])
            func certified(_ low: Double, _ high: Double, _ classIndex: Int) -> Bool {
                let margins = chain.classMargins(classIndex)
                return NetworkBounds(chain: chain, lower: [low], upper: [high])
                    .bound(objective: margins.objective, offset: margins.offset, rows: margins.rows).lower.allSatisfy { $0 > 0 }
            }
            let high = (0.51, 0.9), low = (0.1, 0.49)
            #expect(certified(high.0, high.1, 1) && !certified(high.0, high.1, 0))
            #expect(certified(low.0, low.1, 0) && !certified(low.0, low.1, 1))
            #expect(!certified(0.3, 0.8, 0) && !certified(0.3, 0.8, 1))
        }
    }

    /// A regression network whose output is 2x on [0, 1], as a depth-2 tree of constant leaves: a box
    /// is certified exactly when 2x stays within the tolerance of its leaf's value over all of it.
    @Test func regressionRulesHoldWithinTheTolerance() throws {
        let schema = FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 1))])
        let network = Network(name: "double", task: .regression, schema: schema, outputs: ["y"], preprocessing: [],
                              layers: [.dense(DenseLayer(units: 1, inputs: 1, weights: [2], bias: [0], activation: .identity))])
        var generator = SeededGenerator(seed: 9)
        let points = (0..<5000).map { _ in Double.random(in: 0...1, using: &generator) }
        let measure = (0..<5000).map { _ in Double.random(in: 0...1, using: &generator) }
        let data = Dataset(schema: schema, rows: 5000, values: points)
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 2)).fit(data, target: OracleSample.label(data, by: network), outputs: ["y"])
        var options = RuleCertifier.Options()
        options.tolerance = 0.2
        let result = try #require(RuleCertifier(network: network, surrogate: .tree(tree), domain: RawBox(domainOf: schema, rows: points),
                                                points: points, measure: measure).certify(options))
        let leaves = tree.leaves(raw: measure, rows: 5000)
        for (rule, listed) in zip(result.rules, TreeRules.rules(of: tree)) {
            let value = rule.region.values[0]
            for box in rule.certifiedBoxes {
                #expect(2 * box.lower[0] >= value - 0.2 && 2 * box.upper[0] <= value + 0.2, "\(rule.region.name) value \(value): \(box)")
            }
            // The share of the rule's measuring points within the tolerance, worked out directly.
            let mine = (0..<5000).filter { leaves[$0] == listed.leaf }
            let truth = Double(mine.filter { abs(2 * measure[$0] - value) <= 0.2 }.count) / Double(max(mine.count, 1))
            #expect(rule.certifiedMass <= truth + 1e-12 && rule.certifiedMass >= truth - 0.05, "\(rule.region.name): \(rule.certifiedMass) vs \(truth)")
        }
    }

    /// Logits x − y and y − x after a ReLU, on the unit square: class 0 ("x wins") exactly where x > y.
    static let diagonal = Network(name: "diagonal", task: .classification,
                                  schema: FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: 0, max: 1)),
                                                                   Feature(name: "y", kind: .continuous(min: 0, max: 1))]),
                                  outputs: ["x wins", "y wins"], preprocessing: [], layers: [
                                    .dense(DenseLayer(units: 2, inputs: 2, weights: [1, -1, -1, 1], bias: [0, 0], activation: .relu)),
                                    .dense(DenseLayer(units: 2, inputs: 2, weights: [1, 0, 0, 1], bias: [0, 0], activation: .softmax))])

    /// From a point where x wins, the search crosses the diagonal inside the box, and finds nothing in
    /// a box where x wins everywhere.
    @Test func gradientSearchCrossesTheDecisionBoundary() throws {
        var box = RawBox(domainOf: Self.diagonal.schema, rows: [])
        (box.lower, box.upper) = ([0.4, 0.45], [0.6, 0.58])
        let found = try #require(CounterexampleSearch(network: Self.diagonal).search(in: box, classIndex: 0, starts: [[0.6, 0.45]]))
        #expect(found.inputs[0] < found.inputs[1], "\(found.inputs)")
        #expect(box.lower[0] <= found.inputs[0] && found.inputs[0] <= box.upper[0] && box.lower[1] <= found.inputs[1] && found.inputs[1] <= box.upper[1])
        #expect(found.outputs[1] > found.outputs[0])
        (box.lower, box.upper) = ([0.6, 0.1], [0.9, 0.5])
        #expect(CounterexampleSearch(network: Self.diagonal).search(in: box, classIndex: 0, starts: [[0.7, 0.2]]) == nil)
    }

    /// The diagonal network (`diagonal`). Every certified box of a tree
    /// surrogate lies where the truth is its class (checked in closed form), the refuted mass is at least
    /// the truly disagreeing share, and with the budget the certified mass comes within 3 points of the
    /// true agreement.
    @Test func certifiedBoxesMatchAClosedFormDecision() throws {
        let network = Self.diagonal
        var generator = SeededGenerator(seed: 3)
        let points = (0..<40_000).map { _ in Double.random(in: 0...1, using: &generator) }
        let measure = (0..<40_000).map { _ in Double.random(in: 0...1, using: &generator) }
        let data = Dataset(schema: network.schema, rows: 20_000, values: points)
        let tree = TreeBuilder(settings: TreeSettings(maxDepth: 3)).fit(data, target: OracleSample.label(data, by: network), outputs: network.outputs)
        let domain = RawBox(domainOf: network.schema, rows: points)
        var options = RuleCertifier.Options()
        options.maxBoxes = 4000
        let result = try #require(RuleCertifier(network: network, surrogate: .tree(tree), domain: domain, points: points, measure: measure).certify(options))
        let leaves = tree.leaves(raw: measure, rows: 20_000)
        let rules = TreeRules.rules(of: tree)
        for (index, rule) in result.rules.enumerated() {
            let predicted = try #require(rule.region.predictedClass)
            for box in rule.certifiedBoxes {
                if predicted == 0 { #expect(box.lower[0] > box.upper[1], "\(rule.region.name): \(box)") }
                else { #expect(box.lower[1] > box.upper[0], "\(rule.region.name): \(box)") }
            }
            let mine = (0..<20_000).filter { leaves[$0] == rules[index].leaf }
            let agreeing = mine.filter { (measure[2 * $0] > measure[2 * $0 + 1] ? 0 : 1) == predicted }.count
            let truth = Double(agreeing) / Double(max(mine.count, 1))
            #expect(rule.points == mine.count)
            #expect(rule.certifiedMass <= truth + 1e-12)
            #expect(rule.refutedMass >= 1 - truth - 1e-12)  // every disagreeing point is refuted
            #expect(rule.certifiedMass >= truth - 0.03, "\(rule.region.name): certified \(rule.certifiedMass), true \(truth)")
            #expect(rule.counterexamples.allSatisfy { ($0.inputs[0] > $0.inputs[1] ? 0 : 1) != predicted })
            #expect((rule.refutedMass > 0) == !rule.counterexamples.isEmpty)
        }
        #expect(!result.timedOut)
        // The measuring points inside certified boxes of their own rule are exactly the certified mass.
        #expect(abs(result.certifiedShare(of: measure, surrogate: .tree(tree), domain: domain) - result.certifiedMass) < 1e-12)
    }
}

/// Refinement: counterexamples join the fitting points and the surrogate is refitted while the certified
/// share grows.
struct RefinementTests {
    static func extraction(_ sample: String) throws -> Extraction {
        let network = try ModelDecoder.load(path: Fixtures.sample(sample, "model.json"))
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample(sample, "train.csv"), testPath: Fixtures.sample(sample, "test.csv")),
                                         tree: TreeSettings(maxDepth: 3))
        options.oraclePoints = 4000
        options.validationPoints = 2000
        options.domainPoints = 0
        return try Extraction.run(network: network, modelPath: sample, options: options)
    }

    /// With more data rows than the learners read (`rulePoints`, `oraclePoints`), every added point is
    /// still read: by the rule learners, the optimal tree's search and the oracle tree, after the rows
    /// they space evenly.
    @Test func addedPointsSurviveEverySubsample() throws {
        let model = Fixtures.sample("checkerboard", "model.json")
        let network = try ModelDecoder.load(path: model)
        var options = Extraction.Options(data: .init(dataPath: Fixtures.sample("checkerboard", "train.csv")))
        (options.rulePoints, options.oraclePoints) = (500, 600)
        let data = try TrainingData.prepare(network: network, modelPath: model, options: options.data)
        let rows = data.train.rows, width = network.schema.count
        #expect(rows > 600)
        let added = (0..<7).flatMap { row in (0..<width).map { data.train[row * 11, $0] + 0.01 } }
        let fitter = try SurrogateFitter(network: network, data: data, options: options, modelPath: model, added: added)
        let classes = NetworkEvaluator(network: network).evaluate(raw: added, rows: 7).predictedClasses
        // The rule learners: 500 rows evenly spaced, then the 7 points with the network's classes.
        let picked = (0..<500).map { $0 * rows / 500 }
        #expect(fitter.ruleFitting.points.values == picked.flatMap { data.train.values[($0 * width)..<(($0 + 1) * width)] } + added)
        #expect(Array(fitter.ruleFitting.classes.suffix(7)) == classes)
        // The optimal tree's search: 600 of the rows, then the added points.
        let searched = fitter.fitting.evenlySpaced(600, keeping: fitter.addedRange)
        #expect(searched.points.rows == 607 && Array(searched.points.values.suffix(7 * width)) == added)
        #expect(Array(searched.classes.suffix(7)) == classes)
        // The oracle tree: 600 of the rows, then the added points.
        #expect(fitter.oracleRows.rows == 607 && Array(fitter.oracleRows.values.suffix(7 * width)) == added)
        // Without added points, the same rows as before.
        let plain = try SurrogateFitter(network: network, data: data, options: options, modelPath: model)
        #expect(plain.ruleFitting.points.values == picked.flatMap { data.train.values[($0 * width)..<(($0 + 1) * width)] })
        #expect(plain.oracleRows.rows == 600)
        // Kept points in the middle: 4 of the 8 others (positions 0, 2, 4, 6 of them), in the sample's order.
        let ten = OracleSample(points: Dataset(schema: FeatureSchema(features: [Feature(name: "x", kind: .continuous(min: nil, max: nil))]),
                                               rows: 10, values: (0..<10).map(Double.init)), target: .classes(Array(0..<10), classCount: 10))
        #expect(ten.evenlySpaced(4, keeping: 3..<5).classes == [0, 2, 3, 4, 6, 8])
        #expect(ten.evenlySpaced(4).classes == [0, 2, 5, 7])
    }

    @Test func addedPointsJoinTheFittingSampleLabelledByTheNetwork() throws {
        let plain = try Self.extraction("penguins")
        let width = plain.network.schema.count, rows = plain.data.train.rows
        // Five points unlike the rows: each row's values shifted, so the network labels them afresh.
        let added = (0..<5).flatMap { row in (0..<width).map { plain.data.train[row * 7, $0] } }
        let fitter = try SurrogateFitter(network: plain.network, data: plain.data, options: plain.options, modelPath: "penguins", added: added)
        let plainFitter = try SurrogateFitter(network: plain.network, data: plain.data, options: plain.options, modelPath: "penguins")
        // Same size of sample; the rows first, then the added points with the network's own classes.
        #expect(fitter.fitting.points.rows == plainFitter.fitting.points.rows)
        #expect(Array(fitter.fitting.points.values.prefix(rows * width)) == plain.data.train.values)
        #expect(Array(fitter.fitting.points.values[(rows * width)..<((rows + 5) * width)]) == added)
        let classes = NetworkEvaluator(network: plain.network).evaluate(raw: added, rows: 5).predictedClasses
        #expect(Array(fitter.fitting.classes[rows..<(rows + 5)]) == classes)
    }

    @Test func refinementKeepsTheMostCertifiedSurrogate() throws {
        let plain = try Self.extraction("penguins")
        var options = RuleCertifier.Options()
        options.maxBoxes = 4000
        options.timeLimit = 600
        let outcome = try #require(try plain.refined(options, rounds: 2))
        let (refined, result) = (outcome.extraction, outcome.certification)
        let steps = result.refinement
        #expect(!steps.isEmpty && steps.count <= 3)
        // The first step is the surrogate as fitted; each later one had more counterexamples than the last.
        #expect(steps[0].counterexamples == 0 && steps[0].kept)
        for (before, after) in zip(steps, steps.dropFirst()) { #expect(after.counterexamples > before.counterexamples) }
        // Only a refit that raised the certified share is kept, and the kept one is what is returned.
        var best = steps[0].certifiedMass
        for step in steps.dropFirst() {
            #expect(step.kept == (step.certifiedMass > best))
            if step.kept { best = step.certifiedMass }
        }
        #expect(result.certifiedMass == best)
        #expect(steps.dropFirst().allSatisfy(\.kept) || steps.last?.kept == false)
        #expect(result.rules.allSatisfy { $0.counterexamples.count <= options.counterexamples })
        // The refined surrogate keeps the size asked for.
        #expect(refined.surrogate.size.leaves.map { $0 <= 8 } ?? true)
        // A pruned extraction is refused.
        var pruned = plain
        pruned.options.prune = PruningSettings(maxFidelityLoss: 0.01)
        #expect(throws: Diagnostic.self) { try pruned.refined(options) }
    }
}
