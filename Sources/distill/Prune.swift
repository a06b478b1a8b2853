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

        @Option(name: [.short, .customLong("output")], help: "Write the pruned network (model format) here (needed unless --dry-run).")
        var output: String?

        @Option(help: "Largest loss of agreement with the original network, in points, e.g. 0.5 or 0.5%.")
        var maxFidelityLoss: String = "0.5"

        @Flag(help: "Train the pruned network to imitate the original after each round of removals (distillation).")
        var fineTune = false

        @Option(name: .customLong("json"), help: "Also write the pruning report as JSON here.")
        var jsonPath: String?

        @Flag(help: "Print what the run would evaluate and an estimate of its first round's time (from a short timed probe of the network), then exit without writing anything.")
        var dryRun = false

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
            if output == nil, !dryRun { throw ValidationError("give -o FILE for the pruned network (or --dry-run)") }
            _ = try budget()
            try data.validate()
        }

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                let network = try names.load(model)
                let settings = PruningSettings(maxFidelityLoss: try budget(), fineTune: fineTune, seed: data.seed)
                if dryRun {
                    let prepared = try TrainingData.prepare(network: network, modelPath: model, options: data.trainingOptions)
                    let probe = try WorkEstimate.Probe.measure(network: network, rows: prepared.train, modelPath: model)
                    let estimate = try WorkEstimate.pruning(network: network, rows: prepared.train.rows, settings: settings, probe: probe,
                                                            modelPath: model)
                    return try printToStandardOutput("distill prune --dry-run: nothing written; the run would evaluate:\n" + DryRunText.render(estimate))
                }
                let pruning = try Pruning.run(network: network, modelPath: model, data: data.trainingOptions, settings: settings)
                var files = OutputFiles(inputs: [model] + data.inputPaths + names.files)
                if let output { try files.add(ModelDocument.render(pruning.pruned), to: output) }
                if let jsonPath { try files.add(PruningReport.json(pruning), to: jsonPath) }
                try files.commit()
                try printToStandardOutput(PruningReport.text(pruning))
            }
        }
    }
}
