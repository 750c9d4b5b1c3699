import ArqamOCR
import Foundation
import GRDB

extension ReviewStore {
    // MARK: Prediction cache

    /// Every cached reading of one model, by image content hash.
    public func cachedReadings(model: String) throws -> [String: Reading] {
        try read { db in
            var readings: [String: Reading] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT content_hash, text, confidence, trace, alternatives FROM prediction WHERE model = ?
                """, arguments: [model])
            while let row = try rows.next() {
                let hash: String = row[0]
                // A damaged entry is read again rather than trusted.
                if let reading = Self.reading(text: row[1], confidence: row[2], trace: row[3], alternatives: row[4]) {
                    readings[hash] = reading
                }
            }
            return readings
        }
    }

    /// Stores readings of one model, by image content hash, in one transaction.
    public func cacheReadings(_ readings: [String: Reading], model: String, at date: Date = Date()) throws {
        guard !readings.isEmpty else { return }
        try write { db in
            let statement = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO prediction (content_hash, model, text, confidence, trace, alternatives, read_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for (hash, reading) in readings {
                try statement.execute(arguments: [hash, model, reading.text, reading.confidence,
                                                  Data(reading.trace.map { UInt8(clamping: $0) }),
                                                  Self.encode(reading.alternatives), date])
            }
        }
    }

    static func encode(_ alternatives: [Alternative]) -> String {
        alternatives.map { "\($0.text)\t\($0.confidence)" }.joined(separator: "\n")
    }

    static func reading(text: String, confidence: Double, trace: Data, alternatives: String) -> Reading? {
        var decoded: [Alternative] = []
        for line in alternatives.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, let value = Double(fields[1]) else { return nil }
            decoded.append(Alternative(text: String(fields[0]), confidence: value))
        }
        let classes = trace.map { Int($0) }
        guard classes.allSatisfy({ $0 < Alphabet.classCount }) else { return nil }
        return Reading(text: text, confidence: confidence, trace: classes, alternatives: decoded)
    }

    // MARK: File fingerprints

    /// The size, modification time and content hash last seen for each queue file.
    public func fingerprints() throws -> [String: QueueFileFingerprint] {
        try read { db in
            var fingerprints: [String: QueueFileFingerprint] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT path, size, modified_ns, content_hash FROM queue_file")
            while let row = try rows.next() {
                fingerprints[row[0]] = QueueFileFingerprint(size: row[1], modifiedNanoseconds: row[2], contentHash: row[3])
            }
            return fingerprints
        }
    }

    public func rememberFingerprints(_ fingerprints: [String: QueueFileFingerprint]) throws {
        guard !fingerprints.isEmpty else { return }
        try write { db in
            let statement = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO queue_file (path, size, modified_ns, content_hash) VALUES (?, ?, ?, ?)
                """)
            for (path, fingerprint) in fingerprints {
                try statement.execute(arguments: [path, fingerprint.size, fingerprint.modifiedNanoseconds, fingerprint.contentHash])
            }
        }
    }

    /// The content hash of a queue file: remembered when its size and time are unchanged,
    /// computed (and not remembered — the caller batches that) otherwise.
    public static func contentHash(of file: QueueFile, in queue: URL, known: QueueFileFingerprint?) throws -> QueueFileFingerprint {
        if let known, known.size == file.size, known.modifiedNanoseconds == file.modifiedNanoseconds {
            return known
        }
        let hash = try ReviewContentHash.sha256Hex(contentsOf: queue.appendingPathComponent(file.path))
        return QueueFileFingerprint(size: file.size, modifiedNanoseconds: file.modifiedNanoseconds, contentHash: hash)
    }
}
