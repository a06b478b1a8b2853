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
            try reportingDiagnostics {
                let network = try names.load(model)
                var generator = SeededGenerator(seed: seed)
                let rows = try data.map { try DatasetLoader.load(path: $0, network: network, label: label) }
                    ?? DomainSampler(schema: network.schema, file: model).sample(rows: 2000, generator: &generator)
                let hidden = NeuronProfile.hiddenLayers(of: network)
                guard !hidden.isEmpty else { throw Diagnostic(file: model, "has no hidden dense layer: its inputs go straight to the outputs", failure: .usage) }
                if let layer, layer > hidden.count {
                    throw Diagnostic(file: model, "has \(hidden.count) hidden layer\(hidden.count == 1 ? "" : "s"); --layer \(layer) asks for more", failure: .usage)
                }
                let chosen = layer.map { [$0] } ?? Array(1...hidden.count)
                let profiles = chosen.flatMap { NeuronProfile.profile(network: network, layer: hidden[$0 - 1], ordinal: $0, data: rows) }
                let command = (["distill"] + ThreadOptions.withoutThreads(CommandLine.arguments.dropFirst())).joined(separator: " ")
                let found = groups.map { count in chosen.map { NeuronGroups.find(network: network, layer: hidden[$0 - 1], ordinal: $0, data: rows, count: count) } } ?? []
                let text = NeuronReport.text(profiles, network: network, rows: rows.rows, source: data ?? "drawn from the declared domain", command: command)
                    + found.map { NeuronReport.text($0, network: network) }.joined()
                var files = OutputFiles(inputs: [model] + [data].compactMap { $0 } + names.files)
                if let output, output != "-" { try files.add(text, to: output) }
                if let jsonPath { try files.add(NeuronReport.json(profiles, network: network, groups: found), to: jsonPath) }
                try files.commit()
                if output == nil || output == "-" { try printToStandardOutput(text) }
            }
        }
    }
}
