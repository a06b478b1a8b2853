import ArgumentParser
import Distill

extension DistillCommand {
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a smaller network that makes the same decisions (dead, constant and low-contribution neurons, unused inputs).",
            discussion: "Example: distill prune samples/penguins/model.json --data samples/penguins/train.csv --label species -o pruned.json"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @OptionGroup var data: DataOptions

        @Option(name: [.short, .customLong("output")], help: "Write the pruned network (model format) here.")
        var output: String

        @Option(help: "Largest loss of agreement with the original network, in points, e.g. 0.5 or 0.5%.")
        var maxFidelityLoss: String = "0.5"

        @Flag(help: "Train the pruned network to imitate the original after each round of removals (distillation).")
        var fineTune = false

        @Option(name: .customLong("json"), help: "Also write the pruning report as JSON here.")
        var jsonPath: String?

        func budget() throws -> Double {
            let text = maxFidelityLoss.hasSuffix("%") ? String(maxFidelityLoss.dropLast()) : maxFidelityLoss
            guard let value = Double(text), value >= 0, value < 100 else {
                throw ValidationError("--max-fidelity-loss expects points such as 0.5 or 0.5%, found '\(maxFidelityLoss)'")
            }
            return value / 100
        }

        @OptionGroup var threading: ThreadOptions

        @OptionGroup var names: NameOptions

        func validate() throws {
            _ = try budget()
            try data.validate()
        }

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                let network = try names.load(model)
                let settings = PruningSettings(maxFidelityLoss: try budget(), fineTune: fineTune, seed: data.seed)
                let pruning = try Pruning.run(network: network, modelPath: model, data: data.trainingOptions, settings: settings)
                var files = OutputFiles(inputs: [model] + data.inputPaths + names.files)
                try files.add(ModelDocument.render(pruning.pruned), to: output)
                if let jsonPath { try files.add(PruningReport.json(pruning), to: jsonPath) }
                try files.commit()
                try printToStandardOutput(PruningReport.text(pruning))
            }
        }
    }
}
