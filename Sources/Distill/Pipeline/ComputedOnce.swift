import Foundation

/// Values computed at most once per key, by whichever thread asks first; a thread that asks while the
/// value is being computed waits for it, doing the pieces of its `WaitingWork` meanwhile. How the
/// contenders of `--surrogate best`, fitted side by side, share the learners they have in common (RIPPER's
/// list, the optimal tree's splits, the tree a rule list comes from). `make` may ask the same map for
/// another key only where no chain of such requests leads back to its own key (the rule list's fit asks
/// for the tree's, which asks for nothing), and a value asked for by several pieces of a `WaitingWork`
/// must be computed without waiting (`WaitingWork`).
final class ComputedOnce<Key: Hashable, Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var values: [Key: Value] = [:]
    private var running: Set<Key> = []

    /// The value for `key`: the one computed before, else `make()`'s. While another thread computes it,
    /// this one does the pieces of the `WaitingWork` it runs in, if any are left.
    func value(_ key: Key, _ make: () -> Value) -> Value {
        condition.lock()
        var work = WaitingWork.current
        while running.contains(key) {
            if let waiting = work {
                condition.unlock()
                if !waiting.runNext() { work = nil }
                condition.lock()
                continue
            }
            condition.wait()
        }
        if let value = values[key] {
            condition.unlock()
            return value
        }
        running.insert(key)
        condition.unlock()
        let value = make()
        condition.lock()
        values[key] = value
        running.remove(key)
        condition.broadcast()
        condition.unlock()
        return value
    }
}
