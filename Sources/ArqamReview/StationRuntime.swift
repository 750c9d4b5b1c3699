import ArqamData
import ArqamOCR
import Foundation

/// Where the station draws and where its keys come from: ncurses, or a script in tests.
public protocol StationTerminal: AnyObject {
    var charset: Charset { get }
    var size: ScreenSize { get }
    func draw(_ screen: ScreenBuffer)
    /// The next key, waiting at most this long; nil when none came.
    func nextKey(timeoutMilliseconds: Int32) -> Key?
}

/// Runs the station: loads the queue, carries out `update`'s effects — store writes at
/// once, before anything is drawn; readings and pictures on background threads — and
/// draws after every change.
public final class StationRuntime {
    public private(set) var state: StationState
    /// A lock left by a station that is gone and was taken over, to say so.
    public let recoveredLock: StationLockHolder?
    public let store: ReviewStore
    private let engine: StationEngine
    private let holder: StationLockHolder
    private let station: String
    private let mailbox = StationMailbox()
    private let reader: ReadingWorker
    private let pictures: PictureLoader
    private let watcher: FolderWatcher
    private let journal: FileHandle?
    private var lastJournalLine = ""
    private var quitRequested = false
    private var closed = false

    /// Opens the queue: takes its lock (refused while another station holds it), loads
    /// decisions and cached predictions, and starts reading what is not cached.
    /// `journal`, when given, gets a line each time the screen shows another image: the
    /// image and the decisions standing then — for tests that kill the station.
    public init(queue: URL, engine: StationEngine, journal: URL? = nil, now: Date = Date()) throws {
        store = try ReviewStore(queue: queue)
        holder = ReviewStore.currentHolder(at: now)
        recoveredLock = try store.acquireLock(as: holder)
        station = "\(holder.host):\(holder.pid)"
        self.engine = engine
        let files: [QueueFile]
        do {
            files = try QueueFolder.list(store.queue)
            let fingerprints = try store.fingerprints()
            let cached = try store.cachedReadings(model: engine.modelID)
            let items = files.map { file -> QueueItem in
                let known = fingerprints[file.path].flatMap { fingerprint in
                    fingerprint.size == file.size && fingerprint.modifiedNanoseconds == file.modifiedNanoseconds ? fingerprint : nil
                }
                return QueueItem(path: file.path, modifiedNanoseconds: file.modifiedNanoseconds,
                                 contentHash: known?.contentHash, reading: known.flatMap { cached[$0.contentHash] })
            }
            let history = try store.activeDecisions().map { decision in
                HistoryEntry(decisionID: decision.id, path: decision.path, status: decision.status,
                             label: decision.label, thisSession: false)
            }
            state = StationState(queueName: store.queue.lastPathComponent, modelName: engine.modelName, files: items,
                                 history: history, startedAt: now)
            state.showsZoomedPicture = engine.zoomedPicture != nil
            reader = ReadingWorker(queue: store.queue, store: store, engine: engine, mailbox: mailbox,
                                   cachedReadings: cached, fingerprints: fingerprints)
            pictures = PictureLoader(queue: store.queue, engine: engine, mailbox: mailbox)
            watcher = FolderWatcher(queue: store.queue, files: files)
            self.journal = try journal.map { url in
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                return try FileHandle(forWritingTo: url)
            }
        } catch {
            try? store.releaseLock(heldBy: holder)
            throw error
        }
        let byPath = Dictionary(files: files)
        reader.enqueue(state.ordered.compactMap { index in
            state.items[index].reading == nil ? byPath[state.items[index].path] : nil
        })
        if let first = state.current {
            dispatch(.pictureLoaded(path: first, pictures.loadNow(first)))
        }
        let mailbox = self.mailbox, reader = self.reader
        watcher.start { added, removed in
            // The station must know an image before its reading can arrive.
            mailbox.post(.filesChanged(added: added.map { QueueItem(path: $0.path, modifiedNanoseconds: $0.modifiedNanoseconds) },
                                       removed: removed))
            reader.enqueue(added)
        }
    }

    /// Runs until `q`, Ctrl-C, or `stopRequested` says so; then closes.
    public func run(on terminal: StationTerminal, stopRequested: () -> Bool = { false }) {
        var drawnSize = terminal.size
        draw(on: terminal)
        while !quitRequested && !stopRequested() {
            var changed = false
            if let key = terminal.nextKey(timeoutMilliseconds: 30) {
                dispatch(.key(key))
                changed = true
            }
            for action in mailbox.drain() {
                dispatch(action)
                changed = true
            }
            if terminal.size != drawnSize {
                drawnSize = terminal.size
                changed = true
            }
            if changed && !quitRequested { draw(on: terminal) }
        }
        close()
    }

    /// Takes in one action and everything it leads to. Store writes happen here, before the
    /// caller draws again.
    public func dispatch(_ action: StationAction) {
        var pending = [action]
        while !pending.isEmpty {
            let effects = state.apply(pending.removeFirst())
            for effect in effects {
                switch effect {
                case .record(let request):
                    pending.append(record(request))
                case .withdraw(let decisionID):
                    do {
                        try store.withdraw(decisionID: decisionID)
                        pending.append(.withdrawn(decisionID: decisionID))
                    } catch {
                        pending.append(.storeFailed("\(error)"))
                    }
                case .prefetch(let readings, let pictureList):
                    reader.prioritize(readings)
                    pictures.load(pictureList)
                case .loadZoomed(let path, let trace):
                    pictures.loadZoomed(path, trace: trace)
                case .quit:
                    quitRequested = true
                }
            }
        }
    }

    /// Takes in what the background threads have brought so far.
    public func takeBackgroundResults() {
        for action in mailbox.drain() { dispatch(action) }
    }

    /// Stops the background threads, saves cached readings, gives the lock back.
    public func close() {
        guard !closed else { return }
        closed = true
        watcher.stop()
        reader.stop()
        pictures.waitUntilIdle()
        try? store.releaseLock(heldBy: holder)
        try? journal?.close()
    }

    public func draw(on terminal: StationTerminal) {
        terminal.draw(render(state, size: terminal.size, charset: terminal.charset))
        guard let journal else { return }
        let line = (state.current ?? "-") + "\t" + state.history.map { String($0.decisionID) }.joined(separator: ",") + "\n"
        guard line != lastJournalLine else { return }
        lastJournalLine = line
        journal.write(Data(line.utf8))
    }

    private func record(_ request: DecisionRequest) -> StationAction {
        do {
            let hash = try request.contentHash
                ?? ReviewContentHash.sha256Hex(contentsOf: store.queue.appendingPathComponent(request.path))
            let draft = DecisionDraft(path: request.path, contentHash: hash, status: request.status, label: request.label,
                                      prediction: request.prediction, confidence: request.confidence,
                                      modelID: request.prediction == nil ? nil : engine.modelID)
            return .recorded(try store.record(draft, station: station))
        } catch {
            return .storeFailed("\(error)")
        }
    }
}

private extension Dictionary where Key == String, Value == QueueFile {
    init(files: [QueueFile]) {
        self = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { $1 })
    }
}
