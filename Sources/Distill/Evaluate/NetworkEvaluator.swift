/// The network's answers for a batch of rows.
public struct NetworkOutput: Equatable, Sendable {
    public var rows: Int
    /// Columns per row: the class count (classification) or the output count (regression).
    public var width: Int
    /// Row-major class probabilities (classification) or output values (regression).
    public var values: [Double]

    public init(rows: Int, width: Int, values: [Double]) {
        self.rows = rows
        self.width = width
        self.values = values
    }

    /// Value `column` of row `row`.
    public subscript(row: Int, column: Int) -> Double { values[row * width + column] }

    /// The arg-max column of `row` (the first one on ties): the predicted class.
    public func predictedClass(row: Int) -> Int {
        let base = row * width
        var best = 0
        for column in 1..<max(width, 1) where values[base + column] > values[base + best] { best = column }
        return best
    }

    /// Predicted class of every row.
    public var predictedClasses: [Int] { (0..<rows).map(predictedClass(row:)) }
}

/// The reference interpreter of the IR: batched forward evaluation in Double over contiguous row-major
/// buffers. Everything else (surrogates, pruned networks, generated code) is checked against it.
public struct NetworkEvaluator: Sendable {
    public let network: Network
    /// Rows evaluated per chunk, bounding the memory of intermediate activations.
    public var chunkRows = 4096

    public init(network: Network) {
        self.network = network
    }

    /// Class probabilities or regression outputs for raw rows (row-major, one value per raw feature,
    /// categorical features as category indices).
    public func evaluate(raw: [Double], rows: Int) -> NetworkOutput {
        let rawWidth = network.schema.count
        let width = network.task == .classification ? network.outputs.count : network.outputWidth
        var result = [Double]()
        result.reserveCapacity(rows * width)
        var start = 0
        while start < rows {
            let count = min(chunkRows, rows - start)
            let slice = Array(raw[(start * rawWidth)..<((start + count) * rawWidth)])
            let encoded = network.schema.encode(slice, rows: count)
            result.append(contentsOf: finalize(forward(encoded: encoded, rows: count), rows: count))
            start += count
        }
        return NetworkOutput(rows: rows, width: width, values: result)
    }

    /// The last layer's raw output for encoded input rows (after preprocessing and every layer).
    public func forward(encoded: [Double], rows: Int) -> [Double] {
        var values = encoded
        var width = network.schema.encodedWidth
        for step in network.preprocessing {
            switch step {
            case let .standardize(mean, std):
                values.withUnsafeMutableBufferPointer { buffer in
                    for row in 0..<rows {
                        for column in 0..<width {
                            let index = row * width + column
                            buffer[index] = (buffer[index] - mean[column]) / std[column]
                        }
                    }
                }
            }
        }
        for layer in network.layers {
            switch layer {
            case let .dense(dense):
                values = Self.dense(dense, values, rows: rows)
                width = dense.units
                dense.activation.apply(to: &values, rows: rows, width: width)
            case let .activation(activation):
                activation.apply(to: &values, rows: rows, width: width)
            case let .batchNorm(norm):
                let scale = zip(norm.gamma, norm.variance).map { $0 / ($1 + norm.epsilon).squareRoot() }
                values.withUnsafeMutableBufferPointer { buffer in
                    for row in 0..<rows {
                        for column in 0..<width {
                            let index = row * width + column
                            buffer[index] = (buffer[index] - norm.mean[column]) * scale[column] + norm.beta[column]
                        }
                    }
                }
            case .dropout:
                continue
            }
        }
        return values
    }

    /// out[r, u] = bias[u] + sum_i weights[u, i] x[r, i].
    static func dense(_ layer: DenseLayer, _ input: [Double], rows: Int) -> [Double] {
        let units = layer.units
        let inputs = layer.inputs
        var output = [Double](repeating: 0, count: rows * units)
        output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { x in
                layer.weights.withUnsafeBufferPointer { w in
                    for row in 0..<rows {
                        let xBase = row * inputs
                        for unit in 0..<units {
                            let wBase = unit * inputs
                            var sum = layer.bias[unit]
                            for index in 0..<inputs { sum += w[wBase + index] * x[xBase + index] }
                            out[row * units + unit] = sum
                        }
                    }
                }
            }
        }
        return output
    }

    /// Turns last-layer outputs into class probabilities (classification) or leaves them (regression).
    /// One unit: P(outputs[1]) = the value if the network ends in a sigmoid, else the logistic of it.
    /// Several units: the values if the network ends in a softmax; normalised to sum to one if it ends in
    /// sigmoids (one-vs-rest); else their softmax (logits).
    func finalize(_ values: [Double], rows: Int) -> [Double] {
        guard network.task == .classification else { return values }
        let final = network.finalActivation
        if network.isSingleUnitBinary {
            var probabilities = [Double](repeating: 0, count: rows * 2)
            for row in 0..<rows {
                let p = final == .sigmoid ? values[row] : Activation.logistic(values[row])
                probabilities[2 * row] = 1 - p
                probabilities[2 * row + 1] = p
            }
            return probabilities
        }
        if final == .softmax { return values }
        var probabilities = values
        let width = network.outputs.count
        if final == .sigmoid {
            // Independent per-class sigmoids (one-vs-rest): normalised to sum to one, keeping the arg-max.
            for row in 0..<rows {
                let base = row * width
                let total = probabilities[base..<(base + width)].reduce(0, +)
                for index in base..<(base + width) {
                    probabilities[index] = total > 0 ? probabilities[index] / total : 1 / Double(width)
                }
            }
            return probabilities
        }
        Activation.softmax.apply(to: &probabilities, rows: rows, width: width)
        return probabilities
    }
}
