/// Per hidden neuron of every dense layer but the last, over data rows: activation mean and variance, the
/// share of rows where it is active (output above zero), and a contribution score, the activation's
/// standard deviation times the summed |weights| out of it into the next dense layer. Used by pruning.
public struct NeuronStatistics: Equatable, Sendable {
    /// One hidden neuron's statistics over the data rows, measured on the output of its dense layer
    /// (after that layer's own activation).
    public struct Neuron: Equatable, Sendable {
        /// Index in `Network.layers` of the dense layer the neuron belongs to.
        public var layer: Int
        /// The neuron's unit within that layer.
        public var unit: Int
        /// Mean activation over the rows.
        public var mean: Double
        /// Population variance of the activation over the rows.
        public var variance: Double
        /// Share of rows (0 to 1) where the activation is above zero.
        public var activeShare: Double
        /// The activation's standard deviation times the summed |weights| out of the neuron into the next dense layer.
        public var contribution: Double
    }

    /// The measured neurons, layer by layer.
    public var neurons: [Neuron]

    /// Runs every row of `data` through `network` and collects each hidden neuron's statistics.
    /// - Parameters:
    ///   - network: The network whose hidden neurons are measured.
    ///   - data: Raw rows in the network's schema; they are encoded and standardised first.
    /// - Returns: One `Neuron` per unit of every dense layer that feeds another dense layer, in layer order.
    /// - Complexity: O(rows × weights).
    public static func measure(network: Network, data: Dataset) -> NeuronStatistics {
        var values = network.schema.encode(data.values, rows: data.rows)
        var width = network.schema.encodedWidth
        let rows = data.rows
        for case let .standardize(mean, std) in network.preprocessing {
            for row in 0..<rows {
                for column in 0..<width { values[row * width + column] = (values[row * width + column] - mean[column]) / std[column] }
            }
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
                var sums = [Double](repeating: 0, count: width), squares = sums, active = sums
                values.withUnsafeBufferPointer { values in
                    for row in 0..<rows {
                        let base = row * width
                        for unit in 0..<width {
                            let a = values[base + unit]
                            sums[unit] += a
                            squares[unit] += a * a
                            active[unit] += a > 0 ? 1 : 0
                        }
                    }
                }
                let mean = sums.map { $0 / Double(rows) }
                pending = [(index, mean, (0..<width).map { max(squares[$0] / Double(rows) - mean[$0] * mean[$0], 0) },
                            active.map { $0 / Double(rows) })]
            case let .activation(activation):
                activation.apply(to: &values, rows: rows, width: width)
            case let .batchNorm(norm):
                let scale = (0..<width).map { norm.gamma[$0] / (norm.variance[$0] + norm.epsilon).squareRoot() }
                for row in 0..<rows {
                    for j in 0..<width { values[row * width + j] = (values[row * width + j] - norm.mean[j]) * scale[j] + norm.beta[j] }
                }
            case .dropout:
                continue
            }
        }
        return NeuronStatistics(neurons: neurons)
    }
}
