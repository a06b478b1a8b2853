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
        let fits = (try? Parallelism.map(neurons.count) { index -> [Double] in
            let neuron = neurons[index]
            return layerFits[neuron.layer]?.fit(neuron.unit)
                ?? LinearCompensation.fits(removing: [neuron.unit], units: layers[neuron.layer].units, gram: grams[neuron.layer])[0]
        }) ?? []
        let residuals = Self.residuals(of: neurons, fits: fits, layers: layers, post: post, rows: n)
        var effects = [Double](repeating: 0, count: neurons.count)
        effects.withUnsafeMutableBufferPointer { buffer in
            let target = UncheckedBox(buffer)
            Parallelism.forEach(pieces: neurons.count) { index, _ in
                let neuron = neurons[index], (column, of) = residuals.columns[index]
                target.value[index] = residuals.values[neuron.layer]!.withUnsafeBufferPointer {
                    effect(residual: $0.baseAddress! + column, stride: of, unit: neuron.unit, layer: neuron.layer, layers: layers,
                           pre: pre, evaluator: evaluator)
                }
            }
        }
        return effects
    }

    /// Each neuron's residual on the `rows` scoring points, its compensation's fit `c · [a, 1]` less its
    /// value: per layer one product of the layer's values (a constant column appended) by its neurons' fits
    /// (`values[layer]`, rows x the layer's neurons), and where each neuron's column is (`columns`: column,
    /// columns of its layer).
    static func residuals(of neurons: [NeuronStatistics.Neuron], fits: [[Double]], layers: [DenseLayer], post: [[Double]], rows n: Int)
        -> (values: [Int: [Double]], columns: [(Int, Int)]) {
        var values: [Int: [Double]] = [:], columns = [(Int, Int)](repeating: (0, 0), count: neurons.count)
        for layer in Set(neurons.map(\.layer)).sorted() {
            let members = neurons.indices.filter { neurons[$0].layer == layer }
            let m = layers[layer].units, p = m + 1, k = members.count, a = post[layer]
            var extended = [Double](repeating: 1, count: n * p)
            for row in 0..<n { for j in 0..<m { extended[row * p + j] = a[row * m + j] } }
            var coefficients = [Double](repeating: 0, count: k * p)
            for (column, index) in members.enumerated() {
                columns[index] = (column, k)
                for j in 0..<p { coefficients[column * p + j] = fits[index][j] }
            }
            var product = [Double](repeating: 0, count: n * k)
            // Blocks of 256 rows side by side, set by the rows alone (so the thread count changes nothing).
            let multiplied = BLAS.isAvailable && n > 0
            if multiplied {
                extended.withUnsafeBufferPointer { x in
                    coefficients.withUnsafeBufferPointer { c in
                        product.withUnsafeMutableBufferPointer { r in
                            let target = UncheckedBox(r.baseAddress!)
                            Parallelism.forEach(pieces: (n + 255) / 256) { block, _ in
                                let first = block * 256, count = min(n, first + 256) - first
                                _ = BLAS.multiply(rows: count, columns: k, depth: p, x.baseAddress! + first * p, c.baseAddress!,
                                                  transposingB: true, into: target.value + first * k)
                            }
                        }
                    }
                }
            }
            for row in 0..<n {
                for (column, index) in members.enumerated() {
                    let c = fits[index], unit = neurons[index].unit
                    if !multiplied {
                        var fitted = c[m]
                        for j in 0..<m { fitted += c[j] * a[row * m + j] }
                        product[row * k + column] = fitted
                    }
                    product[row * k + column] -= a[row * m + unit]
                }
            }
            values[layer] = product
        }
        return (values, columns)
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

    /// `effects` for one neuron, from its residual on the scoring points (at `residual`, `stride` apart)
    /// and the scoring points' pre-activations of every layer.
    private func effect(residual: UnsafePointer<Double>, stride: Int, unit: Int, layer: Int, layers: [DenseLayer], pre: [[Double]],
                        evaluator: NetworkEvaluator) -> Double {
        let n = scoring.rows, next = layers[layer + 1], width = next.units
        var z = pre[layer + 1]
        // The unit's outgoing weights, gathered once so that the update reads them in order.
        let outgoing = (0..<width).map { next.weights[$0 * next.inputs + unit] }
        z.withUnsafeMutableBufferPointer { z in
            outgoing.withUnsafeBufferPointer { outgoing in
                for row in 0..<n {
                    let r = residual[row * stride]
                    guard r != 0 else { continue }
                    let target = z.baseAddress! + row * width
                    for k in 0..<width { target[k] += outgoing[k] * r }
                }
            }
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
