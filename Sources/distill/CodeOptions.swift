import ArgumentParser
import Distill

extension TreeLayout: ExpressibleByArgument {}

/// Generated-code outputs, shared by `extract` and `emit`.
struct CodeOptions: ParsableArguments {
    @Option(name: .customLong("swift"), help: "Write the surrogate as one dependency-free Swift file here.")
    var swiftPath: String?

    @Option(name: .customLong("c"), help: "Write the surrogate as one C99 header here.")
    var cPath: String?

    @Option(name: .customLong("swift-package"), help: "Write a complete Swift package (source and tests) into this folder.")
    var packageDirectory: String?

    @Option(help: "Name of the generated Swift type (default: <ModelName>Surrogate).")
    var typeName: String?

    @Option(help: "Tree code layout: nested (if/else) or table (flat arrays, for very large trees).")
    var layout: TreeLayout = .nested

    func validate() throws {
        if let typeName, !CodeOutputs.isValidTypeName(typeName) {
            throw ValidationError("--type-name '\(typeName)' is not a usable Swift type name (letters, digits and _, not starting with a digit, not a keyword)")
        }
    }

    var outputs: CodeOutputs { CodeOutputs(swiftPath: swiftPath, cPath: cPath, packageDirectory: packageDirectory) }
}
