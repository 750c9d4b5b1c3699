import Dispatch

/// Runs `body(0) … body(count − 1)` on up to `count` threads and returns when all are
/// done. Work is assigned by index, never by which thread is free, so results do not
/// depend on scheduling.
enum Parallel {
    static func run(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            for index in 0 ..< count { body(index) }
            return
        }
        // Callers hand each index disjoint output memory, which the compiler cannot see
        // through raw pointers; the closure does not escape this call.
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: count, execute: unsafeBitCast(body, to: (@Sendable (Int) -> Void).self))
        }
    }

    /// Part `part` of `parts` equal contiguous pieces of 0 ..< total.
    static func slice(_ total: Int, part: Int, of parts: Int) -> Range<Int> {
        (part * total / parts) ..< ((part + 1) * total / parts)
    }
}
