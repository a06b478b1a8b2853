import ArgumentParser
import Distill
import Foundation

extension DistillCommand {
    struct Neurons: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What each hidden neuron responds to: activation statistics, strongest inputs, the rows that activate it most and least, the input that maximises it, and a rule for when it is active.",
            discussion: "Example: distill neurons samples/penguins/model.json --data samples/penguins/train.csv --label species --layer 1 --json neurons.json"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @Option(help: "CSV of rows the neurons are measured on (default: 2000 points drawn from the model's declared domain).")
        var data: String?

        @Option(help: "With --data: the label column, left out of the inputs.")
        var label: String?

        @Option(parsing: .unconditional, help: "Only this hidden layer, from 1 (default: every hidden layer).")
        var layer: Int?

        @Option(parsing: .unconditional, help: "Also find this many groups of neurons per layer that fire together (non-negative matrix factorisation of the activations), with the variance 1 to 8 groups explain.")
        var groups: Int?

        @Option(name: [.short, .customLong("output")], help: "Write the text report here (default: standard output).")
        var output: String?

        @Option(name: .customLong("json"), help: "Also write the profiles as JSON here.")
        var jsonPath: String?

        @Option(help: "Also write a self-contained HTML page of the neurons (and groups; with an image, each neuron's maximising input drawn) here.")
        var report: String?

        @OptionGroup var pictures: ImageOptions

        @Option(parsing: .unconditional, help: "Seed for every random choice.")
        var seed: UInt64 = 1

        @OptionGroup var threading: ThreadOptions

        @OptionGroup var names: NameOptions

        func validate() throws {
            if let layer, layer < 1 { throw ValidationError("--layer must be 1 or more, found \(layer)") }
            if let groups, groups < 1 { throw ValidationError("--groups must be 1 or more, found \(groups)") }
            if label != nil, data == nil { throw ValidationError("--label names a column of --data") }
        }

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                let network = try names.load(model)
                let rows = try data.map { try DatasetLoader.load(path: $0, network: network, label: label) }
                var options = NeuronAnalysis.Options()
                options.layer = layer
                options.groups = groups
                options.seed = seed
                let image = try pictures.shape(of: network, model: model)
                let analysis = try NeuronAnalysis.run(network: network, modelPath: model, data: rows, dataPath: data, options: options)
                let command = (["distill"] + ThreadOptions.withoutThreads(CommandLine.arguments.dropFirst())).joined(separator: " ")
                let text = NeuronReport.text(analysis.profiles, network: network, rows: analysis.rows.rows, source: analysis.source, command: command)
                    + analysis.groups.map { NeuronReport.text($0, network: network) }.joined()
                var files = OutputFiles(inputs: [model] + [data].compactMap { $0 } + names.files)
                if let output, output != "-" { try files.add(text, to: output) }
                if let jsonPath { try files.add(NeuronReport.json(analysis.profiles, network: network, groups: analysis.groups), to: jsonPath) }
                if let report {
                    try files.add(NeuronHTML.page(analysis.profiles, groups: analysis.groups, network: network, data: analysis.rows,
                                                  source: analysis.source, image: image, naming: OptionFlags.naming), to: report)
                }
                if let pixels = pictures.pixels, let maps = NeuronHTML.pixelMaps(analysis.profiles, groups: analysis.groups, network: network,
                                                                                    data: analysis.rows, image: image) {
                    try files.add(maps, to: pixels)
                }
                try files.commit()
                if output == nil || output == "-" { try printToStandardOutput(text) }
            }
        }
    }
}
