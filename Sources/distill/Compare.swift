import ArgumentParser
import Distill

extension DistillCommand {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "How much do you lose by swapping the network for something simpler? Sweep surrogate sizes and kinds: fidelity, accuracy, size.",
            discussion: "Example: distill compare samples/iris/model.json --data samples/iris/train.csv --label species --quick --csv sweep.csv"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @OptionGroup var data: DataOptions

        @Option(name: .customLong("csv"), help: "Also write the table as CSV here.")
        var csvPath: String?

        @Option(name: .customLong("json"), help: "Also write the table as JSON here.")
        var jsonPath: String?

        @Option(help: "Write an SVG plot of fidelity and accuracy against size here.")
        var plot: String?

        @Option(help: "Write a self-contained HTML report here.")
        var report: String?

        @Flag(help: "With --report: add an \"Inside the network\" section: every hidden neuron (what it responds to, a rule for when it is active, its maximising input) and 4 groups of neurons per layer.")
        var inside = false

        @Flag(help: "Add the fitting seconds to the table, CSV and JSON (they vary from run to run, so without this flag two runs with the same seed write identical files).")
        var timing = false

        @Flag(help: "A short sweep (for a first look).")
        var quick = false

        @Flag(help: "Print what the run would evaluate and an estimate of its time (from a short timed probe of the network), then exit without writing anything.")
        var dryRun = false

        @OptionGroup var threading: ThreadOptions

        @OptionGroup var names: NameOptions

        func validate() throws {
            if inside, report == nil { throw ValidationError("--inside adds a section to the HTML report; give --report FILE.html") }
        }

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                let network = try names.load(model)
                if dryRun {
                    let prepared = try TrainingData.prepare(network: network, modelPath: model, options: data.trainingOptions)
                    let probe = try WorkEstimate.Probe.measure(network: network, rows: prepared.train, modelPath: model)
                    let estimate = WorkEstimate.comparison(network: network, rows: prepared.train.rows, heldOut: prepared.test.rows,
                                                           data: data.trainingOptions, quick: quick, probe: probe)
                    return try printToStandardOutput("distill compare --dry-run: nothing written; the run would evaluate:\n" + DryRunText.render(estimate))
                }
                let comparison = try Comparison.run(network: network, modelPath: model, data: data.trainingOptions, quick: quick)
                var files = OutputFiles(inputs: [model] + data.inputPaths + names.files)
                if let csvPath { try files.add(ComparisonReport.csv(comparison, timing: timing), to: csvPath) }
                if let jsonPath { try files.add(ComparisonReport.json(comparison, timing: timing), to: jsonPath) }
                if let plot { try files.add(SVGLinePlot.render(comparison), to: plot) }
                if let report {
                    try files.add(try comparison.htmlReport(network: network, modelPath: model, data: data.trainingOptions, inside: inside,
                                                            naming: OptionFlags.naming), to: report)
                }
                try files.commit()
                try printToStandardOutput(ComparisonReport.text(comparison, timing: timing))
            }
        }
    }
}
