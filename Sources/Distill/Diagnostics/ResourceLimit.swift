import Foundation

/// Limits checked before memory is taken: a count flag whose work would not fit in memory is refused with
/// a diagnostic naming the flag, instead of a crash (an allocation beyond memory) or a run that swaps for
/// hours.
public enum ResourceLimit {
    /// What one request's values may take: half of the machine's memory.
    public static var memoryBytes: Double { Double(ProcessInfo.processInfo.physicalMemory) / 2 }

    /// Throws a usage diagnostic naming `flag` (whose value is `value`) when `count` items of
    /// `bytesEach` bytes each (both non-negative) would take more than `memoryBytes`.
    public static func check(_ flag: String, _ value: Int, items count: Int, bytesEach: Int, what: String) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: max(bytesEach, 0))
        guard overflow || count < 0 || Double(bytes) > memoryBytes else { return }
        let needed = overflow || count < 0 ? "more memory than any machine has"
            : String(format: "%.1f GB", Double(bytes) / 1e9)
        throw Diagnostic("\(flag) \(value) would need \(needed) for \(what), more than half of this machine's \(String(format: "%.1f", Double(ProcessInfo.processInfo.physicalMemory) / 1e9)) GB; lower \(flag)",
                         failure: .usage)
    }

    /// `a * b`, or Int.max when it overflows (for a count that `check` then refuses).
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : value
    }
}
