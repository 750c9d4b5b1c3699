import Foundation
import Synchronization
import Testing
@testable import ArqamNN

@Suite("Parallel and its spinning pool")
struct ParallelTests {
    /// Each index runs exactly once, whoever runs it; checked over many back-to-back jobs so
    /// that helpers are caught both spinning and asleep.
    @Test func everyIndexRunsOnce() {
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3)
        defer { hits.deallocate() }
        for round in 0 ..< 2_000 {
            let count = 1 + round % 3
            hits.update(repeating: 0)
            Parallel.run(count) { index in hits[index] += 1 }
            #expect(Array(hits.prefix(count)) == Array(repeating: 1, count: count), "round \(round)")
            if round % 500 == 499 { usleep(2_000) }  // past the spin limit: helpers fall asleep
        }
    }

    /// A job inside a job, and jobs from several threads at once, find the pool busy and
    /// still complete (on Dispatch).
    @Test func nestedAndConcurrentCallsComplete() {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0 ..< 100 {
                Parallel.run(2) { _ in
                    Parallel.run(2) { _ in total.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(total.load(ordering: .relaxed) == 4 * 100 * 2 * 2)
    }

    /// A busy pool refuses rather than waits; a pool too small for the job refuses too.
    @Test func poolRefusesWhatItCannotTake() {
        let pool = SpinningPool(helpers: 1)
        #expect(pool.run(3) { _ in } == false)
        var inner: Bool?
        #expect(pool.run(2) { index in if index == 0 { inner = pool.run(2) { _ in } } })
        #expect(inner == false)
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: 2)
        defer { results.deallocate() }
        #expect(pool.run(2) { index in results[index] = index * 10 + 1 })
        #expect(Array(results) == [1, 11])
    }

    /// Every item runs once, on a worker index below the number asked for, however the
    /// items fall to the workers.
    @Test func forEachRunsEveryItemOnce() {
        for count in [1, 2, 3, 64] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
            defer { hits.deallocate() }
            hits.update(repeating: 0)
            let strayWorkers = Atomic<Int>(0)
            Parallel.forEach(count, workers: 3) { item, worker in
                if !(0 ..< 3).contains(worker) { strayWorkers.add(1, ordering: .relaxed) }
                hits[item] += 1
            }
            #expect(Array(hits) == Array(repeating: 1, count: count))
            #expect(strayWorkers.load(ordering: .relaxed) == 0)
        }
    }

    @Test func mapKeepsOrder() {
        let squares = Parallel.map(Array(0 ..< 1_000), threads: 2) { $0 * $0 }
        #expect(squares == (0 ..< 1_000).map { $0 * $0 })
    }
}
