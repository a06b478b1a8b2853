import Dispatch
import Foundation

/// How far a long stage of work is: labelling drawn points, a sensitivity method, a sweep's runs,
/// certification's boxes. The library reports; a front end draws (the command-line tool a bar with its
/// rate and time left on standard error).
public struct ProgressUpdate: Sendable {
    /// What the stage does, e.g. "integrated gradients".
    public var stage: String
    /// Units done and in all (at least 1).
    public var done: Int
    public var total: Int
    /// What a unit is: "rows", "runs", "boxes".
    public var unit: String
    /// Seconds since the stage started.
    public var seconds: Double
    /// The stage's last update (`done` may be below `total` when it ended early, e.g. a time limit).
    public var finished: Bool
}

extension ProgressUpdate {
    /// Seconds as a person reads them: "0.4 s", "12 s", "3 min 5 s".
    public static func durationText(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        if seconds < 60 { return "\(Int(seconds.rounded())) s" }
        let whole = Int(seconds.rounded())
        return "\(whole / 60) min \(whole % 60) s"
    }
}

/// One running stage: work advances it, from any thread, and finishes it once.
public final class ProgressStage: @unchecked Sendable {
    private let sink: @Sendable (ProgressUpdate) -> Void
    private let lock = NSLock()
    private let name: String, total: Int, unit: String
    private let start = DispatchTime.now().uptimeNanoseconds
    private var done = 0
    private var finished = false

    init(name: String, total: Int, unit: String, sink: @escaping @Sendable (ProgressUpdate) -> Void) {
        self.name = name
        self.total = max(total, 1)
        self.unit = unit
        self.sink = sink
        sink(update(finished: false))
    }

    private func update(finished: Bool) -> ProgressUpdate {
        ProgressUpdate(stage: name, done: done, total: total, unit: unit,
                       seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, finished: finished)
    }

    /// `count` more units done.
    public func advance(by count: Int = 1) {
        let report: ProgressUpdate? = lock.withLock {
            guard !finished else { return nil }
            done = min(total, done + count)
            return update(finished: false)
        }
        if let report { sink(report) }
    }

    /// `done` units done in all (never less than before).
    public func reach(_ done: Int) {
        let report: ProgressUpdate? = lock.withLock {
            guard !finished, done > self.done else { return nil }
            self.done = min(total, done)
            return update(finished: false)
        }
        if let report { sink(report) }
    }

    /// The stage is over (later calls do nothing).
    public func finish() {
        let report: ProgressUpdate? = lock.withLock {
            guard !finished else { return nil }
            finished = true
            return update(finished: true)
        }
        if let report { sink(report) }
    }
}

/// Where the stages started on this thread report: nowhere unless a front end asks (`reporting`), so
/// that a library user pays nothing. Work spread over worker threads reports through the stage its
/// caller started; the runs of a sweep (each on a worker) report as the sweep's stage only.
public enum Progress {
    @TaskLocal private static var sink: (@Sendable (ProgressUpdate) -> Void)?

    /// Runs `body` with every stage it starts on this thread reported to `sink`.
    public static func reporting<Result>(to sink: @escaping @Sendable (ProgressUpdate) -> Void,
                                         _ body: () throws -> Result) rethrows -> Result {
        try $sink.withValue(sink, operation: body)
    }

    /// The key of the current thread's count of `silenced` calls under way. (A thread's count, not a task
    /// local: binding a task local inside `DispatchQueue.concurrentPerform` on the calling thread crashes
    /// the Swift 6.3.1 runtime in release builds.)
    private static let silencedKey = "distill.progress.silenced"

    /// Runs `body` with no stage it starts on this thread reported: the runs of a sweep, which report as
    /// the sweep's own stage whichever thread they run on.
    public static func silenced<Result>(_ body: () throws -> Result) rethrows -> Result {
        let dictionary = Thread.current.threadDictionary
        let depth = dictionary[silencedKey] as? Int ?? 0
        dictionary[silencedKey] = depth + 1
        defer { dictionary[silencedKey] = depth }
        return try body()
    }

    /// Starts a stage of `total` units, or nil when nobody listens (or the thread is `silenced`).
    public static func stage(_ name: String, total: Int, unit: String) -> ProgressStage? {
        guard let sink, Thread.current.threadDictionary[silencedKey] as? Int ?? 0 == 0 else { return nil }
        return ProgressStage(name: name, total: total, unit: unit, sink: sink)
    }

    /// `body` as a stage of one step, done when `body` returns (work with no count to tell).
    public static func step<Result>(_ name: String, _ body: () throws -> Result) rethrows -> Result {
        try run(name, total: 1, unit: "step") { stage in
            let result = try body()
            stage?.advance()
            return result
        }
    }

    /// `body` as one stage of `total` units; `body` advances it. Finished when `body` returns or throws.
    public static func run<Result>(_ name: String, total: Int, unit: String,
                                   _ body: (ProgressStage?) throws -> Result) rethrows -> Result {
        let stage = stage(name, total: total, unit: unit)
        defer { stage?.finish() }
        return try body(stage)
    }
}
