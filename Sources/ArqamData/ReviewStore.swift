import Foundation
import GRDB

/// A queue's review database, `QUEUE/.arqam/review.sqlite`: every decision (withdrawn by undo,
/// never deleted), a cache of predictions keyed by image content and model, the fingerprints
/// of the queue's files, and the lock that keeps a second station away.
///
/// WAL mode with `synchronous=FULL`: a decision is on disk when `record` returns, and a
/// station killed at any moment leaves a database SQLite can open intact.
public final class ReviewStore: Sendable {
    public let queue: URL
    public let databaseURL: URL
    let database: DatabaseQueue

    public static func databaseURL(forQueue queue: URL) -> URL {
        queue.appendingPathComponent(".arqam", isDirectory: true).appendingPathComponent("review.sqlite")
    }

    /// Whether the folder has been opened in the station.
    public static func hasReviewDatabase(queue: URL) -> Bool {
        FileManager.default.fileExists(atPath: databaseURL(forQueue: queue).path)
    }

    /// Opens the queue's database, creating it and bringing its schema up to date.
    public init(queue: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: queue.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ReviewStoreError.queueNotFound(queue)
        }
        self.queue = queue.standardizedFileURL
        databaseURL = Self.databaseURL(forQueue: self.queue)
        do {
            try FileManager.default.createDirectory(at: databaseURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.journalMode = .wal
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            database = try DatabaseQueue(path: databaseURL.path, configuration: configuration)
            try ReviewSchema.migrator.migrate(database)
        } catch {
            throw ReviewStoreError.database(Self.databaseURL(forQueue: queue), reason: Self.reason(error))
        }
    }

    // MARK: Decisions

    /// Writes a decision and returns it once it is on disk.
    @discardableResult
    public func record(_ draft: DecisionDraft, station: String, at date: Date = Date()) throws -> ReviewDecision {
        try write { db in
            try db.execute(sql: """
                INSERT INTO decision (path, content_hash, status, label, prediction, confidence, model, decided_at, station)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [draft.path, draft.contentHash, draft.status.rawValue, draft.label,
                                 draft.prediction, draft.confidence, draft.modelID, date, station])
            return ReviewDecision(id: db.lastInsertedRowID, draft: draft, decidedAt: date, station: station, withdrawnAt: nil)
        }
    }

    /// Marks a decision withdrawn (undo). The row stays, with the time it was withdrawn.
    public func withdraw(decisionID: Int64, at date: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "UPDATE decision SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
                           arguments: [date, decisionID])
        }
    }

    /// Decisions not withdrawn, oldest first: the undo history.
    public func activeDecisions() throws -> [ReviewDecision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decision WHERE withdrawn_at IS NULL ORDER BY id").map(Self.decision)
        }
    }

    /// Every decision ever written, withdrawn ones included, oldest first.
    public func allDecisions() throws -> [ReviewDecision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decision ORDER BY id").map(Self.decision)
        }
    }

    /// The decision that stands for each image: its latest one not withdrawn.
    public func currentDecisions() throws -> [String: ReviewDecision] {
        var current: [String: ReviewDecision] = [:]
        for decision in try activeDecisions() { current[decision.path] = decision }
        return current
    }

    /// SQLite's own check of the file; `"ok"` when intact.
    public func integrityCheck() throws -> String {
        try read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    private static func decision(_ row: Row) throws -> ReviewDecision {
        let statusName: String = row["status"]
        guard let status = ReviewStatus(rawValue: statusName) else {
            throw DatabaseError(message: "decision \(row["id"] as Int64) has unknown status '\(statusName)'")
        }
        let draft = DecisionDraft(path: row["path"], contentHash: row["content_hash"], status: status, label: row["label"],
                                  prediction: row["prediction"], confidence: row["confidence"], modelID: row["model"])
        return ReviewDecision(id: row["id"], draft: draft, decidedAt: row["decided_at"], station: row["station"],
                              withdrawnAt: row["withdrawn_at"])
    }

    // MARK: Access

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as ReviewStoreError {
            throw error
        } catch {
            throw ReviewStoreError.database(databaseURL, reason: Self.reason(error))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as ReviewStoreError {
            throw error
        } catch {
            throw ReviewStoreError.database(databaseURL, reason: Self.reason(error))
        }
    }

    static func reason(_ error: Error) -> String {
        if let databaseError = error as? DatabaseError {
            return databaseError.message ?? databaseError.description
        }
        return "\(error)"
    }
}
