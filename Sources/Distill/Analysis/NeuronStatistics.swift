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

    /// Rows run through the network at a time: a block's values of the widest layer are all that is held,
    /// whatever the number of rows (10^6 rows of a 1024-unit layer would take 8 GB at once).
    static let blockRows = 4096

    /// Runs every row of `data` through `network` and collects each hidden neuron's statistics.
    /// - Parameters:
    ///   - network: The network whose hidden neurons are measured.
    ///   - data: Raw rows in the network's schema; they are encoded and standardised first.
    /// - Returns: One `Neuron` per unit of every dense layer that feeds another dense layer, in layer order.
    /// - Complexity: O(rows × weights) time; O(`blockRows` × widest layer) memory beyond the rows.
    public static func measure(network: Network, data: Dataset) -> NeuronStatistics {
        let rows = data.rows, rawWidth = network.schema.count
        // Per dense layer (by index in `network.layers`), accumulated row by row in row order, block after block.
        var moments: [Int: Moments] = [:]
        for (index, layer) in network.layers.enumerated() {
            if case let .dense(dense) = layer { moments[index] = Moments(units: dense.units) }
        }
        for start in stride(from: 0, to: rows, by: blockRows) {
            let count = min(blockRows, rows - start)
            var values = network.schema.encode(Array(data.values[(start * rawWidth)..<((start + count) * rawWidth)]), rows: count)
            var width = network.schema.encodedWidth
            for case let .standardize(mean, std) in network.preprocessing {
                for row in 0..<count {
                    for column in 0..<width { values[row * width + column] = (values[row * width + column] - mean[column]) / std[column] }
                }
            }
            for (index, layer) in network.layers.enumerated() {
                switch layer {
                case let .dense(dense):
                    values = DenseKernel.fast.forward(dense, values, rows: count)
                    width = dense.units
                    dense.activation.apply(to: &values, rows: count, width: width)
                    moments[index]!.add(values, rows: count)
                case let .activation(activation):
                    activation.apply(to: &values, rows: count, width: width)
                case let .batchNorm(norm):
                    let scale = (0..<width).map { norm.gamma[$0] / (norm.variance[$0] + norm.epsilon).squareRoot() }
                    for row in 0..<count {
                        for j in 0..<width { values[row * width + j] = (values[row * width + j] - norm.mean[j]) * scale[j] + norm.beta[j] }
                    }
                case .dropout:
                    continue
                }
            }
        }
        // A dense layer's units are hidden neurons when another dense layer reads them: measured after the
        // layer's own activation (standalone activations and normalisation after it are not included).
        var neurons: [Neuron] = []
        var previous: Int?
        for (index, layer) in network.layers.enumerated() {
            guard case let .dense(dense) = layer else { continue }
            if let previous {
                let n = Double(rows), sums = moments[previous]!
                for unit in 0..<dense.inputs {
                    let mean = sums.sum[unit] / n
                    let variance = max(sums.square[unit] / n - mean * mean, 0)
                    let outgoing = (0..<dense.units).reduce(0.0) { $0 + abs(dense.weights[$1 * dense.inputs + unit]) }
                    neurons.append(Neuron(layer: previous, unit: unit, mean: mean, variance: variance,
                                          activeShare: sums.active[unit] / n, contribution: variance.squareRoot() * outgoing))
                }
            }
            previous = index
        }
        return NeuronStatistics(neurons: neurons)
    }

    /// Running sums of one layer's activations: what the mean, variance and active share come from.
    private struct Moments {
        var sum: [Double], square: [Double], active: [Double]

        init(units: Int) {
            sum = [Double](repeating: 0, count: units)
            square = sum
            active = sum
        }

        /// Adds `rows` rows of activations (row-major, one value per unit).
        mutating func add(_ values: [Double], rows: Int) {
            let width = sum.count
            values.withUnsafeBufferPointer { values in
                for row in 0..<rows {
                    let base = row * width
                    for unit in 0..<width {
                        let a = values[base + unit]
                        sum[unit] += a
                        square[unit] += a * a
                        active[unit] += a > 0 ? 1 : 0
                    }
                }
            }
        }
    }
}
