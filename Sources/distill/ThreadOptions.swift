import ArgumentParser
import Distill

extension SplitSearch: ExpressibleByArgument {}

/// `--threads`, `--progress` and `--quiet`, shared by every command that evaluates the network or fits a
/// surrogate: how a run uses the machine and the terminal. Results are byte-identical whatever they are.
struct ThreadOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads for the forward pass and tree fitting (default: DISTILL_THREADS, else every core); the results do not depend on it.")
    var threads: Int?

    @Flag(help: "Print progress on standard error as plain lines when it is not a terminal (on a terminal a bar with the rate and time left is drawn anyway).")
    var progress = false

    @Flag(help: "Print no progress.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, found \(threads)") }
    }

    /// Sets the process's thread count (when given).
    func apply() {
        if let threads { Parallelism.setThreads(threads) }
    }

    /// Runs `body` with the library's progress drawn as `--progress` and `--quiet` ask.
    func reportingProgress(_ body: () throws -> Void) rethrows {
        guard let renderer = ProgressRenderer.chosen(progress: progress, quiet: quiet) else { return try body() }
        defer { renderer.close() }
        try Progress.reporting(to: { renderer.receive($0) }, body)
    }
}

extension ThreadOptions {
    /// The arguments without `--threads N`, `--progress` and `--quiet`, which say nothing about the result.
    static func withoutThreads(_ arguments: ArraySlice<String>) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--threads" { skipNext = true; continue }
            if argument == "--progress" || argument == "--quiet" { continue }
            if !argument.hasPrefix("--threads=") { kept.append(argument) }
        }
        return kept
    }
}
