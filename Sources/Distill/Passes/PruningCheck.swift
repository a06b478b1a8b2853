/// The points a pruning run fits its compensations on and checks decisions against, all labelled by the
/// ORIGINAL network.
///
/// Both sets are drawn by perturbing the fitting rows with kernel noise at `InputDistribution.newRowSpread`
/// (as far from a fitting row as a new row of the same population lies from its nearest one): a network is
/// most confident on the rows it was trained on, and a check made only there would miss the decisions that
/// held-out rows meet. The fitting set (the rows plus `checkSamples / 2` draws) also weights each point by
/// how close the original puts it to a decision boundary, where a change of function can change a decision.
/// The check set (`checkSamples` other draws plus the fitting rows) is what the budget is measured on.
struct PruningCheck {
    let original: Network
    let budget: Double
    /// The kernel-noise multiplier of the draws.
    let spread: Double
    /// Rows the compensations are fitted on, with their weights (nil for regression: all equal).
    let fitRows: Dataset
    let fitWeights: [Double]?
    let check: Dataset
    let reference: NetworkOutput
    let referenceClasses: [Int]
    /// Up to 1000 evenly spaced fitting points on which removals are ranked, and the original's outputs.
    let scoring: Dataset
    let scoringReference: [Double]

    /// Smallest weight of a point far from every boundary (relative to 1 on a boundary).
    static let weightFloor = 0.01

    init(original: Network, fitting: Dataset, settings: PruningSettings, generator: inout SeededGenerator) {
        self.original = original
        budget = settings.maxFidelityLoss
        let distribution = InputDistribution(data: fitting)
        spread = distribution.newRowSpread(rows: fitting)
        let whole = Region(schema: fitting.schema)
        let half = settings.checkSamples / 2
        let fitDraws = distribution.samplePerturbed(half, in: whole, rows: fitting.values, spread: spread, generator: &generator)
        fitRows = Dataset(schema: fitting.schema, rows: fitting.rows + half, values: fitting.values + fitDraws)
        let drawn = distribution.samplePerturbed(settings.checkSamples, in: whole, rows: fitting.values, spread: spread, generator: &generator)
        check = Dataset(schema: fitting.schema, rows: settings.checkSamples + fitting.rows, values: drawn + fitting.values)
        let evaluator = NetworkEvaluator(network: original)
        reference = evaluator.evaluate(raw: check.values, rows: check.rows)
        referenceClasses = original.task == .classification ? reference.predictedClasses : []
        let fitOutputs = evaluator.evaluate(raw: fitRows.values, rows: fitRows.rows)
        if original.task == .classification {
            fitWeights = (0..<fitRows.rows).map { row in
                var top = 0.0, second = 0.0
                for k in 0..<fitOutputs.width {
                    let p = fitOutputs[row, k]
                    if p > top { (top, second) = (p, top) } else if p > second { second = p }
                }
                let closeness = 1 - (top - second)
                return Self.weightFloor + closeness * closeness
            }
        } else {
            fitWeights = nil
        }
        let picked = Array(stride(from: 0, to: fitRows.rows, by: max(1, fitRows.rows / 1000)))
        scoring = fitRows.subset(picked)
        scoringReference = picked.flatMap { row in (0..<fitOutputs.width).map { fitOutputs[row, $0] } }
    }

    /// Agreement of `candidate`'s decisions with the original's on the check set (R² for regression).
    func agreement(_ candidate: Network) -> Double {
        let evaluator = NetworkEvaluator(network: candidate), values = candidate.project(check).values
        if original.task == .classification {
            return Agreement.share(evaluator.predictedClasses(raw: values, rows: check.rows), referenceClasses)
        }
        let output = evaluator.evaluate(raw: values, rows: check.rows)
        return Agreement.rSquared(predicted: output.values, reference: reference.values, outputs: reference.width)
    }

    /// Whether `candidate` loses at most the budget.
    func withinBudget(_ candidate: Network) -> Bool { agreement(candidate) >= 1 - budget - 1e-12 }

