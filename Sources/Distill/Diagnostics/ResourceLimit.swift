import Foundation

/// Limits checked before memory is taken: a count flag whose work would not fit in memory is refused with
/// a diagnostic naming the flag, instead of a crash (an allocation beyond memory) or a run that swaps for
/// hours.
public enum ResourceLimit {
    /// What one request's values may take: half of the machine's memory (tests make it smaller with
    /// DISTILL_TEST_MEMORY_BYTES).
    public static var memoryBytes: Double {
        if let text = ProcessInfo.processInfo.environment["DISTILL_TEST_MEMORY_BYTES"], let bytes = Double(text) { return bytes }
        return Double(ProcessInfo.processInfo.physicalMemory) / 2
    }

    /// Throws a usage diagnostic naming `option` (a settings field, whose value is `value`) when `count`
    /// items of `bytesEach` bytes each (both non-negative) would take more than `memoryBytes`.
    public static func check(_ option: String, _ value: Int, items count: Int, bytesEach: Int, what: String) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: max(bytesEach, 0))
        guard overflow || count < 0 || Double(bytes) > memoryBytes else { return }
        let needed = overflow || count < 0 ? "more memory than any machine has"
            : String(format: "%.1f GB", Double(bytes) / 1e9)
        throw Diagnostic("{\(option)} \(value) would need \(needed) for \(what), more than half of this machine's \(String(format: "%.1f", Double(ProcessInfo.processInfo.physicalMemory) / 1e9)) GB; lower {\(option)}",
                         failure: .usage)
    }

    /// Throws when `rows` rows of `columns` numbers each, read from `file`, would take more than
    /// `memoryBytes`: such a file is streamed by extract (`--stream auto`) and must be split for the rest.
    public static func checkValues(rows: Int, columns: Int, file: String) throws {
        let bytes = product(product(rows, columns), 8)
        guard Double(bytes) > memoryBytes else { return }
        throw Diagnostic(file: file, "its \(rows) rows of \(columns) numbers would take \(ByteCount.text(bytes)) in memory, more than half of this machine's \(ByteCount.text(Int(clamping: ProcessInfo.processInfo.physicalMemory))); extract and the main command stream such a file ({streaming} auto or always), other commands need it split",
                         failure: .usage)
    }

    /// `a * b`, or Int.max when it overflows (for a count that `check` then refuses).
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : value
    }
}
