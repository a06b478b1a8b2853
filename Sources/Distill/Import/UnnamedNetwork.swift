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

extension Network {
    /// The native format's rules on parameters (finite numbers, positive finite standard deviations,
    /// non-negative variances with variance + epsilon positive), checked on a network lowered from
    /// another format, so that nothing is evaluated from a NaN and the network can be saved and read back.
    /// `source` says where the layers came from (e.g. "the network lowered from the graph"), `location` where
    /// in the file they were read.
    static func checkParameters(preprocessing: [Preprocessing], layers: [Layer], file: String, at location: InputLocation,
                                source: String) throws {
        func check(_ values: [Double], _ what: String, _ valid: (Double) -> Bool = { $0.isFinite }, expected: String = "finite numbers") throws {
            if let bad = values.firstIndex(where: { !valid($0) }) {
                throw Diagnostic(file: file, at: location, "\(source): \(what)[\(bad)] is \(values[bad].isNaN ? "NaN" : "\(values[bad])"); expected \(expected)")
            }
        }
        for case let .standardize(mean, std) in preprocessing {
            try check(mean, "the input shift (mean)")
            try check(std, "the input scale (std)", { $0.isFinite && $0 > 0 }, expected: "positive finite numbers")
        }
        for (index, layer) in layers.enumerated() {
            let name = "layer \(index) (\(layer.typeName))"
            switch layer {
            case let .dense(dense):
                try check(dense.weights, "\(name) weights")
                try check(dense.bias, "\(name) bias")
                try check(dense.activation.parameters, "\(name) activation parameter")
            case let .activation(activation):
                try check(activation.parameters, "\(name) parameter")
            case let .batchNorm(norm):
                try check(norm.gamma, "\(name) gamma")
                try check(norm.beta, "\(name) beta")
                try check(norm.mean, "\(name) mean")
                try check([norm.epsilon], "\(name) epsilon", { $0.isFinite && $0 >= 0 }, expected: "a non-negative number")
                try check(norm.variance, "\(name) variance", { $0.isFinite && $0 >= 0 && $0 + norm.epsilon > 0 },
                          expected: "non-negative numbers with variance + epsilon positive")
            case .dropout:
                break
            }
        }
    }
}
