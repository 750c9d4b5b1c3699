import Dispatch
import Synchronization

/// Work spread over a fixed number of threads. Results never depend on scheduling: work
/// is assigned by index, or — in `forEach` — handed to whichever thread is free only when
/// every item's result is the same whichever thread computes it.
public enum Parallel {
    /// Runs `body(0) … body(count − 1)` on up to `count` threads and returns when all are done.
    public static func run(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            for index in 0 ..< count { body(index) }
            return
        }
        if SpinningPool.shared.run(count, body) { return }
        // Callers hand each index disjoint output memory, which the compiler cannot see
        // through raw pointers; the closure does not escape this call.
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: count, execute: unsafeBitCast(body, to: (@Sendable (Int) -> Void).self))
        }
    }

    /// Runs `body(item, worker)` once for every item of 0 ..< count on `workers` threads,
    /// each worker taking the next item when it is done with its last: a thread slowed by
    /// other processes takes fewer items instead of holding up the join. `worker` only
    /// selects scratch; the caller guarantees that an item's result does not depend on it.
    static func forEach(_ count: Int, workers: Int, _ body: (_ item: Int, _ worker: Int) -> Void) {
        let next = Atomic<Int>(0)
        run(min(workers, count)) { worker in
            while true {
                let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard item < count else { return }
                body(item, worker)
            }
        }
    }

    /// `items.map(transform)` on `threads` threads; item i always lands in slot i.
    public static func map<Element, Mapped>(_ items: [Element], threads: Int, _ transform: (Element) -> Mapped) -> [Mapped] {
        let workers = min(max(threads, 1), items.count)
        guard workers > 1 else { return items.map(transform) }
        let slots = UnsafeMutablePointer<Mapped>.allocate(capacity: items.count)
        defer { slots.deinitialize(count: items.count); slots.deallocate() }
        run(workers) { worker in
            for index in stride(from: worker, to: items.count, by: workers) {
                (slots + index).initialize(to: transform(items[index]))
            }
        }
        return Array(UnsafeBufferPointer(start: slots, count: items.count))
    }

    /// Part `part` of `parts` equal contiguous pieces of 0 ..< total.
    static func slice(_ total: Int, part: Int, of parts: Int) -> Range<Int> {
        (part * total / parts) ..< ((part + 1) * total / parts)
    }
}
