import Foundation
import Testing
@testable import Distill

/// A thread that waits for a value another thread computes (`ComputedOnce`) does the pieces of its
/// `WaitingWork` meanwhile, each once, and then gets the value computed.
struct WaitingWorkTests {
    /// Pieces done, shared with the threads of a test.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var pieces: [Int] = []
        func add(_ piece: Int) { lock.withLock { pieces.append(piece) } }
        var done: [Int] { lock.withLock { pieces } }
    }

    @Test func aWaitingThreadDoesTheRemainingPiecesThenGetsTheValue() throws {
        let cache = ComputedOnce<Int, Int>()
        let started = DispatchSemaphore(value: 0), helped = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let result = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        result.initialize(to: 0)
        defer { result.deallocate() }
        let output = UncheckedBox(result)
        // Another thread computes key 1, and only finishes once the waiting thread has done every piece.
        let thread = Thread {
            output.value.pointee = cache.value(1) {
                started.signal()
                return helped.wait(timeout: .now() + 30) == .success ? 42 : -1
            }
            finished.signal()
        }
        thread.start()
        try #require(started.wait(timeout: .now() + 30) == .success)
        let log = Log()
        let work = WaitingWork(pieces: 3) { piece in
            log.add(piece)
            if piece == 2 { helped.signal() }
        }
        // Asked while it is computed: this thread does pieces 0, 1 and 2, then waits for the value.
        let value = WaitingWork.$current.withValue(work) { cache.value(1) { 7 } }
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(value == 42)
        #expect(output.value.pointee == 42)
        #expect(log.done == [0, 1, 2])
        // Every piece was taken: none is left to run.
        #expect(!work.runNext())
    }

    @Test func aWaitingThreadStopsTakingPiecesOnceTheValueIsThere() throws {
        let cache = ComputedOnce<Int, Int>()
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            _ = cache.value(1) {
                started.signal()
                _ = release.wait(timeout: .now() + 30)
                return 42
            }
            finished.signal()
        }
        thread.start()
        try #require(started.wait(timeout: .now() + 30) == .success)
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
