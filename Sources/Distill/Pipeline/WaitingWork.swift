import Foundation

/// Pieces of work that threads take in order, and that a thread waiting for a value another thread is
/// computing (`ComputedOnce`) takes up meanwhile instead of idling: how the contest of `--surrogate best`
/// keeps both threads busy when the rule search reaches the optimal tree's splits before they are
/// searched (breast cancer at 64 leaves: the rule search waited 1.3 s of its 3.3 s for them).
///
/// A piece run while waiting runs inside the waiting piece, on its thread. So a value whose computation
/// may itself wait in a `ComputedOnce` (and run pieces there) must be asked for by one piece only, and a
/// value that several pieces ask for must be computed without waiting: otherwise a piece could wait for
/// a value its own thread computes further down the stack, and never get it. In the contest the shared
/// values (RIPPER's list, the optimal tree's splits, the tree the rule list comes from) wait for nothing.
final class WaitingWork: @unchecked Sendable {
    /// The work the current thread takes up while it waits, if any.
    @TaskLocal static var current: WaitingWork?

    private let lock = NSLock()
    private var next = 0
    private let pieces: Int
    private let run: (Int) -> Void

    /// `pieces` pieces, piece `i` done by `run(i)`.
    init(pieces: Int, run: @escaping (Int) -> Void) {
        self.pieces = pieces
        self.run = run
    }

    /// Runs the first piece no thread has taken; false when every piece has been taken.
    func runNext() -> Bool {
        let piece: Int? = lock.withLock {
            guard next < pieces else { return nil }
            defer { next += 1 }
            return next
        }
        guard let piece else { return false }
        run(piece)
        return true
    }

    /// Every piece done, on up to `threads` threads, each of which takes up the remaining pieces while it
    /// waits for a value inside one.
    func runAll(threads: Int) {
        Parallelism.forEach(pieces: max(1, min(threads, pieces)), threads: threads) { _, _ in
            Self.$current.withValue(self) { while runNext() {} }
        }
    }
}
