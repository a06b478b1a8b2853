import Foundation

/// One block of rows through the whole network: encoding, preprocessing, every layer and the conversion
/// to class probabilities, in two scratch buffers that the layers write in turn.
struct ForwardPass {
    let network: Network
    let kernel: DenseKernel
    /// With `.blas`: the dense layers' weights in single precision, whose products then run by `sgemm`
    /// (`NetworkEvaluator.predictedClasses`, `drawnOutputs`); nil computes in Double.
    var singlePrecision: SingleWeights? = nil

    /// Every dense layer's weights as `Float` (empty for the other layers).
    struct SingleWeights: Sendable {
        let weights: [[Float]]

        init(network: Network) {
            weights = network.layers.map { layer in
                guard case let .dense(dense) = layer else { return [] }
                return dense.weights.map { Float($0) }
            }
        }
    }

    /// A network's `SingleWeights`, made at the first call that needs them and shared by the copies of
    /// an evaluator (the oracle tree labels each node's points with one evaluator).
    final class SingleWeightsCache: @unchecked Sendable {
        private let lock = NSLock()
        private var made: SingleWeights?

        /// The weights of `network`, which must be the network of the evaluator that holds this cache
        /// (the first call's network is kept).
        func weights(for network: Network) -> SingleWeights {
            lock.lock()
            defer { lock.unlock() }
            if let made { return made }
            let weights = SingleWeights(network: network)
            made = weights
            return weights
        }
    }

    /// Scratch space for one block: two buffers of `rows x` the widest step's width.
    final class Block: @unchecked Sendable {
        let capacity: Int
        let first: UnsafeMutablePointer<Double>
        let second: UnsafeMutablePointer<Double>
        /// A dense layer's input and product in single precision (allocated when `singlePrecision`).
        let singleInput: UnsafeMutablePointer<Float>?
        let singleProduct: UnsafeMutablePointer<Float>?

        init(network: Network, rows: Int, singlePrecision: Bool = false) {
            capacity = max(1, rows * ForwardPass.widestStep(network))
            first = .allocate(capacity: capacity)
            second = .allocate(capacity: capacity)
            singleInput = singlePrecision ? .allocate(capacity: capacity) : nil
            singleProduct = singlePrecision ? .allocate(capacity: capacity) : nil
        }

        deinit {
            first.deallocate()
            second.deallocate()
            singleInput?.deallocate()
            singleProduct?.deallocate()
        }
    }

    /// The widest value vector any step of the network holds (the encoded input or a layer's output).
    static func widestStep(_ network: Network) -> Int {
        var widest = max(network.schema.encodedWidth, 1)
        for case let .dense(dense) in network.layers { widest = max(widest, dense.units) }
        return widest
    }

    /// Rows per block, a power of two from 256 to 4096 (measured in docs/performance.md): up to a widest
    /// step of 256 values, as many rows as keep one buffer near 64K values (512 KB, the activations stay in
    /// the core's cache from one layer to the next); beyond, half the width, so that the cost of packing a
    /// wide weight matrix, which BLAS pays once per call, stays small against the product.
    static func blockRows(_ network: Network) -> Int {
        let widest = widestStep(network)
        let wanted = widest <= 256 ? 65_536 / widest : widest / 2
        var rows = 256
        while rows < 4096 && rows * 2 <= wanted { rows *= 2 }
        return rows
    }

    /// Class probabilities or outputs for `rows` raw rows (`network.schema.count` values each) into
    /// `output` (`rows x` the class or output count).
    func evaluate(raw: UnsafePointer<Double>, rows: Int, block: Block, output: UnsafeMutablePointer<Double>) {
        network.schema.encode(raw, rows: rows, into: block.first)
        let (values, _) = run(rows: rows, block: block)
        finalize(values, rows: rows, output: output)
    }

    /// The last layer's raw output for `rows` encoded rows: a pointer into the block, and its width.
    func forward(encoded: UnsafePointer<Double>, rows: Int, block: Block) -> (UnsafeMutablePointer<Double>, Int) {
        block.first.update(from: encoded, count: rows * network.schema.encodedWidth)
        return run(rows: rows, block: block)
    }

    /// Preprocessing and every layer on the encoded rows in `block.first`.
    private func run(rows: Int, block: Block) -> (UnsafeMutablePointer<Double>, Int) {
        let width = network.schema.encodedWidth
        standardize(block.first, rows: rows)
        return layers(from: 0, rows: rows, block: block, current: block.first, spare: block.second, width: width)
    }

    /// The preprocessing steps in place on `rows` encoded rows.
    func standardize(_ values: UnsafeMutablePointer<Double>, rows: Int) {
        let width = network.schema.encodedWidth
        for case let .standardize(mean, std) in network.preprocessing {
            for row in 0..<rows {
                let row = values + row * width
                for column in 0..<width { row[column] = (row[column] - mean[column]) / std[column] }
            }
        }
    }

