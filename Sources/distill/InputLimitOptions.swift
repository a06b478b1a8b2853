import ArgumentParser
import Distill

/// `--max-input-size`, shared by every command that reads files: the largest model, saved surrogate or
/// CSV (on the general reader) read whole.
struct InputLimitOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: "Largest input file read whole, e.g. 8G or 500M (default: a quarter of this machine's memory). CSV data read straight into values or streamed is not bound by it.")
    var maxInputSize: String?

    /// Checks the size and sets it for the whole run (before any file is read: validation comes first).
    func validate() throws {
        guard let maxInputSize else { return }
        guard let bytes = ByteCount.parse(maxInputSize) else {
            throw ValidationError("--max-input-size must be a size such as 8G, 500M or 1048576, found '\(maxInputSize)'")
        }
        FileInput.maximumBytes.store(bytes, ordering: .relaxed)
    }
}
