import Foundation

extension NeuronGroups {
    static let maxRows = 5000

    /// The network after dense layer `layer` (and its activation layer), its units as inputs.
    static func tail(of network: Network, after cut: Network) -> Network {
        let units = cut.outputs.count
        return Network(name: network.name, task: network.task,
                       schema: FeatureSchema(features: (0..<units).map { Feature(name: "u\($0)", kind: .continuous(min: nil, max: nil)) }),
                       outputs: network.outputs, preprocessing: [], layers: Array(network.layers[cut.layers.count...]))
    }

    /// `row`'s (a raw row of `network`) attribution of output `target` to the groups: its activations at the
    /// layer (shifted) rebuilt from the groups with non-negative coefficients (`NonnegativeFactorization.coefficients`).
    public func attribution(of row: [Double], network: Network, target: Int) -> RowAttribution {
        let cut = NeuronProfile.truncated(network, after: layer)
        let units = cut.outputs.count, rank = groups.count
        let activations = NetworkEvaluator(network: cut).evaluate(raw: row, rows: 1).values
        let shiftedActivations = (0..<units).map { activations[$0] - shifts[$0] }
        let coefficients = factors.coefficients(for: shiftedActivations.map { max($0, 0) })
        let slopes = NetworkGradient(network: Self.tail(of: network, after: cut)).gradients(encoded: activations, rows: 1, targets: .fixed(target)).gradients
        let attributions = (0..<rank).map { k in (0..<units).reduce(0.0) { $0 + slopes[$1] * coefficients[k] * factors.h[k * units + $1] } }
        let layer = (0..<units).reduce(0.0) { $0 + slopes[$1] * shiftedActivations[$1] }
        return RowAttribution(coefficients: coefficients, attributions: attributions, layerAttribution: layer)
    }

    /// Factorises one hidden layer's activations over `data` into groups and describes each.
    /// - Parameters:
    ///   - network: The network.
    ///   - layer: Index in `network.layers` of a hidden dense layer (see `NeuronProfile.hiddenLayers(of:)`).
    ///   - ordinal: That layer's place among the hidden layers, from 1, used in the groups' names.
    ///   - data: Raw rows; above `maxRows` (5,000) evenly spaced rows are kept.
    ///   - count: Groups wanted, at least 1; at most the layer's units are made.
    /// - Returns: The groups, with the variance 1 to 8 groups explain and the attribution gap.
    /// - Complexity: Up to `max(8, count)` factorisations of a rows × units matrix, and one gradient pass over
    ///   the rows per group.
    public static func find(network: Network, layer: Int, ordinal: Int, data: Dataset, count: Int) -> NeuronGroups {
        precondition(count >= 1 && data.rows >= 1, "NeuronGroups.find needs at least one group and one row")
        let cut = NeuronProfile.truncated(network, after: layer)
        let units = cut.outputs.count
        let kept = data.rows <= maxRows ? Array(0..<data.rows) : (0..<maxRows).map { $0 * data.rows / maxRows }
        let rows = data.subset(kept)
        let output = NetworkEvaluator(network: cut).evaluate(raw: rows.values, rows: rows.rows)
        var matrix = output.values
        let minima = (0..<units).map { u in (0..<rows.rows).map { output[$0, u] }.min() ?? 0 }
        let shifted = minima.contains { $0 < 0 }
        if shifted { for row in 0..<rows.rows { for u in 0..<units { matrix[row * units + u] -= minima[u] } } }
        // 1 to 8 parts, each factorisation extending the last, so that the share explained never falls.
        var chain = [NonnegativeFactorization(matrix, rows: rows.rows, columns: units, rank: 1)]
        while chain.count < min(max(8, count), units) { chain.append(NonnegativeFactorization(matrix, extending: chain.last!)) }
        let explained = chain.prefix(8).map(\.explainedVariance)
        let rank = min(count, units)
        let factors = chain[rank - 1]
        // The group directions as one more dense layer on the cut network: its outputs are Σ_u H[k, u] a_u.
        var layers = cut.layers
        layers.append(.dense(DenseLayer(units: rank, inputs: units, weights: factors.h, bias: [Double](repeating: 0, count: rank), activation: .identity)))
        let directions = Network(name: network.name, task: .regression, schema: network.schema, outputs: (0..<rank).map { "g\($0)" },
                                 preprocessing: network.preprocessing, layers: layers)
        let gradient = NetworkGradient(network: directions), attributions = Attributions(network: network)
        let encoded = network.schema.encode(rows.values, rows: rows.rows)
        // ∂f/∂a at every row: the network after the layer, its units as inputs.
        let slopes = NetworkGradient(network: tail(of: network, after: cut)).gradients(encoded: output.values, rows: rows.rows, targets: .predicted).gradients
        var groupAttribution = [Double](repeating: 0, count: rows.rows * rank)
        var gap = 0.0, layerTotal = 0.0
        for row in 0..<rows.rows {
            var layerAttribution = 0.0, sum = 0.0
            for u in 0..<units { layerAttribution += slopes[row * units + u] * matrix[row * units + u] }
            for k in 0..<rank {
                var attribution = 0.0
                for u in 0..<units { attribution += slopes[row * units + u] * factors.w[row * rank + k] * factors.h[k * units + u] }
                groupAttribution[row * rank + k] = attribution
                sum += attribution
            }
            gap += abs(sum - layerAttribution)
            layerTotal += abs(layerAttribution)
        }
        let magnitudes = (0..<rank).map { k in (0..<rows.rows).reduce(0.0) { $0 + abs(groupAttribution[$1 * rank + k]) } }
        let allMagnitudes = max(magnitudes.reduce(0, +), 1e-300)
        let groups = (0..<rank).map { k -> Group in
            let weights = (0..<units).map { factors.h[k * units + $0] }
            let total = max(weights.reduce(0, +), 1e-300)
            let top = weights.indices.sorted { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }.prefix(5).map { UnitWeight(unit: $0, weight: weights[$0] / total) }
            let activation = (0..<rows.rows).map { factors.w[$0 * rank + k] }
            let order = activation.indices.sorted { activation[$0] > activation[$1] || (activation[$0] == activation[$1] && $0 < $1) }
            let median = activation.sorted()[activation.count / 2]
            let (rule, agreement) = ActiveRule.find(data: rows, active: activation.map { $0 > median })
            let grads = gradient.gradients(encoded: encoded, rows: rows.rows, targets: .fixed(k)).gradients
            let scores = attributions.meanAbsoluteGradientTimesSpread(gradients: grads, encoded: encoded, rows: rows.rows)
            let strongest = NeuronProfile.InputScore.top(scores, count: 3)
            return Group(name: "G\(ordinal).\(k + 1)", units: top, mean: activation.reduce(0, +) / Double(max(activation.count, 1)),
                         mostActive: order.prefix(5).map { NeuronProfile.RowActivation(row: kept[$0], activation: activation[$0]) }, rule: rule, ruleAgreement: agreement,
                         strongestInputs: strongest, attributionShare: magnitudes[k] / allMagnitudes)
        }
        return NeuronGroups(layer: layer, ordinal: ordinal, shifted: shifted, rows: rows.rows, explained: explained, groups: groups,
                            attributionGap: layerTotal > 0 ? gap / layerTotal : 0, factors: factors,
                            shifts: shifted ? minima : [Double](repeating: 0, count: units))
    }
}
