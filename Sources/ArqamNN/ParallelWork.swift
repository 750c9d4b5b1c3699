import Foundation

/// Independent per-item work spread over a fixed number of threads. Item i always lands in
/// slot i, so results never depend on how the work was split.
public enum ParallelWork {
    public static func map<Element, Mapped>(
        _ items: [Element], threads: Int, _ transform: (Element) -> Mapped
    ) -> [Mapped] {
        let workers = min(max(threads, 1), items.count)
        guard workers > 1 else { return items.map(transform) }
        let slots = UnsafeMutablePointer<Mapped>.allocate(capacity: items.count)
        defer { slots.deinitialize(count: items.count); slots.deallocate() }
        run(workers: workers) { worker in
            for index in stride(from: worker, to: items.count, by: workers) {
                (slots + index).initialize(to: transform(items[index]))
            }
        }
        return Array(UnsafeBufferPointer(start: slots, count: items.count))
    }

    /// Runs `body(worker)` for worker = 0 ..< count on separate threads and waits for all.
    public static func run(workers: Int, _ body: (Int) -> Void) {
        guard workers > 1 else { body(0); return }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { shared.value($0) }
        }
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`, which runs it only while the
/// caller waits; every caller gives each worker its own slots.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
