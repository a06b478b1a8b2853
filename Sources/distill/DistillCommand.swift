import ArgumentParser
import Distill
import Foundation

@main
struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Compile a trained neural network into readable rules and a small surrogate.",
        discussion: "Without a subcommand, distill runs 'extract': distill model.json -o rules.txt",
        version: DistillVersion.current,
        subcommands: [Extract.self, Predict.self, Emit.self, Sensitivity.self, Prune.self, Compare.self, Inspect.self],
        defaultSubcommand: Extract.self
    )
}

/// Runs a command body, printing any diagnostic once on standard error and exiting non-zero.
func reportingDiagnostics(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let diagnostic as Diagnostic {
        FileHandle.standardError.write(Data("distill: error: \(diagnostic)\n".utf8))
        throw ExitCode(1)
    }
}

/// Writes `text` to standard output.
func printToStandardOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Writes `text` to `output` atomically (never over one of `inputs`), or to standard output when
/// `output` is nil or "-".
func writeOrPrint(_ text: String, to output: String?, inputs: [String]) throws {
    guard let output, output != "-" else { return printToStandardOutput(text) }
    var files = OutputFiles(inputs: inputs)
    try files.add(text, to: output)
    try files.commit()
}
