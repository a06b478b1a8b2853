import ArgumentParser
import Distill

extension DistillCommand {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what distill reads from a model: inputs, preprocessing, layers, parameters and outputs.",
            discussion: "Example: distill inspect samples/penguins/model.json"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Option(name: [.short, .customLong("output")], help: "Write the summary here (default: standard output).")
        var output: String?

        @OptionGroup var names: NameOptions

        func run() throws {
            try reportingDiagnostics {
                let network = try names.load(model)
                let text = json ? ModelSummary.json(network, file: model) : ModelSummary.text(network, file: model)
                try writeOrPrint(text, to: output, inputs: [model] + names.files)
            }
        }
    }
}