    /// Outputs for rows whose first dense layer's products (without the bias) are in `block.first`: the
    /// bias and activation, the later layers, and the conversion to probabilities into `output`.
    func evaluate(firstProducts rows: Int, block: Block, output: UnsafeMutablePointer<Double>) {
        guard case let .dense(first) = network.layers.first else { preconditionFailure("the network does not start with a dense layer") }
        first.bias.withUnsafeBufferPointer { bias in
            first.activation.applyBiased(block.first, rows: rows, width: first.units, bias: bias.baseAddress!)
        }
        let (values, _) = layers(from: 1, rows: rows, block: block, current: block.first, spare: block.second, width: first.units)
        finalize(values, rows: rows, output: output)
    }

    /// Layers `start...` on `current` (`rows x width`), `spare` the other buffer.
    private func layers(from start: Int, rows: Int, block: Block, current: UnsafeMutablePointer<Double>,
                        spare: UnsafeMutablePointer<Double>, width: Int) -> (UnsafeMutablePointer<Double>, Int) {
        var current = current, spare = spare, width = width
        for (index, layer) in zip(start..., network.layers[start...]) {
            switch layer {
            case let .dense(dense):
                switch kernel {
                case .blas where singlePrecision != nil && !singlePrecision!.weights[index].isEmpty && block.singleInput != nil:
                    multiplySingle(dense, weights: singlePrecision!.weights[index], input: current, rows: rows, block: block, output: spare)
                    dense.bias.withUnsafeBufferPointer { bias in
                        dense.activation.applyBiased(spare, rows: rows, width: dense.units, bias: bias.baseAddress!)
                    }
                case .reference:
                    kernel.forward(dense, input: current, rows: rows, output: spare, addBias: true)
                    dense.activation.apply(spare, rows: rows, width: dense.units, vectorized: false)
                case .blas:
                    kernel.forward(dense, input: current, rows: rows, output: spare, addBias: false)
                    dense.bias.withUnsafeBufferPointer { bias in
                        dense.activation.applyBiased(spare, rows: rows, width: dense.units, bias: bias.baseAddress!)
                    }
                }
                swap(&current, &spare)
                width = dense.units
            case let .activation(activation):
                activation.apply(current, rows: rows, width: width, vectorized: kernel != .reference)
            case let .batchNorm(norm):
                let scale = zip(norm.gamma, norm.variance).map { $0 / ($1 + norm.epsilon).squareRoot() }
                for row in 0..<rows {
                    let values = current + row * width
                    for column in 0..<width {
                        values[column] = (values[column] - norm.mean[column]) * scale[column] + norm.beta[column]
                    }
                }
            case .dropout:
                continue
            }
        }
        return (current, width)
    }

    /// `output = input weightsᵀ` (no bias) with the product in single precision: the input rounded to
    /// `Float`, `sgemm`, the product widened back to Double. Falls back to `dgemm` without `sgemm`.
    private func multiplySingle(_ dense: DenseLayer, weights: [Float], input: UnsafeMutablePointer<Double>, rows: Int,
                                block: Block, output: UnsafeMutablePointer<Double>) {
        guard let a = block.singleInput, let c = block.singleProduct, dense.inputs > 0 else {
            return kernel.forward(dense, input: input, rows: rows, output: output, addBias: false)
        }
        for index in 0..<(rows * dense.inputs) { a[index] = Float(input[index]) }
        let done = weights.withUnsafeBufferPointer { w in
            BLAS.multiply(rows: rows, columns: dense.units, depth: dense.inputs, UnsafePointer(a), w.baseAddress!,
                          transposingB: true, into: c)
        }
        guard done else { return kernel.forward(dense, input: input, rows: rows, output: output, addBias: false) }
        for index in 0..<(rows * dense.units) { output[index] = Double(c[index]) }
    }

    /// Turns last-layer outputs into class probabilities (classification) or copies them (regression).
    /// One unit: P(outputs[1]) = the value if the network ends in a sigmoid, else the logistic of it.
    /// Several units: the values if the network ends in a softmax; normalised to sum to one if it ends in
    /// sigmoids (one-vs-rest); else their softmax (logits).
    func finalize(_ values: UnsafePointer<Double>, rows: Int, output: UnsafeMutablePointer<Double>) {
        let width = network.outputWidth
        guard network.task == .classification else {
            output.update(from: values, count: rows * width)
            return
        }
        let final = network.finalActivation
        if network.isSingleUnitBinary {
            for row in 0..<rows {
                let p = final == .sigmoid ? values[row] : Activation.logistic(values[row])
                output[2 * row] = 1 - p
                output[2 * row + 1] = p
            }
            return
        }
        output.update(from: values, count: rows * width)
        if final == .softmax { return }
        if final == .sigmoid {
            // Independent per-class sigmoids (one-vs-rest): normalised to sum to one, keeping the arg-max.
            for row in 0..<rows {
                let probabilities = output + row * width
                var total = 0.0
                for index in 0..<width { total += probabilities[index] }
                for index in 0..<width { probabilities[index] = total > 0 ? probabilities[index] / total : 1 / Double(width) }
            }
            return
        }
        Activation.softmax.apply(output, rows: rows, width: width, vectorized: kernel != .reference)
    }
}
