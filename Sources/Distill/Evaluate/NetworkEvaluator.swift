/// The network's answers for a batch of rows.
public struct NetworkOutput: Equatable, Sendable {
    /// Rows evaluated.
    public var rows: Int
    /// Columns per row: the class count (classification) or the output count (regression).
    public var width: Int
    /// Row-major class probabilities (classification) or output values (regression).
    public var values: [Double]

    /// Wraps `values` (`rows x width`, not checked).
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

/// The interpreter of the IR: batched forward evaluation in Double over contiguous row-major buffers.
/// Everything else (surrogates, pruned networks, generated code) is checked against it.
///
/// Rows are cut into blocks of `chunkRows` (sized so a block's activations stay in cache); each block runs
/// through every layer (dense products by `kernel`, bias and activation fused in one pass) on one of
/// `threads` workers, and writes its own rows of the result. The blocks depend on the row count and
/// `chunkRows` only, so the output is byte-identical for any thread count.
public struct NetworkEvaluator: Sendable {
    /// The network evaluated.
    public let network: Network
    /// Rows evaluated per block.
    public var chunkRows: Int
    /// How dense layers are multiplied out (`.reference`: the interpreter's own loop, kept for tests).
    public var kernel: DenseKernel
    /// Workers the blocks are spread over.
    public var threads: Int
    /// Multiply-adds per row from which `predictedClasses` and `drawnOutputs` multiply in single precision
    /// (`defaultSinglePrecisionWork` unless set).
    public var singlePrecisionWork = NetworkEvaluator.defaultSinglePrecisionWork
    /// `network`'s weights in single precision, once made (`predictedClasses`, `drawnOutputs`).
    let singleWeights = ForwardPass.SingleWeightsCache()

    /// Creates an evaluator; `chunkRows` is sized for the network. The fast kernel and every thread by default.
    public init(network: Network, kernel: DenseKernel = .fast, threads: Int = Parallelism.threads) {
        self.network = network
        self.kernel = kernel
        self.threads = threads
        chunkRows = ForwardPass.blockRows(network)
    }

    /// Width of `evaluate`'s rows: the class count (classification) or the output count (regression).
    public var outputWidth: Int { network.task == .classification ? network.outputs.count : network.outputWidth }

    /// Class probabilities or regression outputs for raw rows (row-major, one value per raw feature,
    /// categorical features as category indices).
    ///
    /// - Parameters:
    ///   - raw: `rows` rows of `network.schema.count` values each, row-major.
    ///   - rows: the number of rows.
    /// - Returns: `rows x outputWidth` answers: class probabilities (a single sigmoid unit gives both
    ///   classes) or regression outputs.
    /// - Complexity: O(rows x parameters), in blocks of rows over every core through BLAS.
    public func evaluate(raw: [Double], rows: Int) -> NetworkOutput {
        precondition(raw.count >= rows * network.schema.count, "raw rows shorter than rows x features")
        let pass = ForwardPass(network: network, kernel: kernel)
        let width = outputWidth
        let values = run(rows: rows, outputWidth: width) { block, start, count, output in
            raw.withUnsafeBufferPointer { input in
                pass.evaluate(raw: input.baseAddress! + start * network.schema.count, rows: count, block: block, output: output)
            }
        }
        return NetworkOutput(rows: rows, width: width, values: values)
    }

    /// The last layer's raw output for encoded input rows (after preprocessing and every layer).
    public func forward(encoded: [Double], rows: Int) -> [Double] {
        precondition(encoded.count >= rows * network.schema.encodedWidth, "encoded rows shorter than rows x width")
        let pass = ForwardPass(network: network, kernel: kernel)
        return run(rows: rows, outputWidth: network.outputWidth) { block, start, count, output in
            encoded.withUnsafeBufferPointer { input in
                let (values, width) = pass.forward(encoded: input.baseAddress! + start * network.schema.encodedWidth,
                                                   rows: count, block: block)
                output.update(from: values, count: count * width)
            }
        }
    }

    /// Turns last-layer outputs into class probabilities (classification) or leaves them (regression).
    func finalize(_ values: [Double], rows: Int) -> [Double] {
        var result = [Double](repeating: 0, count: rows * outputWidth)
        values.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                ForwardPass(network: network, kernel: kernel).finalize(input.baseAddress!, rows: rows, output: output.baseAddress!)
            }
        }
        return result
    }

    /// Runs `body(block, start, count, output)` for every block of rows, spread over the workers; `output`
    /// points at the block's first row of a `rows x outputWidth` result.
    func run(rows: Int, outputWidth width: Int, singlePrecision: Bool = false,
             _ body: (ForwardPass.Block, Int, Int, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        guard rows > 0, width > 0 else { return [] }
        let blockRows = max(1, chunkRows)
        let blocks = (rows + blockRows - 1) / blockRows
        let network = self.network
        return [Double](unsafeUninitializedCapacity: rows * width) { buffer, initialized in
            let target = UncheckedBox(buffer.baseAddress!)
            Parallelism.forEach(pieces: blocks, threads: threads,
                                scratch: { ForwardPass.Block(network: network, rows: min(blockRows, rows), singlePrecision: singlePrecision) }) { piece, block in
                let start = piece * blockRows
                let count = min(blockRows, rows - start)
                body(block, start, count, target.value + start * width)
            }
            initialized = rows * width
        }
    }
}
