extension NetworkEvaluator {
    /// For each feature f in `features`: the outputs for the rows of `base` with feature f's value taken
    /// from the same row of `other` (both raw, `rows x features`), the matrices Sobol' and Saltelli
    /// estimators evaluate.
    ///
    /// Where the network starts with a dense layer (after standardisation), its products for `base` are
    /// computed once and each substitution adds only the changed encoded columns' share (one column for a
    /// continuous feature, its one-hot columns for a categorical one): a rank-k update instead of the
    /// layer's whole product. The results agree with evaluating each substituted matrix to rounding.
    public func evaluateSubstituting(base: [Double], other: [Double], rows: Int, features: [Int]) -> [NetworkOutput] {
        let schema = network.schema
        let rawWidth = schema.count, width = outputWidth
        guard kernel == .blas, case let .dense(first)? = network.layers.first, rows > 0 else {
            return features.map { feature in
                var mixed = base
                for row in 0..<rows { mixed[row * rawWidth + feature] = other[row * rawWidth + feature] }
                return evaluate(raw: mixed, rows: rows)
            }
        }
        let pass = ForwardPass(network: network, kernel: kernel)
        let encodedWidth = schema.encodedWidth, units = first.units
        let encodedBase = standardized(base, rows: rows, pass: pass), encodedOther = standardized(other, rows: rows, pass: pass)
        let baseProducts = DenseKernel.blas.forward(DenseLayer(units: units, inputs: encodedWidth, weights: first.weights,
                                                              bias: [Double](repeating: 0, count: units), activation: .identity),
                                                   encodedBase, rows: rows)
        // Column c of the weights, contiguous: what a change in encoded input c adds to every unit.
        var columns = [Double](repeating: 0, count: encodedWidth * units)
        for unit in 0..<units { for input in 0..<encodedWidth { columns[input * units + unit] = first.weights[unit * encodedWidth + input] } }
        let blockRows = max(1, chunkRows)
        let blocks = (rows + blockRows - 1) / blockRows
        // One buffer: feature by feature, rows x width each.
        var results = [Double](repeating: 0, count: features.count * rows * width)
        results.withUnsafeMutableBufferPointer { results in
            let target = UncheckedBox(results.baseAddress!)
            Parallelism.forEach(pieces: features.count * blocks, threads: threads,
                                scratch: { ForwardPass.Block(network: network, rows: min(blockRows, rows)) }) { piece, block in
                let (slot, start) = (piece / blocks, (piece % blocks) * blockRows)
                let count = min(blockRows, rows - start)
                let feature = features[slot]
                let changed = schema.offsets[feature]..<(schema.offsets[feature] + schema.features[feature].encodedWidth)
                baseProducts.withUnsafeBufferPointer { products in
                    block.first.update(from: products.baseAddress! + start * units, count: count * units)
                }
                for row in 0..<count {
                    let z = block.first + row * units
                    for input in changed {
                        let delta = encodedOther[(start + row) * encodedWidth + input] - encodedBase[(start + row) * encodedWidth + input]
                        guard delta != 0 else { continue }
                        columns.withUnsafeBufferPointer { w in
                            let column = w.baseAddress! + input * units
                            for unit in 0..<units { z[unit] += delta * column[unit] }
                        }
                    }
                }
                pass.evaluate(firstProducts: count, block: block, output: target.value + (slot * rows + start) * width)
            }
        }
        return features.indices.map { slot in
            NetworkOutput(rows: rows, width: width, values: Array(results[(slot * rows * width)..<((slot + 1) * rows * width)]))
        }
    }

    /// Raw rows encoded and standardised: the first dense layer's input.
    private func standardized(_ raw: [Double], rows: Int, pass: ForwardPass) -> [Double] {
        var encoded = network.schema.encode(raw, rows: rows)
        encoded.withUnsafeMutableBufferPointer { pass.standardize($0.baseAddress!, rows: rows) }
        return encoded
    }
}
