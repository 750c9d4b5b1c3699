import ArqamData
import Foundation
import Testing

@Suite("Review store lock")
struct ReviewLockTests {
    private let since = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func aSecondLiveStationIsRefusedWithTheHolderNamed() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let first = StationLockHolder(host: "kiosk-1", pid: 4242, since: since, bootID: "boot-a")
        let second = StationLockHolder(host: "kiosk-1", pid: 4343, since: since, bootID: "boot-a")
        #expect(try ReviewStore(queue: queue.url).acquireLock(as: first, isAlive: { _ in true }) == nil)
        let error = #expect(throws: ReviewStoreError.self) {
            try ReviewStore(queue: queue.url).acquireLock(as: second, isAlive: { _ in true })
        }
        #expect(error == .queueLocked(queue.url.standardizedFileURL, holder: first))
        let message = error?.description ?? ""
        #expect(message.contains("kiosk-1 pid 4242 since 2026-09-21T"))
    }

    @Test func aLockFromAnotherHostIsNeverTakenOver() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        try store.acquireLock(as: StationLockHolder(host: "kiosk-1", pid: 1, since: since, bootID: "a"), isAlive: { _ in false })
        #expect(throws: ReviewStoreError.self) {
            try store.acquireLock(as: StationLockHolder(host: "kiosk-2", pid: 2, since: since, bootID: "b"), isAlive: { _ in false })
        }
    }

    @Test func aLockLeftByADeadProcessIsRecovered() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        // A real process that has exited and been reaped: its pid names nobody now.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let me = ReviewStore.currentHolder(at: since)
        let dead = StationLockHolder(host: me.host, pid: finished.processIdentifier, since: since, bootID: me.bootID)
        let store = try ReviewStore(queue: queue.url)
        try store.acquireLock(as: dead, isAlive: { _ in true })
        #expect(try store.acquireLock(as: me) == dead)
        #expect(try store.lockHolder() == me)
    }

    @Test func aLockFromBeforeARebootIsRecovered() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        let before = StationLockHolder(host: "kiosk-1", pid: 77, since: since, bootID: "boot-before")
        let after = StationLockHolder(host: "kiosk-1", pid: 78, since: since, bootID: "boot-after")
        try store.acquireLock(as: before, isAlive: { _ in true })
        // pid 77 may well be alive again after a reboot; the boot id says it is someone else.
        #expect(try store.acquireLock(as: after, isAlive: { _ in true }) == before)
    }

    @Test func releasingLetsTheNextStationIn() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        let first = StationLockHolder(host: "kiosk-1", pid: 1, since: since, bootID: "a")
        try store.acquireLock(as: first, isAlive: { _ in true })
        try store.releaseLock(heldBy: first)
        #expect(try store.lockHolder() == nil)
        let second = StationLockHolder(host: "kiosk-1", pid: 2, since: since, bootID: "a")
        #expect(try store.acquireLock(as: second, isAlive: { _ in true }) == nil)
    }
}
