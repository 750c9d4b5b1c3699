import Foundation
import Synchronization

/// Persistent helper threads that spin briefly between jobs. Reading one image on two
/// cores forks and joins four times in about a millisecond; waking a sleeping Dispatch
/// worker for each fork costs tens of microseconds and varies run to run, a helper
/// that is still spinning picks the work up at once. After `spinLimit` without work a
/// helper sleeps, so an idle process uses no CPU.
///
/// One caller at a time: `run` returns false (and does nothing) when the pool is
/// already busy or too small, and the caller uses another way.
final class SpinningPool: @unchecked Sendable {
    static let shared = SpinningPool(helpers: min(max(ProcessInfo.processInfo.activeProcessorCount - 1, 0), 7))

    private final class Helper: @unchecked Sendable {
        /// 1 while a job is posted and not yet finished.
        let posted = Atomic<Int>(0)
        let sleeping = Atomic<Bool>(false)
        let wake = NSCondition()
        /// The part of every job this helper runs.
        let index: Int
        var job: ((Int) -> Void)?

        init(index: Int) { self.index = index }
    }

    private let helpers: [Helper]
    private let busy = Atomic<Bool>(false)
    private static let spinLimit: UInt64 = 300_000

    init(helpers count: Int) {
        helpers = (0 ..< count).map { Helper(index: $0 + 1) }
        for helper in helpers {
            let thread = Thread { Self.serve(helper) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(0)` on the calling thread and `body(1) … body(count − 1)` on helpers;
    /// returns when all are done, or false at once when the pool cannot take the job.
    func run(_ count: Int, _ body: (Int) -> Void) -> Bool {
        guard count - 1 <= helpers.count,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            for index in 1 ..< count {
                let helper = helpers[index - 1]
                helper.job = body
                helper.posted.store(1, ordering: .sequentiallyConsistent)
                if helper.sleeping.load(ordering: .sequentiallyConsistent) {
                    helper.wake.lock()
                    helper.wake.signal()
                    helper.wake.unlock()
                }
            }
            body(0)
            for index in 1 ..< count {
                let helper = helpers[index - 1]
                while helper.posted.load(ordering: .acquiring) != 0 {}
                helper.job = nil
            }
        }
        return true
    }

    private static func serve(_ helper: Helper) {
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + spinLimit
            var spins = 0
            while helper.posted.load(ordering: .acquiring) == 0 {
                spins += 1
                if spins & 255 == 0, DispatchTime.now().uptimeNanoseconds > deadline {
                    sleep(helper)
                    break
                }
            }
            helper.job!(helper.index)
            helper.posted.store(0, ordering: .releasing)
        }
    }

    /// Waits for a post; the flag is raised before the re-check so that a post either sees
    /// it (and signals under the lock) or is seen by the re-check.
    private static func sleep(_ helper: Helper) {
        helper.wake.lock()
        helper.sleeping.store(true, ordering: .sequentiallyConsistent)
        while helper.posted.load(ordering: .sequentiallyConsistent) == 0 { helper.wake.wait() }
        helper.sleeping.store(false, ordering: .sequentiallyConsistent)
        helper.wake.unlock()
    }
}
