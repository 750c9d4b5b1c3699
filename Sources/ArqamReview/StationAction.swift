import ArqamData
import ArqamOCR
import Foundation

/// Something that happened: a key, or a result the runtime brings back.
public enum StationAction: Equatable, Sendable {
    case key(Key)
    /// The store has the decision on disk.
    case recorded(ReviewDecision)
    /// The store has marked the decision withdrawn.
    case withdrawn(decisionID: Int64)
    /// A store write failed; nothing changed.
    case storeFailed(String)
    case readingsArrived([ReadingResult])
    case pictureLoaded(path: String, PictureState)
    /// The crop the zoom read a second time, as the model saw it.
    case zoomedPictureLoaded(path: String, PictureState)
    /// Something the operator should know, from outside the station (e.g. a lock taken over).
    case notice(String)
    /// The queue folder changed under the station.
    case filesChanged(added: [QueueItem], removed: [String])
}

/// What the background reader found for one image.
public struct ReadingResult: Equatable, Sendable {
    public var path: String
    public var contentHash: String?
    public var outcome: Outcome

    public enum Outcome: Equatable, Sendable {
        case read(Reading)
        case failed(String)
    }

    public init(path: String, contentHash: String?, outcome: Outcome) {
        self.path = path
        self.contentHash = contentHash
        self.outcome = outcome
    }
}

/// What `update` asks the runtime to do.
public enum StationEffect: Equatable, Sendable {
    /// Write a decision; the runtime adds content hash, model, station and time, then
    /// answers `.recorded` (or `.storeFailed`) before anything is drawn.
    case record(DecisionRequest)
    /// Withdraw a decision (undo); answered by `.withdrawn` or `.storeFailed`.
    case withdraw(decisionID: Int64)
    /// Read these images first, and load the pictures of these.
    case prefetch(readings: [String], pictures: [String])
    /// Crop the image to the digits its reading traced, as the zoom does, for the screen.
    case loadZoomed(path: String, trace: [Int])
    case quit
}

public struct DecisionRequest: Equatable, Sendable {
    public var path: String
    public var contentHash: String?
    public var status: ReviewStatus
    public var label: String?
    public var prediction: String?
    public var confidence: Double?
}
