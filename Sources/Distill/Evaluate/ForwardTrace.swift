/// A block of encoded rows through the network with what every step took in and gave out kept: what the
/// backward passes (gradients, layer-wise relevance) walk back through. Dense products go through the
/// one `DenseKernel`, activations through the same block functions as the evaluator's.
struct ForwardTrace {
    let rows: Int
    /// The encoded rows as given, and after each standardisation step.
    var standardized: [[Double]]
    /// Per layer, in order: the values that entered it (`rows x` its input width).
    var inputs: [[Double]] = []
    /// Per layer: a dense layer's pre-activations, an activation layer's input, a batchnorm's output
    /// (empty for dropout).
    var results: [[Double]] = []
    /// The last layer's output (`rows x network.outputWidth`).
    var output: [Double]

    init(network: Network, kernel: DenseKernel, encoded: UnsafePointer<Double>, rows: Int) {
        self.rows = rows
        let encodedWidth = network.schema.encodedWidth
        var values = Array(UnsafeBufferPointer(start: encoded, count: rows * encodedWidth))
        standardized = [values]
        var width = encodedWidth
        for case let .standardize(mean, std) in network.preprocessing {
            for row in 0..<rows {
                for column in 0..<width { values[row * width + column] = (values[row * width + column] - mean[column]) / std[column] }
            }
            standardized.append(values)
        }
        for layer in network.layers {
            inputs.append(values)
            switch layer {
            case let .dense(dense):
                var z = [Double](repeating: 0, count: rows * dense.units)
                values.withUnsafeBufferPointer { x in
                    z.withUnsafeMutableBufferPointer { kernel.forward(dense, input: x.baseAddress!, rows: rows, output: $0.baseAddress!, addBias: true) }
                }
                results.append(z)
                values = z
                width = dense.units
                dense.activation.apply(to: &values, rows: rows, width: width)
            case let .activation(activation):
                results.append(values)
                activation.apply(to: &values, rows: rows, width: width)
            case let .batchNorm(norm):
                for row in 0..<rows {
                    for j in 0..<width {
                        let scale = norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot()
                        values[row * width + j] = (values[row * width + j] - norm.mean[j]) * scale + norm.beta[j]
                    }
                }
                results.append(values)
            case .dropout:
                results.append([])
            }
        }
        output = values
    }

    /// Runs `body(trace, first row)` on blocks of `blockRows` encoded rows (in parallel; each block is
    /// independent, so results do not depend on the thread count).
    static func blocks(network: Network, kernel: DenseKernel, encoded: [Double], rows: Int, blockRows: Int = 256,
                       threads: Int = Parallelism.threads, _ body: (ForwardTrace, Int) -> Void) {
        let width = network.schema.encodedWidth
        let count = (rows + blockRows - 1) / blockRows
        encoded.withUnsafeBufferPointer { encoded in
            Parallelism.forEach(pieces: count, threads: threads) { block, _ in
                let start = block * blockRows
                let trace = ForwardTrace(network: network, kernel: kernel, encoded: encoded.baseAddress! + start * width,
                                         rows: min(blockRows, rows - start))
                body(trace, start)
            }
        }
    }
}
