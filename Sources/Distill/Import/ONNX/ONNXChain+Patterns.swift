import ONNXProto

/// The parts of converters' graphs that are not one node per layer: a classifier's label head (skl2onnx's
/// ArgMax, ZipMap and label lookup, whose class labels name the outputs), skl2onnx's binary
/// probabilities [1 - p, p] built from one sigmoid unit (distill's own convention for one unit), and the
/// erf form of GELU that exporters before opset 20 write as five nodes.
extension ONNXChain {
    /// Whether `node` belongs to a classifier's label head; reads the class labels it holds.
    mutating func lowerHead(_ node: Onnx_NodeProto, _ index: Int) throws -> Bool {
        let fromHead = node.input.contains { head.contains($0) }
        switch node.opType {
        case "ArgMax" where node.input.first == current:
            break
        case "ZipMap" where node.input.first == current:
            if let labels = attribute(node, "classlabels_strings")?.strings, !labels.isEmpty {
                classLabels = labels.map { String(decoding: $0, as: UTF8.self) }
            } else if let labels = attribute(node, "classlabels_int64s")?.ints, !labels.isEmpty {
                classLabels = labels.map { String($0) }
            }
        case "ArrayFeatureExtractor" where fromHead:
            if let labels = stringConstants[node.input[0]] {
                classLabels = labels
            } else if let labels = constants[node.input[0]]?.values {
                classLabels = labels.map { $0.rounded() == $0 ? String(Int($0)) : String($0) }
            }
        default:
            guard fromHead, !node.input.contains(current) else { return false }
        }
        head.formUnion(node.output)
        return true
    }

    /// Whether `node` is part of a pattern lowered as a whole (erf GELU, binary probabilities).
    mutating func lowerPatterns(_ node: Onnx_NodeProto, _ index: Int) throws -> Bool {
        guard let output = node.output.first else { return false }
        func scalar(_ name: String) -> Double? {
            guard let tensor = constants[name], tensor.values.count == 1 else { return nil }
            return tensor.values[0]
        }
        func other(_ node: Onnx_NodeProto, than name: String) -> String? {
            node.input.count == 2 && node.input.contains(name) ? node.input.first { $0 != name } ?? name : nil
        }
        if let (input, step) = gelu {
            let operand = other(node, than: current).flatMap(scalar)
            let matched: Bool
            switch step {
            case 1: matched = node.opType == "Erf" && node.input == [current]
            case 2: matched = node.opType == "Add" && operand.map { abs($0 - 1) < 1e-6 } == true
            case 3: matched = node.opType == "Mul" && Set(node.input) == [current, input]
            default: matched = node.opType == "Mul" && operand.map { abs($0 - 0.5) < 1e-6 } == true
            }
            guard matched else {
                throw fail(node, index, "breaks off the erf form of GELU begun at '\(input)' (expected x / sqrt 2, Erf, + 1, times x, times 0.5)")
            }
            current = output
            if step == 4 {
                gelu = nil
                try setActivation(.gelu)
            } else {
                gelu = (input, step + 1)
            }
            return true
        }
        if node.input.first == current, consumers[output] == ["Erf"], let c = node.input.count == 2 ? scalar(node.input[1]) : nil,
           (node.opType == "Div" && abs(c - 2.0.squareRoot()) < 1e-6) || (node.opType == "Mul" && abs(c - 0.5.squareRoot()) < 1e-6) {
            gelu = (current, 1)
            current = output
            return true
        }
        let singleSigmoid = width == 1 && Network.finalActivation(of: layers) == .sigmoid
        if node.opType == "Sub", singleSigmoid, node.input.count == 2, node.input[1] == current,
           scalar(node.input[0]) == 1, consumers[output] == ["Concat"] {
            complement = output
            return true
        }
        if node.opType == "Concat", let complement, node.input == [complement, current], (attribute(node, "axis")?.i ?? 0) == 1 {
            self.complement = nil
            current = output
            return true
        }
        return false
    }
}
