extension Network {
    /// A network read from a format that names nothing (ONNX, TF.js): continuous inputs `x0..x{n-1}` with
    /// no declared domain; a classifier when the final activation is softmax or one sigmoid unit (or
    /// `classLabels` were found), its classes `classLabels` when they fit, else `0..k-1`; otherwise a
    /// regression network with outputs `y` or `y0..`. `--feature-names` and `--class-names` rename them.
    static func unnamed(name: String, inputs: Int, preprocessing: [Preprocessing], layers: [Layer],
                        classLabels: [String]? = nil) -> Network {
        let features = (0..<inputs).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) }
        var network = Network(name: name, task: .regression, schema: FeatureSchema(features: features), outputs: [],
                              preprocessing: preprocessing, layers: layers)
        let width = network.outputWidth, last = network.finalActivation
        if last == .softmax || (last == .sigmoid && width == 1) || (classLabels != nil && width > 1) {
            network.task = .classification
            network.outputs = width == 1 ? ["0", "1"] : (0..<width).map(String.init)
            if let classLabels, classLabels.count == max(width, 2), Set(classLabels).count == classLabels.count {
                network.outputs = classLabels
            }
        } else {
            network.outputs = width == 1 ? ["y"] : (0..<width).map { "y\($0)" }
        }
        return network
    }
}

extension DenseLayer {
    /// Weights stored `inputs x units` (ONNX's MatMul and Gemm, Keras and TF.js kernels) as the IR's
    /// `units x inputs`.
    static func unitMajor(_ values: [Double], inputs: Int, units: Int) -> [Double] {
        var weights = [Double](repeating: 0, count: values.count)
        for input in 0..<inputs {
            for unit in 0..<units { weights[unit * inputs + input] = values[input * units + unit] }
        }
        return weights
    }
}
