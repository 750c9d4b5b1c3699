import ArqamOCR
import Foundation

/// What an operator decided about one image.
public enum ReviewStatus: String, Sendable, CaseIterable, Codable {
    /// The prediction was right and became the label.
    case accepted
    /// The operator typed or picked a label different from the prediction.
    case corrected
    /// Nobody can read it; recorded, kept out of training.
    case unreadable
    /// No decision yet; the image comes back later.
    case skipped

    /// Whether the image now has a label that training can use.
    public var isLabeled: Bool { self == .accepted || self == .corrected }
}

/// A decision about to be written.
public struct DecisionDraft: Sendable, Equatable {
    /// Path of the image relative to the queue folder.
    public var path: String
    public var contentHash: String
    public var status: ReviewStatus
    /// The label (Western digits and `/`) for accepted and corrected images, nil otherwise.
    public var label: String?
    public var prediction: String?
    public var confidence: Double?
    public var modelID: String?

    public init(path: String, contentHash: String, status: ReviewStatus, label: String?,
                prediction: String?, confidence: Double?, modelID: String?) {
        self.path = path
        self.contentHash = contentHash
        self.status = status
        self.label = label
        self.prediction = prediction
        self.confidence = confidence
        self.modelID = modelID
    }
}

/// A decision as the store keeps it: never deleted, only withdrawn by undo.
public struct ReviewDecision: Sendable, Equatable {
    public var id: Int64
    public var draft: DecisionDraft
    public var decidedAt: Date
    /// Who decided: `host:pid` of the station.
    public var station: String
    public var withdrawnAt: Date?

    public init(id: Int64, draft: DecisionDraft, decidedAt: Date, station: String, withdrawnAt: Date?) {
        self.id = id
        self.draft = draft
        self.decidedAt = decidedAt
        self.station = station
        self.withdrawnAt = withdrawnAt
    }

    public var path: String { draft.path }
    public var status: ReviewStatus { draft.status }
    public var label: String? { draft.label }
}

/// Size and modification time of a queue file, and the content hash computed when it had them.
public struct QueueFileFingerprint: Sendable, Equatable {
    public var size: Int64
    public var modifiedNanoseconds: Int64
    public var contentHash: String

    public init(size: Int64, modifiedNanoseconds: Int64, contentHash: String) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.contentHash = contentHash
    }
}

/// One image of a reviewed queue that training can use.
public struct LabeledImage: Sendable, Equatable {
    public var url: URL
    public var label: String

    public init(url: URL, label: String) {
        self.url = url
        self.label = label
    }
}

/// The training data a reviewed queue holds now, and what was left out.
public struct ReviewedLabels: Sendable, Equatable {
    /// Accepted and corrected images whose files are still in the queue, by path.
    public var items: [LabeledImage]
    public var unreadable: Int
    public var skipped: Int
    /// Images in the queue with no decision.
    public var unreviewed: Int
    /// Labeled decisions whose image file is no longer in the queue.
    public var missingFiles: Int
}

/// Who holds a queue's station lock.
public struct StationLockHolder: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var pid: Int32
    public var since: Date
    /// Linux boot id of the holder's machine, so a lock from before a reboot is known stale.
    public var bootID: String

    public init(host: String, pid: Int32, since: Date, bootID: String) {
        self.host = host
        self.pid = pid
        self.since = since
        self.bootID = bootID
    }

    public var description: String {
        "\(host) pid \(pid) since \(ReviewTimestamp.iso8601(since))"
    }
}

/// How timestamps are written for people (exports, messages): ISO 8601, UTC, seconds.
public enum ReviewTimestamp {
    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
