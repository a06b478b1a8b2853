import ArgumentParser
import Distill
import Foundation

extension SensitivityMethod: ExpressibleByArgument {}
extension LayerwiseRelevance.Rule: ExpressibleByArgument {}
extension IntegrationRule: ExpressibleByArgument {}

extension DistillCommand {
    struct Sensitivity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank the inputs by how much they drive the network (gradients, integrated gradients, LRP, permutation, Sobol', Morris).",
            discussion: "Example: distill sensitivity samples/iris/model.json --data samples/iris/train.csv --json sensitivity.json --plot sensitivity.svg"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @Option(help: "CSV of rows to analyse (default: sample the model's declared input domain).")
        var data: String?

        @Option(parsing: .upToNextOption, help: "Methods: gradient, ig, lrp, permutation, sobol, morris, shapley, or all (default all: every method but shapley).")
        var method: [String] = ["all"]

        @Option(name: .customLong("class"), help: "Class whose probability is explained (default: the class predicted most often).")
        var className: String?

        @Option(name: [.short, .customLong("output")], help: "Write the ranked tables here (default: standard output).")
        var output: String?

        @Option(name: .customLong("json"), help: "Also write the rankings as JSON here.")
        var jsonPath: String?

        @Option(name: .customLong("csv"), help: "Also write the rankings as CSV here.")
        var csvPath: String?

        @Option(help: "Also write a bar chart of the rankings (SVG) here.")
        var plot: String?

        @Option(parsing: .unconditional, help: "Sobol': base points N (evaluations N (d + 2)).")
        var sobolSamples: Int = 1024

        @Option(parsing: .unconditional, help: "Morris: trajectories.")
        var morrisTrajectories: Int = 20

        @Option(parsing: .unconditional, help: "Gradients, integrated gradients, LRP and permutation importance explain a seeded sample of at most this many rows (default \(SensitivityAnalysis.Options().explainRows)); the report says so and gives 95% intervals for the means.")
        var explainRows = SensitivityAnalysis.Options().explainRows

        @Option(parsing: .unconditional, help: "Integrated gradients: quadrature points along the path.")
        var steps: Int = 128

        @Option(help: "Integrated gradients quadrature: gauss-legendre (split at ReLU switches), riemann-left, riemann-right, riemann-middle or riemann-trapezoid.")
        var igRule: IntegrationRule = .gaussLegendre

        @Option(help: "Integrated gradients baseline: zeros, mean, median, or a CSV file whose first row is the baseline.")
        var baseline: String = "mean"

        @Option(help: "LRP rule for layers after a ReLU: epsilon or zplus.")
        var lrpRule: LayerwiseRelevance.Rule = .epsilon

        @Option(parsing: .unconditional, help: "Seed for every random choice.")
        var seed: UInt64 = 1

        @Option(parsing: .unconditional, help: "For a model with an image: the side of the square hidden at a time for the occlusion map (default 2).")
        var patch: Int = 2

        @OptionGroup var pictures: ImageOptions

        @Flag(help: "Print what the run would evaluate and an estimate of its time (from a short timed probe of the network), then exit without writing anything.")
        var dryRun = false

        @OptionGroup var threading: ThreadOptions

        @OptionGroup var names: NameOptions

        func validate() throws {
            for name in method where name != "all" && SensitivityMethod(rawValue: name) == nil {
                throw ValidationError("unknown method '\(name)'; expected gradient, ig, lrp, permutation, sobol, morris, shapley or all")
            }
            guard sobolSamples >= 16 else { throw ValidationError("--sobol-samples must be at least 16") }
            guard patch >= 1 else { throw ValidationError("--patch must be 1 or more, found \(patch)") }
            guard steps >= 1, morrisTrajectories >= 2 else { throw ValidationError("--steps must be 1 or more and --morris-trajectories 2 or more") }
        }

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                let network = try names.load(model)
                let rows = try data.map { try DatasetLoader.load(path: $0, network: network, label: nil) }
                var options = SensitivityAnalysis.Options()
                options.methods = Set(method.compactMap(SensitivityMethod.init)).union(method.contains("all") ? SensitivityMethod.standard : [])
                options.className = className
                options.sobolSamples = sobolSamples
                options.morrisTrajectories = morrisTrajectories
                options.integrationSteps = steps
                options.explainRows = explainRows
                options.integrationRule = igRule
                options.lrpRule = lrpRule
                options.seed = seed
                options.image = try pictures.shape(of: network, model: model)
                options.occlusionPatch = patch
                var inputs = [model] + [data].compactMap { $0 } + names.files
                if !["zeros", "mean", "median"].contains(baseline) {
                    let table = try DatasetLoader.load(path: baseline, network: network, label: nil)
                    options.baselineRow = Array(table.values.prefix(network.schema.count))
                    inputs.append(baseline)
                } else {
                    options.baseline = baseline
                }
                if dryRun {
                    let probe = try WorkEstimate.Probe.measure(network: network, rows: rows, modelPath: model)
                    let estimate = WorkEstimate.sensitivity(network: network, rows: rows?.rows ?? options.domainSamples, options: options, probe: probe)
                    return try printToStandardOutput("distill sensitivity --dry-run: nothing written; the run would evaluate:\n" + DryRunText.render(estimate))
                }
                let analysis = try SensitivityAnalysis.run(network: network, modelPath: model, data: rows, options: options)
                let command = (["distill"] + ThreadOptions.withoutThreads(CommandLine.arguments.dropFirst())).joined(separator: " ")
                let text = SensitivityReport.text(analysis, modelName: network.name, command: command, naming: OptionFlags.naming)
                var files = OutputFiles(inputs: inputs)
                if let output, output != "-" { try files.add(text, to: output) }
                if let jsonPath { try files.add(SensitivityReport.json(analysis), to: jsonPath) }
                if let csvPath { try files.add(SensitivityReport.csv(analysis), to: csvPath) }
                if let plot {
                    try files.add(SVGBarChart.render(title: "Sensitivity of \(network.name) (\(analysis.target))", panels: analysis.chartPanels), to: plot)
                }
                if let pixels = pictures.pixels, let maps = SensitivityReport.pixelMaps(analysis) { try files.add(maps, to: pixels) }
                try files.commit()
                if output == nil || output == "-" { try printToStandardOutput(text) }
            }
        }
    }
}
