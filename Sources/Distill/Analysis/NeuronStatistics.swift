/// Per hidden neuron of every dense layer but the last, over data rows: activation mean and variance, the
/// share of rows where it is active (output above zero), and a contribution score, the activation's
/// standard deviation times the summed |weights| out of it into the next dense layer. Used by pruning.
public struct NeuronStatistics: Equatable, Sendable {
    public struct Neuron: Equatable, Sendable {
        public var layer: Int
        public var unit: Int
        public var mean: Double
        public var variance: Double
        public var activeShare: Double
        public var contribution: Double
    }

    public var neurons: [Neuron]

    public static func measure(network: Network, data: Dataset) -> NeuronStatistics {
        var values = network.schema.encode(data.values, rows: data.rows)
        var width = network.schema.encodedWidth
        let rows = data.rows
        for case let .standardize(mean, std) in network.preprocessing {
            for index in values.indices { values[index] = (values[index] - mean[index % width]) / std[index % width] }
        }
        var neurons: [Neuron] = []
        var pending: [(layer: Int, mean: [Double], variance: [Double], active: [Double])] = []
        for (index, layer) in network.layers.enumerated() {
            switch layer {
            case let .dense(dense):
                if let previous = pending.popLast() {
                    for unit in 0..<dense.inputs {
                        let outgoing = (0..<dense.units).reduce(0.0) { $0 + abs(dense.weights[$1 * dense.inputs + unit]) }
                        neurons.append(Neuron(layer: previous.layer, unit: unit, mean: previous.mean[unit],
                                              variance: previous.variance[unit], activeShare: previous.active[unit],
                                              contribution: previous.variance[unit].squareRoot() * outgoing))
                    }
                }
                values = DenseKernel.fast.forward(dense, values, rows: rows)
                width = dense.units
                dense.activation.apply(to: &values, rows: rows, width: width)
                var mean = [Double](repeating: 0, count: width), squares = mean, active = mean
                for row in 0..<rows {
                    for unit in 0..<width {
                        let a = values[row * width + unit]
                        mean[unit] += a / Double(rows)
                        squares[unit] += a * a / Double(rows)
                        if a > 0 { active[unit] += 1 / Double(rows) }
                    }
                }
                pending = [(index, mean, zip(squares, mean).map { max($0 - $1 * $1, 0) }, active)]
            case let .activation(activation):
                activation.apply(to: &values, rows: rows, width: width)
            case let .batchNorm(norm):
                for index in values.indices {
                    let j = index % width
                    values[index] = (values[index] - norm.mean[j]) * norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot() + norm.beta[j]
                }
            case .dropout:
                continue
            }
        }
        return NeuronStatistics(neurons: neurons)
    }
}
