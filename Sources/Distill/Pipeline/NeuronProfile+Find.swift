import Foundation

extension NeuronProfile {
    /// The hidden dense layers of `network` (every dense layer but the last), as indices into `layers`.
    public static func hiddenLayers(of network: Network) -> [Int] {
        let dense = network.layers.indices.filter { if case .dense = network.layers[$0] { return true } else { return false } }
        return Array(dense.dropLast())
    }

    /// The network cut after dense layer `layer` (and an activation layer right after it): its outputs
    /// are that layer's activations, as a regression.
    static func truncated(_ network: Network, after layer: Int) -> Network {
        var end = layer + 1
        if end < network.layers.count, case .activation = network.layers[end] { end += 1 }
        guard case let .dense(dense) = network.layers[layer] else { preconditionFailure("not a dense layer") }
        return Network(name: network.name, task: .regression, schema: network.schema, outputs: (0..<dense.units).map { "u\($0)" },
                       preprocessing: network.preprocessing, layers: Array(network.layers[..<end]))
    }

    /// Profiles of every unit of dense layer `layer` (its position among the hidden layers `ordinal`, from
    /// 1) over `data`.
    public static func profile(network: Network, layer: Int, ordinal: Int, data: Dataset) -> [NeuronProfile] {
        let cut = truncated(network, after: layer)
        let units = cut.outputs.count, rows = data.rows, d = network.schema.count
        let activations = NetworkEvaluator(network: cut).evaluate(raw: data.values, rows: rows)
        let encoded = network.schema.encode(data.values, rows: rows)
        let gradient = NetworkGradient(network: cut)
        let attributions = Attributions(network: network)
        let domain = RawBox(domainOf: network.schema, rows: data.values)
        let zeroBelow = cut.layers.last.map { layer -> Bool in
            if case let .dense(dense) = layer { return dense.activation.isZeroBelowKink }
            if case let .activation(activation) = layer { return activation.isZeroBelowKink }
            return false
        } ?? false
        var profiles = [NeuronProfile?](repeating: nil, count: units)
        profiles.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedBox(buffer)
            Parallelism.forEach(pieces: units) { unit, _ in
                let values = (0..<rows).map { activations[$0, unit] }
                let mean = values.reduce(0, +) / Double(max(rows, 1))
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(rows, 1))
                let sorted = values.sorted()
                let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
                let threshold = zeroBelow && (sorted.first ?? 0) <= 0 && (sorted.last ?? 0) > 0 ? 0 : median
                let active = values.map { $0 > threshold }
                // Strongest inputs: mean |gradient x (input - mean)|, one-hot columns summed per feature.
                let grads = gradient.gradients(encoded: encoded, rows: rows, targets: .fixed(unit)).gradients
                let scores = attributions.meanAbsoluteGradientTimesSpread(gradients: grads, encoded: encoded, rows: rows)
                let strongest = InputScore.top(scores, count: 3)
                let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
                let most = order.prefix(5).map { RowActivation(row: $0, activation: values[$0]) }
                let least = order.reversed().prefix(5).map { RowActivation(row: $0, activation: values[$0]) }
                let (best, input) = maximise(cut, unit: unit, domain: domain, starts: most.prefix(3).map { Array(data.values[($0.row * d)..<(($0.row + 1) * d)]) })
                let maximised = Maximum(activation: best, inputs: input)
                let (rule, agreement) = ActiveRule.find(data: data, active: active)
                output.value[unit] = NeuronProfile(name: "N\(ordinal).\(unit + 1)", layer: layer, ordinal: ordinal, unit: unit, mean: mean,
                                                   standardDeviation: variance.squareRoot(), minimum: sorted.first ?? 0,
                                                   maximum: sorted.last ?? 0,
                                                   activeShare: Double(active.filter { $0 }.count) / Double(max(rows, 1)),
                                                   threshold: threshold, strongestInputs: strongest, mostActive: most, leastActive: least,
                                                   maximised: maximised, rule: rule, ruleAgreement: agreement)
            }
        }
        return profiles.map { $0! }
    }

    /// Projected gradient ascent of `unit` inside `domain` from each start (continuous features move by
    /// a step along the gradient's sign, a quarter of the range shrinking by a fifth per step; categorical
    /// and binary values stay the start's); the best point of all (a start itself if nothing beats it).
    static func maximise(_ cut: Network, unit: Int, domain: RawBox, starts: [[Double]], steps: Int = 40) -> (Double, [Double]) {
        let schema = cut.schema, evaluator = NetworkEvaluator(network: cut), gradient = NetworkGradient(network: cut)
        var points = starts
        var best = (activation: -Double.infinity, inputs: starts.first ?? [])
        var size = 0.25
        for step in 0...steps {
            let rows = points.count
            let encoded = schema.encode(points.flatMap { $0 }, rows: rows)
            let out = evaluator.evaluate(raw: points.flatMap { $0 }, rows: rows)
            for row in 0..<rows where out[row, unit] > best.activation { best = (out[row, unit], points[row]) }
            guard step < steps else { break }
            let grads = gradient.gradients(encoded: encoded, rows: rows, targets: .fixed(unit)).gradients
            let width = schema.encodedWidth
            for row in 0..<rows { domain.step(&points[row], slope: grads[(row * width)..<((row + 1) * width)], schema: schema, size: size) }
            size *= 0.8
        }
        return best
    }
}

extension Activation {
    /// Whether the activation is exactly 0 below its kink (ReLU), so "active" means above 0.
    var isZeroBelowKink: Bool {
        if case .relu = self { return true }
        return false
    }
}

extension NeuronProfile.InputScore {
    /// The `count` features with the largest `scores`, largest first (ties: the earlier feature).
    static func top(_ scores: [Double], count: Int) -> [Self] {
        scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(count).map { Self(feature: $0, score: scores[$0]) }
    }
}
