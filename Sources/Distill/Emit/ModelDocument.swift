/// Writes a network in the model format (specs/model-format.md), numbers in round-trip precision, so a
/// pruned network can be fed back to every command.
public enum ModelDocument {
    /// The model file of `network`, which `ModelDecoder` reads back equal.
    ///
    /// - Parameter network: any network (imported, pruned or built in code).
    /// - Returns: the JSON text, numbers written in their shortest round-trip form.
    public static func render(_ network: Network) -> String {
        let inputs = network.schema.features.map(SavedSurrogate.input)
        let layers: [JSONOutput] = network.layers.map { layer in
            switch layer {
            case let .dense(dense):
                var members: [(String, JSONOutput)] = [("type", .string("dense"))]
                members.append(("weights", .array((0..<dense.units).map { unit in
                    .array((0..<dense.inputs).map { .number(dense.weights[unit * dense.inputs + $0]) })
                })))
                members.append(("bias", .array(dense.bias.map { .number($0) })))
                members += activation(dense.activation)
                return .object(members)
            case let .activation(activation):
                return .object([("type", .string("activation"))] + self.activation(activation))
            case let .batchNorm(norm):
                return .object([("type", .string("batchnorm")), ("gamma", numbers(norm.gamma)), ("beta", numbers(norm.beta)),
                                ("mean", numbers(norm.mean)), ("variance", numbers(norm.variance)), ("epsilon", .number(norm.epsilon))])
            case .dropout:
                return .object([("type", .string("dropout"))])
            }
        }
        let preprocessing: [JSONOutput] = network.preprocessing.map { step in
            switch step {
            case let .standardize(mean, std):
                return .object([("type", .string("standardize")), ("mean", numbers(mean)), ("std", numbers(std))])
            }
        }
        var members: [(String, JSONOutput)] = [
            ("format", .string("distill-model")), ("version", .int(1)), ("name", .string(network.name)),
            ("task", .string(network.task.rawValue)), ("inputs", .array(inputs)),
            ("outputs", .array(network.outputs.map { .string($0) })),
        ]
        if !preprocessing.isEmpty { members.append(("preprocessing", .array(preprocessing))) }
        members.append(("layers", .array(layers)))
        if let image = network.image {
            let names = network.schema.features.map(\.name)
            var shape: [(String, JSONOutput)] = [("height", .int(image.height)), ("width", .int(image.width))]
            if image.channels != 1 { shape += [("channels", .int(image.channels)), ("layout", .string(image.channelsLast ? "hwc" : "chw"))] }
            shape.append(("inputs", .array([.string(names[image.inputs.lowerBound]), .string(names[image.inputs.upperBound - 1])])))
            members.append(("image", .object(shape)))
        }
        return JSONOutput.object(members).render()
    }

    static func numbers(_ values: [Double]) -> JSONOutput { .array(values.map { .number($0) }) }

    static func activation(_ activation: Activation) -> [(String, JSONOutput)] {
        var members: [(String, JSONOutput)] = [("activation", .string(activation.name))]
        switch activation {
        case let .leakyReLU(alpha), let .elu(alpha), let .hardSigmoid(alpha): members.append(("alpha", .number(alpha)))
        default: break
        }
        return members
    }
}
