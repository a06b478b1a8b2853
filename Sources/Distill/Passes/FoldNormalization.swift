/// Rewrites a network into a plain stack of dense layers, each with its activation, computing the same
/// function: standardisation is folded into the first dense layer, batch normalisation into the dense
/// layer before it (when that one has no activation) or after it (when nothing non-linear lies between),
/// standalone activations into a preceding dense layer without activation, and dropout is dropped.
/// - Throws: a diagnostic naming the first layer that cannot be folded.
public enum FoldNormalization {
    /// Folds `network` into a stack of dense layers with no preprocessing.
    /// - Parameters:
    ///   - network: The network to rewrite.
    ///   - file: The model's file, named in diagnostics; empty by default.
    /// - Returns: The same network with only dense layers and an empty `preprocessing`.
    /// - Throws: `Diagnostic` when a batch normalisation has no dense layer to fold into, or a layer other than
    ///   a dense one remains after folding.
    public static func apply(to network: Network, file: String = "") throws -> Network {
        var layers: [Layer] = network.layers.filter { $0 != .dropout }
        // Batch normalisation: backward into a dense layer without activation, else forward into the next.
        var index = 0
        while index < layers.count {
            guard case let .batchNorm(norm) = layers[index] else { index += 1; continue }
            let scale = norm.gamma.indices.map { norm.gamma[$0] / (norm.variance[$0] + norm.epsilon).squareRoot() }
            let shift = norm.beta.indices.map { norm.beta[$0] - norm.mean[$0] * scale[$0] }
            if index > 0, case var .dense(previous) = layers[index - 1], previous.activation == .identity {
                for unit in 0..<previous.units {
                    for input in 0..<previous.inputs { previous.weights[unit * previous.inputs + input] *= scale[unit] }
                    previous.bias[unit] = previous.bias[unit] * scale[unit] + shift[unit]
                }
                layers[index - 1] = .dense(previous)
                layers.remove(at: index)
            } else if index + 1 < layers.count, case var .dense(next) = layers[index + 1] {
                for unit in 0..<next.units {
                    for input in 0..<next.inputs {
                        next.bias[unit] += next.weights[unit * next.inputs + input] * shift[input]
                        next.weights[unit * next.inputs + input] *= scale[input]
                    }
                }
                layers[index + 1] = .dense(next)
                layers.remove(at: index)
            } else {
                throw Diagnostic(file: file, at: .jsonPath("layers"), "a batchnorm layer between non-linear layers cannot be folded into a dense layer; the pruning passes need a stack of dense layers")
            }
        }
        // Standalone activations into the dense layer before them.
        var merged: [Layer] = []
        for layer in layers {
            if case let .activation(activation) = layer, case let .dense(previous)? = merged.last, previous.activation == .identity {
                var dense = previous
                dense.activation = activation
                merged[merged.count - 1] = .dense(dense)
            } else if case .activation(.identity) = layer {
                continue
            } else {
                merged.append(layer)
            }
        }
        layers = merged
        for (position, layer) in layers.enumerated() {
            guard case .dense = layer else {
                throw Diagnostic(file: file, at: .jsonPath("layers"), "a \(layer.typeName) layer (position \(position) after folding) that cannot be folded into a dense layer; the pruning passes need a stack of dense layers")
            }
        }
        // Standardisation into the first dense layer: W (x - m) / s + b.
        var result = network
        result.layers = layers
        result.preprocessing = []
        if case var .dense(first)? = layers.first {
            for case let .standardize(mean, std) in network.preprocessing.reversed() {
                for unit in 0..<first.units {
                    for input in 0..<first.inputs {
                        let w = first.weights[unit * first.inputs + input] / std[input]
                        first.weights[unit * first.inputs + input] = w
                        first.bias[unit] -= w * mean[input]
                    }
                }
            }
            result.layers[0] = .dense(first)
        }
        return result
    }
}
