/// What `distill inspect` shows of a network, from the IR (so the same for every front end): the inputs
/// with their kinds and domains, the preprocessing, each layer with its shape and activation, the
/// parameter count and the outputs; as aligned text or as JSON.
public enum ModelSummary {
    /// One layer's line: its type, the widths in and out, the activation and the parameters it holds.
    struct LayerRow {
        var type: String
        var inputs: Int
        var outputs: Int
        var activation: String?
        /// The activation's own parameter (leaky ReLU's and ELU's alpha).
        var alpha: Double?
        var parameters: Int
    }

    static func alpha(_ activation: Activation) -> Double? {
        switch activation {
        case let .leakyReLU(alpha), let .elu(alpha), let .hardSigmoid(alpha): return alpha
        default: return nil
        }
    }

    static func layerRows(_ network: Network) -> [LayerRow] {
        var width = network.schema.encodedWidth
        return network.layers.map { layer in
            defer { width = layer.outputWidth(input: width) }
            switch layer {
            case let .dense(dense):
                return LayerRow(type: "dense", inputs: dense.inputs, outputs: dense.units, activation: dense.activation.name,
                                alpha: alpha(dense.activation), parameters: dense.weights.count + dense.bias.count)
            case let .activation(activation):
                return LayerRow(type: "activation", inputs: width, outputs: width, activation: activation.name, alpha: alpha(activation), parameters: 0)
            case let .batchNorm(norm):
                return LayerRow(type: "batchnorm", inputs: width, outputs: width, activation: nil, alpha: nil, parameters: 2 * norm.width)
            case .dropout:
                return LayerRow(type: "dropout", inputs: width, outputs: width, activation: nil, alpha: nil, parameters: 0)
            }
        }
    }

    static func kindText(_ kind: FeatureKind) -> String {
        switch kind {
        case let .continuous(low, high):
            guard low != nil || high != nil else { return "continuous" }
            return "continuous [\(low.map(NumberText.shortest) ?? "-inf"), \(high.map(NumberText.shortest) ?? "inf")]"
        case .binary: return "binary (0 or 1)"
        case let .categorical(values): return "categorical {\(values.joined(separator: ", "))}"
        }
    }

    static func preprocessingText(_ step: Preprocessing) -> String {
        switch step {
        case let .standardize(mean, std):
            return "standardize \(mean.count) encoded columns: (x - mean) / std"
                + (mean.allSatisfy { $0 == 0 } && std.allSatisfy { $0 == 1 } ? " (identity)" : "")
        }
    }

    /// The readable summary; `file` names the model in the first line.
    public static func text(_ network: Network, file: String) -> String {
        var lines = ["\(file): \(network.name), \(network.task.rawValue)", "", "inputs (\(network.schema.count) raw, \(network.schema.encodedWidth) encoded):"]
        let nameWidth = network.schema.features.map(\.name.count).max() ?? 0
        let inputIndexWidth = "\(max(network.schema.count - 1, 0)).".count
        for (index, feature) in network.schema.features.enumerated() {
            let unit = feature.unit.map { " (\($0))" } ?? ""
            lines.append("  \(RuleListing.pad("\(index).", inputIndexWidth)) \(RuleListing.pad(feature.name, nameWidth))  \(kindText(feature.kind))\(unit)")
        }
        lines.append("")
        if network.preprocessing.isEmpty {
            lines.append("preprocessing: none")
        } else {
            lines.append("preprocessing:")
            lines += network.preprocessing.map { "  " + preprocessingText($0) }
        }
        lines.append("")
        lines.append("layers:")
        let rows = layerRows(network)
        let typeWidth = rows.map(\.type.count).max() ?? 0
        let shapeTexts = rows.map { "\($0.inputs) -> \($0.outputs)" }
        let shapeWidth = shapeTexts.map(\.count).max() ?? 0
        let indexWidth = "\(max(rows.count - 1, 0)).".count
        for (index, row) in rows.enumerated() {
            var line = "  \(RuleListing.pad("\(index).", indexWidth)) \(RuleListing.pad(row.type, typeWidth))  \(RuleListing.pad(shapeTexts[index], shapeWidth))"
            if let activation = row.activation { line += "  \(activation)" }
            if let alpha = row.alpha { line += " (alpha \(NumberText.shortest(alpha)))" }
            if row.parameters > 0 { line += "  (\(row.parameters) parameters)" }
            lines.append(line.replacingTrailingSpaces())
        }
        lines.append("")
        lines.append("parameters: \(network.parameterCount)")
        let role = network.task == .classification ? "classes" : "outputs"
        var outputs = "\(role) (\(network.outputs.count)): \(network.outputs.joined(separator: ", "))"
        if network.isSingleUnitBinary { outputs += " (one sigmoid unit: P(\(network.outputs[1])))" }
        lines.append(outputs)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same as JSON text.
    public static func json(_ network: Network, file: String) -> String { document(network, file: file).render() }

    /// The same as a JSON value.
    static func document(_ network: Network, file: String) -> JSONOutput {
        let inputs: [JSONOutput] = network.schema.features.map { feature in
            var members: [(String, JSONOutput)] = [("name", .string(feature.name))]
            switch feature.kind {
            case let .continuous(low, high):
                members += [("type", .string("continuous")), ("min", low.map(JSONOutput.number) ?? .null),
                            ("max", high.map(JSONOutput.number) ?? .null)]
            case .binary:
                members.append(("type", .string("binary")))
            case let .categorical(values):
                members += [("type", .string("categorical")), ("values", .array(values.map(JSONOutput.string)))]
            }
            if let unit = feature.unit { members.append(("unit", .string(unit))) }
            return .object(members)
        }
        let preprocessing: [JSONOutput] = network.preprocessing.map { step in
            switch step {
            case let .standardize(mean, std):
                return .object([("type", .string("standardize")), ("mean", .array(mean.map(JSONOutput.number))),
                                ("std", .array(std.map(JSONOutput.number)))])
            }
        }
        let layers: [JSONOutput] = layerRows(network).map { row in
            .object([("type", .string(row.type)), ("inputs", .int(row.inputs)), ("outputs", .int(row.outputs)),
                     ("activation", row.activation.map(JSONOutput.string) ?? .null),
                     ("alpha", row.alpha.map(JSONOutput.number) ?? .null), ("parameters", .int(row.parameters))])
        }
        return .object([
            ("file", .string(file)), ("name", .string(network.name)), ("task", .string(network.task.rawValue)),
            ("inputs", .array(inputs)), ("encoded_width", .int(network.schema.encodedWidth)),
            ("preprocessing", .array(preprocessing)), ("layers", .array(layers)),
            ("parameters", .int(network.parameterCount)), ("outputs", .array(network.outputs.map(JSONOutput.string))),
            ("single_unit_binary", .bool(network.isSingleUnitBinary)),
        ])
    }
}
