import Foundation
import Testing
@testable import Distill

/// A thread that waits for a value another thread computes (`ComputedOnce`) does the pieces of its
/// `WaitingWork` meanwhile, each once, and then gets the value computed.
struct WaitingWorkTests {
    /// Pieces done (or values got), shared with the threads of a test.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var pieces: [Int] = []
        func add(_ piece: Int) { lock.withLock { pieces.append(piece) } }
        var done: [Int] { lock.withLock { pieces } }
    }

    /// Starts a thread that computes key 1 of `cache` as `make()`, and returns once `make` has begun: the
    /// semaphore is signalled when the thread is done, and the log then holds the value it got.
    func computeOnAnotherThread(_ cache: ComputedOnce<Int, Int>, _ make: @escaping @Sendable () -> Int) throws
        -> (finished: DispatchSemaphore, got: Log) {
        let started = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0), got = Log()
        let thread = Thread {
            got.add(cache.value(1) {
                started.signal()
                return make()
            })
            finished.signal()
        }
        thread.start()
        try #require(started.wait(timeout: .now() + 30) == .success)
        return (finished, got)
    }

    @Test func aWaitingThreadDoesTheRemainingPiecesThenGetsTheValue() throws {
        let cache = ComputedOnce<Int, Int>()
        let helped = DispatchSemaphore(value: 0)
        // Another thread computes key 1, and only finishes once the waiting thread has done every piece.
        let (finished, got) = try computeOnAnotherThread(cache) { helped.wait(timeout: .now() + 30) == .success ? 42 : -1 }
        let log = Log()
        let work = WaitingWork(pieces: 3) { piece in
            log.add(piece)
            if piece == 2 { helped.signal() }
        }
        // Asked while it is computed: this thread does pieces 0, 1 and 2, then waits for the value.
        let value = WaitingWork.$current.withValue(work) { cache.value(1) { 7 } }
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(value == 42)
        #expect(got.done == [42])
        #expect(log.done == [0, 1, 2])
        // Every piece was taken: none is left to run.
        #expect(!work.runNext())
    }

    @Test func aWaitingThreadStopsTakingPiecesOnceTheValueIsThere() throws {
        let cache = ComputedOnce<Int, Int>()
        let release = DispatchSemaphore(value: 0)
        let (finished, _) = try computeOnAnotherThread(cache) {
            _ = release.wait(timeout: .now() + 30)
            return 42
        }
        let log = Log()
        // Piece 0 lets the value be computed and waits until it is: the waiting thread then takes no more.
        let work = WaitingWork(pieces: 3) { piece in
            log.add(piece)
            if piece == 0 {
                release.signal()
                _ = finished.wait(timeout: .now() + 30)
            }
        }
        let value = WaitingWork.$current.withValue(work) { cache.value(1) { 7 } }
        #expect(value == 42)
        #expect(log.done == [0])
        #expect(work.runNext())
    }

    @Test func runAllDoesEveryPieceOnceOnAnyNumberOfThreadsWithItsWorkCurrent() {
        for threads in [1, 2, 5] {
            let log = Log()
            let current = Log()
            var work: WaitingWork!
            work = WaitingWork(pieces: 7) { piece in
                log.add(piece)
                if WaitingWork.current === work { current.add(piece) }
            }
            work.runAll(threads: threads)
            #expect(log.done.sorted() == Array(0..<7))
            #expect(current.done.sorted() == Array(0..<7))
        }
    }
}
