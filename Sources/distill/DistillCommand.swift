import ArgumentParser
import Distill
import Foundation

@main
struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Compile a trained neural network into readable rules and a small surrogate.",
        discussion: "Without a subcommand, distill runs 'extract': distill model.json -o rules.txt",
        version: "\(DistillVersion.current) (commit \(buildCommit))",
        subcommands: [Extract.self, Certify.self, Predict.self, Emit.self, Sensitivity.self, Explain.self, Neurons.self, Prune.self, Compare.self, Inspect.self],
        defaultSubcommand: Extract.self
    )
}

/// Runs a command body, printing any diagnostic once on standard error and exiting with its failure's
/// status (sysexits: 64 usage, 65 bad data, 66 missing input, 73 cannot create output, 74 I/O error).
/// With `run`, the library's progress is drawn as its `--progress` and `--quiet` ask.
func reportingDiagnostics(_ run: ThreadOptions? = nil, _ body: () throws -> Void) throws {
    do {
        if let run { try run.reportingProgress(body) } else { try body() }
    } catch let diagnostic as Diagnostic {
        try? OutputFiles.write("distill: error: \(diagnostic.rendered(naming: OptionFlags.flag))\n", to: STDERR_FILENO, path: "standard error")
        throw ExitCode(diagnostic.failure.rawValue)
    }
}

/// Writes `text` to standard output (a failed write is a diagnostic, never a crash).
func printToStandardOutput(_ text: String) throws {
    try OutputFiles.write(text, to: STDOUT_FILENO, path: "standard output")
}

/// Writes `text` to `output` atomically (never over one of `inputs`), or to standard output when
/// `output` is nil or "-".
func writeOrPrint(_ text: String, to output: String?, inputs: [String]) throws {
    guard let output, output != "-" else { return try printToStandardOutput(text) }
    var files = OutputFiles(inputs: inputs)
    try files.add(text, to: output)
    try files.commit()
}
