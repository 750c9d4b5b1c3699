import ArqamData
import ArqamOCR
import Foundation

struct QueueCounts: Equatable, Sendable {
    var done = 0
    var corrected = 0
    var read = 0

    mutating func add(_ item: QueueItem, _ sign: Int) {
        if item.isDone { done += sign }
        if item.decision?.status == .corrected { corrected += sign }
        if item.reading != nil || item.readingError != nil { read += sign }
    }
}

/// The order the queue is worked through; `o` cycles through them.
public enum QueueOrder: CaseIterable, Sendable {
    case leastConfident, fileName, newest

    var next: QueueOrder {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    var title: String {
        switch self {
        case .leastConfident: return "least confident first"
        case .fileName: return "by file name"
        case .newest: return "newest first"
        }
    }
}

/// An image's picture for the screen, while it loads and after.
public enum PictureState: Equatable, Sendable {
    case loaded(ModelPicture)
    case failed(String)
}

/// The decision that stands for an image now.
public struct StandingDecision: Equatable, Sendable {
    public var id: Int64
    public var status: ReviewStatus
    public var label: String?
}

/// One image of the queue.
public struct QueueItem: Equatable, Sendable {
    public var path: String
    public var modifiedNanoseconds: Int64
    public var contentHash: String?
    public var reading: Reading?
    /// Why the model could not read the image, when it could not.
    public var readingError: String?
    public var decision: StandingDecision?
    /// Position of its decision in the history, so recent decisions list first.
    var decisionSequence = 0

    public init(path: String, modifiedNanoseconds: Int64, contentHash: String? = nil, reading: Reading? = nil) {
        self.path = path
        self.modifiedNanoseconds = modifiedNanoseconds
        self.contentHash = contentHash
        self.reading = reading
    }

    /// Still waiting for a decision, so `next` goes there.
    var isUndecided: Bool { decision == nil }
    var isDone: Bool { decision.map { $0.status != .skipped } ?? false }
}

/// A label being typed: Western digits and `/`, and where the cursor stands.
public struct LabelEditor: Equatable, Sendable {
    public var characters: [Character]
    public var cursor: Int

    public init(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
}

public enum StationMode: Equatable, Sendable {
    case reviewing
    case editing(LabelEditor)
    case jumping(query: String)
    case help
}

public struct StationMessage: Equatable, Sendable {
    public enum Kind: Sendable { case info, warning }
    public var text: String
    public var kind: Kind
}

/// What this session did, for the finished screen.
public struct SessionFigures: Equatable, Sendable {
    public var startedAt: Date
    public var lastDecisionAt: Date?
    public var accepted = 0
    public var corrected = 0
    public var unreadable = 0
    public var skipped = 0

    public var reviewed: Int { accepted + corrected + unreadable }

    /// Reviewed images per hour of this session, once a second of it has passed.
    public var imagesPerHour: Double? {
        let elapsed = lastDecisionAt.map { $0.timeIntervalSince(startedAt) } ?? 0
        guard elapsed >= 1 else { return nil }
        return Double(reviewed) * 3600 / elapsed
    }

    mutating func count(_ status: ReviewStatus, by change: Int) {
        switch status {
        case .accepted: accepted += change
        case .corrected: corrected += change
        case .unreadable: unreadable += change
        case .skipped: skipped += change
        }
    }
}

/// A decision in the undo history.
public struct HistoryEntry: Equatable, Sendable {
    public var decisionID: Int64
    public var path: String
    public var status: ReviewStatus
    public var label: String?
    /// Made in this run of the station, so undoing it changes this session's figures.
    public var thisSession: Bool
}

/// Everything the station shows and knows, changed only by `update`.
public struct StationState: Equatable, Sendable {
    public var queueName: String
    /// The model as the header names it.
    public var modelName: String
    public internal(set) var items: [QueueItem] = []
    /// Indices into `items` in display order: undecided, then skipped, then decided, each by `order`.
    public internal(set) var ordered: [Int] = []
    var indexByPath: [String: Int] = [:]
    /// Each item's place in file-name order, parallel to `items`.
    var nameRanks: [Int] = []
    /// Each item's sort key for the current order, parallel to `items`.
    var sortKeys: [SortKey] = []
    /// The header's figures, kept up to date as items change: a frame must not count 10,000 items.
    var counts = QueueCounts()
    public internal(set) var order: QueueOrder = .leastConfident
    /// The image on screen.
    public internal(set) var current: String?
    public internal(set) var mode: StationMode = .reviewing
    /// Every image has a decision (skipped ones revisited once): the finished screen shows.
    public internal(set) var finished = false
    /// Skipped images already shown again since the undecided ones ran out.
    var revisited: Set<String> = []
    /// The images last asked for, so the same request is not repeated on every key.
    var prefetched: [String] = []
    public internal(set) var history: [HistoryEntry] = []
    public internal(set) var pictures: [String: PictureState] = [:]
    /// Each image as the zoom cropped it for its second reading, shown under the whole image,
    /// where digits small in their crop are legible.
    public internal(set) var zoomedPictures: [String: PictureState] = [:]
    /// The reader zooms, so the screen shows the zoomed crop too.
    public var showsZoomedPicture = false
    /// The image whose zoomed crop was last asked for, so it is asked for once.
    var zoomRequested: String?
    public internal(set) var message: StationMessage?
    public internal(set) var session: SessionFigures
    /// Confidence below which a prediction is drawn as doubtful.
    public var lowConfidence = 0.9

    public init(queueName: String, modelName: String, files: [QueueItem], history: [HistoryEntry], startedAt: Date) {
        self.queueName = queueName
        self.modelName = modelName
        session = SessionFigures(startedAt: startedAt)
        self.history = history
        var standing: [String: (StandingDecision, Int)] = [:]
        for (sequence, entry) in history.enumerated() {
            standing[entry.path] = (StandingDecision(id: entry.decisionID, status: entry.status, label: entry.label), sequence + 1)
        }
        items = files.map { file in
            var item = file
            if let (decision, sequence) = standing[file.path] {
                item.decision = decision
                item.decisionSequence = sequence
            }
            return item
        }
        reindex()
        reorder()
        selectNext()
    }

    public func item(_ path: String) -> QueueItem? { indexByPath[path].map { items[$0] } }
    public var currentItem: QueueItem? { current.flatMap(item) }
    public var doneCount: Int { counts.done }
    public var correctedCount: Int { counts.corrected }
    public var readCount: Int { counts.read }

    /// Changes one item, keeping the counts right without going through the whole queue.
    mutating func updateItem(_ index: Int, _ change: (inout QueueItem) -> Void) {
        counts.add(items[index], -1)
        change(&items[index])
        counts.add(items[index], 1)
    }

    /// After the list of items changed as a whole.
    mutating func reindex() {
        indexByPath = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.path, $0) })
        nameRanks = []
        counts = QueueCounts()
        for item in items { counts.add(item, 1) }
    }
}
