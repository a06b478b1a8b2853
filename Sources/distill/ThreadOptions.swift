import ArgumentParser
import Distill

extension SplitSearch: ExpressibleByArgument {}

/// `--threads`, shared by every command that evaluates the network or fits a surrogate. Results are
/// byte-identical for any thread count; only the time changes.
struct ThreadOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Threads for the forward pass and tree fitting (default: DISTILL_THREADS, else every core); the results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, found \(threads)") }
    }

    /// Sets the process's thread count (when given).
    func apply() {
        if let threads { Parallelism.setThreads(threads) }
    }
}

extension ThreadOptions {
    /// The arguments without `--threads N`, which says nothing about the result.
    static func withoutThreads(_ arguments: ArraySlice<String>) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument == "--threads" { skipNext = true; continue }
            if !argument.hasPrefix("--threads=") { kept.append(argument) }
        }
        return kept
    }
}
