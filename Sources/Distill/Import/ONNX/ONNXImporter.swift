import Foundation
import ONNXProto

/// Lowers an ONNX model (the binary protobuf form) into the same `Network` as the native format: a
/// single-input feed-forward chain of Gemm or MatMul (+ Add), the element-wise activations, Softmax,
/// BatchNormalization and the pass-through ops; Sub/Div/Mul/Add by constants before the first layer become
/// the preprocessing, after a layer they fold into its weights. Inputs are `x0..x{n-1}`; anything else is
/// a diagnostic naming the node (`graph.node[i]`), its op type and its name.
public enum ONNXImporter {
    /// Reads the model at `path`.
    ///
    /// - Parameter path: an `.onnx` file (with its external-data files beside it, if any).
    /// - Returns: the network the graph's chain of nodes lowers to, inputs named x0, x1, ...
    /// - Throws: a `Diagnostic` naming the node (`graph.node[i]`) that cannot be lowered and why.
    public static func load(path: String) throws -> Network {
        try FileInput.withContents(path: path) { bytes in
            try decode(Data(buffer: bytes), file: path)
        }
    }

    /// Decodes serialized ONNX bytes; `file` names the source in diagnostics.
    public static func decode(_ data: Data, file: String) throws -> Network {
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw Diagnostic(file: file, "not a valid ONNX model: the protobuf does not parse (\(error)); expected a ModelProto as torch.onnx.export or skl2onnx write it")
        }
        guard model.hasGraph else { throw Diagnostic(file: file, "the ONNX model has no graph") }
        var chain = try ONNXChain(graph: model.graph, file: file, external: ONNXExternalData(modelPath: file))
        for (index, node) in model.graph.node.enumerated() {
            try chain.lower(node, index: index)
        }
        return try chain.network(name: model.graph.name.isEmpty ? (file as NSString).lastPathComponent : model.graph.name)
    }
}
