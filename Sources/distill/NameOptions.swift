import ArgumentParser
import Distill

/// `--feature-names FILE` and `--class-names FILE`, shared by every command that reads a model: names
/// for an ONNX model's inputs (`x0..` otherwise) and classes, or a rename of any model's.
struct NameOptions: ParsableArguments {
    @Option(help: "Names for the model's inputs, in order: one per line, or a CSV whose header is the names (ONNX inputs are x0, x1, ... otherwise).")
    var featureNames: String?

    @Option(help: "Names for the model's classes (or regression outputs), in order, one per line (ONNX classes are the graph's labels, else 0, 1, ...).")
    var classNames: String?

    @OptionGroup var limits: InputLimitOptions

    /// The model at `path`, with the names given.
    func load(_ path: String) throws -> Network {
        let network = try ModelDecoder.load(path: path)
        guard featureNames != nil || classNames != nil else { return network }
        return try ModelNames.apply(to: network, features: try featureNames.map(ModelNames.read), featuresFile: featureNames ?? "",
                                    classes: try classNames.map(ModelNames.read), classesFile: classNames ?? "")
    }

    /// The names files, which outputs must never overwrite.
    var files: [String] { [featureNames, classNames].compactMap { $0 } }
}