    /// The effect of each neuron's removal alone (`remove([unit], ...)`): the mean squared change of the
    /// outputs (probabilities for classification) from the original's on the scoring points, how far the
    /// removal moves the function, largest near the decision boundaries. Computed without building the
    /// networks: one forward pass of the scoring points keeps every layer's values; removing unit u of
    /// layer l with compensation c changes layer l + 1's pre-activations by the rank-one term
    /// W[:, u] (c · [a, 1] - a_u), so only the layers after l run again. About (units of l + units of
    /// l + 1 + the weights after l + 1) multiply-adds a point per neuron, where a whole pass takes every
    /// weight. The neurons are spread over the cores.
    /// `leaveOneOut`: the layers' factorisations (`leaveOneOutFits`), made here when not given.
    func effects(of neurons: [NeuronStatistics.Neuron], in network: Network, grams: [[Double]],
                 leaveOneOut: [Int: LinearCompensation.LeaveOneOutFits]? = nil) -> [Double] {
        let layers = network.denseLayers
        let n = scoring.rows
        // Pre-activations and values of every dense layer on the scoring points.
        var values = network.schema.encode(network.project(scoring).values, rows: n)
        var pre: [[Double]] = [], post: [[Double]] = []
        for dense in layers {
            let z = DenseKernel.fast.forward(dense, values, rows: n)
            values = z
            dense.activation.apply(to: &values, rows: n, width: dense.units)
            pre.append(z)
            post.append(values)
        }
        let evaluator = NetworkEvaluator(network: network)
        let layerFits = leaveOneOut ?? leaveOneOutFits(network, grams: grams, layers: Set(neurons.map(\.layer)))
        var effects = [Double](repeating: 0, count: neurons.count)
        effects.withUnsafeMutableBufferPointer { buffer in
            let target = UncheckedBox(buffer)
            Parallelism.forEach(pieces: neurons.count) { index, _ in
                let neuron = neurons[index], m = layers[neuron.layer].units
                let fit = layerFits[neuron.layer]?.fit(neuron.unit)
                    ?? LinearCompensation.fits(removing: [neuron.unit], units: m, gram: grams[neuron.layer])[0]
                target.value[index] = effect(removing: neuron.unit, layer: neuron.layer, fit: fit, layers: layers, pre: pre, post: post,
                                             evaluator: evaluator)
            }
        }
        return effects
    }

    /// Each of `layers`' matrices factored once for all its neurons' fits (`LinearCompensation.LeaveOneOutFits`);
    /// a layer whose matrix cannot be factored has no entry.
    func leaveOneOutFits(_ network: Network, grams: [[Double]], layers: Set<Int>) -> [Int: LinearCompensation.LeaveOneOutFits] {
        var fits: [Int: LinearCompensation.LeaveOneOutFits] = [:]
        for layer in layers {
            fits[layer] = LinearCompensation.LeaveOneOutFits(units: network.denseLayers[layer].units, gram: grams[layer])
        }
        return fits
    }

    /// `effects` for one neuron, from the scoring points' pre-activations and values of every layer.
    /// `fit`: the unit's compensation (`LinearCompensation.fits`).
    private func effect(removing unit: Int, layer: Int, fit c: [Double], layers: [DenseLayer], pre: [[Double]], post: [[Double]],
                        evaluator: NetworkEvaluator) -> Double {
        let n = scoring.rows, m = layers[layer].units, a = post[layer], next = layers[layer + 1]
        var z = pre[layer + 1]
        for row in 0..<n {
            var fitted = c[m]
            for j in 0..<m { fitted += c[j] * a[row * m + j] }
            let r = fitted - a[row * m + unit]
            guard r != 0 else { continue }
            for k in 0..<next.units { z[row * next.units + k] += next.weights[k * next.inputs + unit] * r }
        }
        next.activation.apply(to: &z, rows: n, width: next.units)
        for dense in layers[(layer + 2)...] {
            z = DenseKernel.fast.forward(dense, z, rows: n)
            dense.activation.apply(to: &z, rows: n, width: dense.units)
        }
        let output = evaluator.finalize(z, rows: n)
        return zip(output, scoringReference).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(max(output.count, 1))
    }

    /// Per hidden layer of `network`, the weighted Gram matrix its compensations are fitted with.
    func grams(_ network: Network) -> [[Double]] {
        LinearCompensation.grams(network, rows: fitRows, weights: fitWeights)
    }

    /// `network` without `units` of dense layer `layer`, compensated on the weighted fitting points
    /// (`grams` as computed for this same network; `leaveOneOut`: that layer's matrix factored once).
    func remove(_ units: [Int], layer: Int, from network: Network, grams: [[Double]],
                leaveOneOut: LinearCompensation.LeaveOneOutFits? = nil) -> Network {
        LinearCompensation.remove(units, layer: layer, from: network, gram: grams[layer], leaveOneOut: leaveOneOut)
    }
}
