import Dispatch
import Foundation

/// How many threads distill's parallel loops use, and the one loop they all go through.
///
/// Work is always cut into the same pieces whatever the thread count (the pieces depend on the work
/// only), every piece writes its own part of the result, and results are assembled in piece order: the
/// outcome is byte-identical with one thread and with all of them.
public enum Parallelism {
    private static let setting = ThreadSetting()

    /// Threads for parallel work: the value given to `setThreads` (the CLI's `--threads`), else the
    /// `DISTILL_THREADS` environment variable, else the machine's active processor count.
    public static var threads: Int {
        if let scoped = scopedThreads { return scoped }
        if let chosen = setting.value { return chosen }
        return environmentThreads ?? processors
    }

    @TaskLocal private static var scopedThreads: Int?

    /// Runs `body` with `threads` threads for the work it starts on this thread or task (other threads
    /// keep theirs): how tests compare thread counts side by side.
    public static func withThreads<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
        try $scopedThreads.withValue(max(1, count), operation: body)
    }

    /// Sets the thread count for the rest of the process (nil: back to `DISTILL_THREADS` or the
    /// processor count). Values below 1 count as 1.
    public static func setThreads(_ count: Int?) {
        setting.value = count.map { max(1, $0) }
    }

    /// The machine's active processors, read once.
    static let processors = ProcessInfo.processInfo.activeProcessorCount

    /// `DISTILL_THREADS` when it is a positive integer, read once (reading the environment builds a
    /// dictionary of all of it, too slow for a property read wherever a pass starts).
    static let environmentThreads: Int? = {
        guard let text = ProcessInfo.processInfo.environment["DISTILL_THREADS"], let count = Int(text), count > 0 else {
            return nil
        }
        return count
    }()

    /// Runs `body(piece, worker)` once for every piece in `0..<pieces`, on up to `threads` workers that
    /// take the next piece as they finish one. `worker` (in `0..<min(threads, pieces)`) lets a body keep
    /// scratch space per worker. Returns when every piece is done.
    public static func forEach(pieces: Int, threads: Int = Parallelism.threads, _ body: (_ piece: Int, _ worker: Int) -> Void) {
        guard pieces > 0 else { return }
        let workers = min(max(threads, 1), pieces)
        if workers == 1 {
            for piece in 0..<pieces { body(piece, 0) }
            return
        }
        let counter = PieceCounter()
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                while let piece = counter.next(below: pieces) { shared.value(piece, worker) }
            }
        }
    }

    /// `forEach` over workers that each get scratch space made once by `makeScratch`.
    public static func forEach<Scratch>(pieces: Int, threads: Int = Parallelism.threads, scratch makeScratch: () -> Scratch,
                                        _ body: (_ piece: Int, _ scratch: inout Scratch) -> Void) {
        let workers = min(max(threads, 1), max(pieces, 1))
        var scratches = (0..<workers).map { _ in makeScratch() }
        scratches.withUnsafeMutableBufferPointer { scratches in
            let base = UncheckedBox(scratches)
            forEach(pieces: pieces, threads: workers) { piece, worker in body(piece, &base.value[worker]) }
        }
    }
}

extension Parallelism {
    /// `body(0) ... body(count - 1)` in order, the calls spread over up to `threads` workers, each call's
    /// own parallel work on one thread (so that independent runs, such as a sweep's, are what is spread).
    /// Throws the error of the first call (in order) that throws.
    public static func map<Value>(_ count: Int, threads: Int = Parallelism.threads, _ body: (Int) throws -> Value) throws -> [Value] {
        var results = [Result<Value, Error>?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { results in
            let output = UncheckedBox(results)
            forEach(pieces: count, threads: threads) { piece, _ in
                output.value[piece] = withThreads(threads > 1 ? 1 : Parallelism.threads) { Result { try body(piece) } }
            }
        }
        return try results.map { try $0!.get() }
    }
}

/// The process-wide thread setting, behind a lock.
private final class ThreadSetting: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Int?

    var value: Int? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Hands out piece numbers in order, once each.
private final class PieceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var nextPiece = 0

    func next(below limit: Int) -> Int? {
        lock.withLock {
            guard nextPiece < limit else { return nil }
            defer { nextPiece += 1 }
            return nextPiece
        }
    }
}

/// Carries a value the parallel loop's workers share; each worker only touches its own pieces' parts.
struct UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
