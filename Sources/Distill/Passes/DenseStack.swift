/// Rewrites on a network that is a plain stack of dense layers (see `FoldNormalization`): removing a
/// hidden neuron (its row in its layer and its column in the next, with a constant standing in for its
/// output folded into the next layer's bias), and removing an input feature the same way.
extension Network {
    /// The dense layers (the network must be a plain stack, as `FoldNormalization` leaves it).
    var denseLayers: [DenseLayer] {
        layers.compactMap { layer in
            if case let .dense(dense) = layer { return dense }
            return nil
        }
    }

    /// Hidden neurons per layer (every dense layer but the last).
    public var hiddenNeuronCounts: [Int] { denseLayers.dropLast().map(\.units) }

    /// Removes neuron `unit` of dense layer `layer` (not the last); its output is replaced by `value`
    /// in the next layer (its mean, for a near-constant neuron; 0 for a dead ReLU).
    mutating func removeNeuron(layer: Int, unit: Int, value: Double) {
        var current = denseLayers[layer], next = denseLayers[layer + 1]
        current.weights.removeSubrange((unit * current.inputs)..<((unit + 1) * current.inputs))
        current.bias.remove(at: unit)
        current.units -= 1
        var weights: [Double] = []
        for k in 0..<next.units {
            next.bias[k] += next.weights[k * next.inputs + unit] * value
            for j in 0..<next.inputs where j != unit { weights.append(next.weights[k * next.inputs + j]) }
        }
        next.weights = weights
        next.inputs -= 1
        layers[layer] = .dense(current)
        layers[layer + 1] = .dense(next)
    }

    /// Removes raw input `feature`, replacing it by the raw value `value` (for a categorical feature, the
    /// index of the category kept), folded into the first layer's bias. A removed pixel leaves a hole in
    /// the image, which is then no longer declared; an input before the image moves the image's first input.
    mutating func removeInput(feature: Int, value: Double) {
        if let shape = image {
            if shape.inputs.contains(feature) {
                image = nil
            } else if feature < shape.firstInput {
                image?.firstInput -= 1
            }
        }
        var first = denseLayers[0]
        let offset = schema.offsets[feature], width = schema.features[feature].encodedWidth
        let constant: [Double] = schema.features[feature].isCategorical
            ? (0..<width).map { $0 == Int(value) ? 1 : 0 } : [value]
        var weights: [Double] = []
        for unit in 0..<first.units {
            for j in 0..<first.inputs {
                let w = first.weights[unit * first.inputs + j]
                if j >= offset && j < offset + width {
                    first.bias[unit] += w * constant[j - offset]
                } else {
                    weights.append(w)
                }
            }
        }
        first.weights = weights
        first.inputs -= width
        layers[0] = .dense(first)
        var features = schema.features
        features.remove(at: feature)
        schema = FeatureSchema(features: features)
    }

    /// Raw rows of `data` restricted to the features `network` still has (matched by name).
    func project(_ data: Dataset) -> Dataset {
        let indices = schema.features.map { feature in data.schema.features.firstIndex { $0.name == feature.name }! }
        var values = [Double]()
        values.reserveCapacity(data.rows * indices.count)
        for row in 0..<data.rows { for index in indices { values.append(data[row, index]) } }
        return Dataset(schema: schema, rows: data.rows, values: values, labels: data.labels)
    }
}
