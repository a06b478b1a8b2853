import ArgumentParser
import Distill
import Foundation

extension DistillCommand {
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain one row's decision: the network's answer, Shapley values, integrated gradients, LRP, the surrogate rule it falls into and the nearest counterfactual.",
            discussion: "Example: distill explain samples/iris/model.json --row samples/iris/test.csv --row-number 4 --data samples/iris/train.csv --label species --json why.json --plot why.svg"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @Option(help: "CSV (with a header, like the data) whose row is explained: the first, or --row-number.")
        var row: String

        @Option(parsing: .unconditional, help: "Which data row of --row to explain, from 1 (default 1).")
        var rowNumber: Int = 1

        @Option(help: "CSV of rows: the background of the attributions, the domain of the counterfactual, and the rows a depth-4 tree surrogate is fitted on (default: the model's declared domain, and no surrogate).")
        var data: String?

        @Option(help: "With --data: the label column of the data, left out of the inputs.")
        var label: String?

        @Option(name: .customLong("class"), help: "Class whose probability is explained (default: the row's predicted class).")
        var className: String?

        @Option(parsing: .unconditional, help: "Background rows for Shapley values and the integrated-gradients baseline: a seeded sample of N (default: all the rows of --data, or 2000 points drawn from the declared domain; exact Shapley values cost 2^d evaluations per background row).")
        var backgroundRows: Int?

        @Option(name: [.short, .customLong("output")], help: "Write the text report here (default: standard output).")
        var output: String?

        @Option(name: .customLong("json"), help: "Also write the explanation as JSON here.")
        var jsonPath: String?

        @Option(help: "Also write a chart of the attributions (SVG, signed bars) here.")
        var plot: String?

        @Flag(help: "With --data: certify the surrogate (as 'distill certify' does) and say whether the row lies in a certified box of its rule.")
        var certify = false

        @Option(parsing: .unconditional, help: "For a model with an image: the side of the square hidden at a time for the occlusion map (default 2).")
        var patch: Int = 2

        @OptionGroup var pictures: ImageOptions

        @Option(parsing: .unconditional, help: "Also attribute the decision to this many groups of neurons (found over --data, as 'distill neurons --groups' does) of hidden layer --layer.")
        var groups: Int?

        @Option(parsing: .unconditional, help: "With --groups: the hidden layer, from 1 (default: the last).")
        var layer: Int?

        @Option(parsing: .unconditional, help: "Seed for every random choice.")
        var seed: UInt64 = 1

        @OptionGroup var threading: ThreadOptions

        @OptionGroup var names: NameOptions

        func validate() throws {
            guard rowNumber >= 1 else { throw ValidationError("--row-number must be 1 or more, found \(rowNumber)") }
            if let backgroundRows, backgroundRows < 1 { throw ValidationError("--background-rows must be 1 or more, found \(backgroundRows)") }
            if label != nil, data == nil { throw ValidationError("--label names a column of --data") }
            if let groups, groups < 1 { throw ValidationError("--groups must be 1 or more, found \(groups)") }
            if let layer, layer < 1 { throw ValidationError("--layer must be 1 or more, found \(layer)") }
            if layer != nil, groups == nil { throw ValidationError("--layer chooses the layer of --groups; give --groups K") }
            guard patch >= 1 else { throw ValidationError("--patch must be 1 or more, found \(patch)") }
            if certify, data == nil { throw ValidationError("--certify certifies the surrogate fitted on --data; give --data") }
        }

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                let network = try names.load(model)
                let table = try DatasetLoader.load(path: row, network: network, label: nil)
                guard rowNumber <= table.rows else {
                    throw Diagnostic(file: row, "has \(table.rows) data row\(table.rows == 1 ? "" : "s"); --row-number \(rowNumber) asks for more", failure: .data)
                }
                let width = network.schema.count
                let values = Array(table.values[((rowNumber - 1) * width)..<(rowNumber * width)])
                let rows = try data.map { try DatasetLoader.load(path: $0, network: network, label: label) }
                var options = RowExplanation.Options()
                options.className = className
                options.backgroundRows = backgroundRows
                options.seed = seed
                options.image = try pictures.shape(of: network, model: model)
                options.patch = patch
                options.groups = groups
                options.groupLayer = layer
                if let data {
                    options.surrogate = Extraction.Options(data: .init(dataPath: data, label: label, seed: seed))
                    if certify { options.certify = RuleCertifier.Options() }
                }
                let explanation = try RowExplanation.run(network: network, modelPath: model, row: values, data: rows, options: options)
                let command = (["distill"] + ThreadOptions.withoutThreads(CommandLine.arguments.dropFirst())).joined(separator: " ")
                let text = ExplanationReport.text(explanation, command: command)
                var files = OutputFiles(inputs: [model, row] + [data].compactMap { $0 } + names.files)
                if let output, output != "-" { try files.add(text, to: output) }
                if let jsonPath { try files.add(ExplanationReport.json(explanation), to: jsonPath) }
                if let plot { try files.add(ExplanationReport.svg(explanation), to: plot) }
                if let pixels = pictures.pixels, let maps = ExplanationReport.pixelMaps(explanation) { try files.add(maps, to: pixels) }
                try files.commit()
                if output == nil || output == "-" { try printToStandardOutput(text) }
            }
        }
    }
}
