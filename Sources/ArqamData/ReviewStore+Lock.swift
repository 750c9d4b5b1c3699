import Foundation
import GRDB

extension ReviewStore {
    /// This process, as it would hold a queue's lock.
    public static func currentHolder(at date: Date = Date()) -> StationLockHolder {
        StationLockHolder(host: hostName(), pid: getpid(), since: date, bootID: bootID())
    }

    /// Takes the queue's station lock for `holder`. A lock left by a station that is gone —
    /// same host, and its process dead or the machine rebooted since — is taken over and its
    /// holder returned so the caller can say so. A live holder gets `queueLocked` naming it.
    @discardableResult
    public func acquireLock(as holder: StationLockHolder,
                            isAlive: (Int32) -> Bool = ReviewStore.processIsAlive) throws -> StationLockHolder? {
        try write { db in
            var recovered: StationLockHolder?
            if let current = try Self.lockHolder(db) {
                let isSelf = current.host == holder.host && current.pid == holder.pid && current.bootID == holder.bootID
                let isStale = current.host == holder.host
                    && ((!current.bootID.isEmpty && current.bootID != holder.bootID) || !isAlive(current.pid))
                if !isSelf && !isStale {
                    throw ReviewStoreError.queueLocked(queue, holder: current)
                }
                recovered = isSelf ? nil : current
            }
            try db.execute(sql: "INSERT OR REPLACE INTO station_lock (id, host, pid, boot_id, since) VALUES (1, ?, ?, ?, ?)",
                           arguments: [holder.host, holder.pid, holder.bootID, holder.since])
            return recovered
        }
    }

    /// Gives the lock back, if `holder` still has it.
    public func releaseLock(heldBy holder: StationLockHolder) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM station_lock WHERE host = ? AND pid = ? AND boot_id = ?",
                           arguments: [holder.host, holder.pid, holder.bootID])
        }
    }

    public func lockHolder() throws -> StationLockHolder? {
        try read { db in try Self.lockHolder(db) }
    }

    private static func lockHolder(_ db: Database) throws -> StationLockHolder? {
        guard let row = try Row.fetchOne(db, sql: "SELECT host, pid, boot_id, since FROM station_lock WHERE id = 1") else {
            return nil
        }
        return StationLockHolder(host: row["host"], pid: row["pid"], since: row["since"], bootID: row["boot_id"])
    }

    /// Whether a process with this id runs on this machine (one we may not signal still runs).
    public static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func bootID() -> String {
        let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
        return text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}
