import ArqamData
import ArqamOCR

/// The station's one way to change: an action turns a state into the next state and the
/// effects the runtime must carry out. Pure: no clock, no files, no terminal.
public func update(_ state: StationState, _ action: StationAction) -> (StationState, [StationEffect]) {
    var next = state
    let effects = next.apply(action)
    return (next, effects)
}

extension StationState {
    /// Pictures kept in memory beyond the ones wanted on screen soon.
    static let pictureCacheLimit = 12

    public mutating func apply(_ action: StationAction) -> [StationEffect] {
        var effects: [StationEffect] = []
        switch action {
        case .key(let key):
            message = nil
            effects = handle(key)
        case .recorded(let decision):
            applyRecorded(decision)
        case .withdrawn(let decisionID):
            applyWithdrawn(decisionID)
        case .storeFailed(let reason):
            message = StationMessage(text: "not saved: \(reason)", kind: .warning)
        case .readingsArrived(let results):
            applyReadings(results)
        case .pictureLoaded(let path, let picture):
            pictures[path] = picture
            evictPictures()
        case .zoomedPictureLoaded(let path, let picture):
            zoomedPictures[path] = picture
            evictPictures()
        case .notice(let text):
            message = StationMessage(text: text, kind: .warning)
        case .filesChanged(let added, let removed):
            applyFilesChanged(added: added, removed: removed)
        }
        if let prefetch = prefetchEffect() { effects.append(prefetch) }
        if let zoom = zoomEffect() { effects.append(zoom) }
        return effects
    }

    // MARK: Results coming back

    private mutating func applyRecorded(_ decision: ReviewDecision) {
        history.append(HistoryEntry(decisionID: decision.id, path: decision.path, status: decision.status,
                                    label: decision.label, thisSession: true))
        session.count(decision.status, by: 1)
        session.lastDecisionAt = decision.decidedAt
        mode = .reviewing
        guard let index = indexByPath[decision.path] else { return }
        let sequence = history.count
        updateItem(index) { item in
            item.decision = StandingDecision(id: decision.id, status: decision.status, label: decision.label)
            item.decisionSequence = sequence
        }
        reposition([index])
        message = StationMessage(text: Self.describe(decision.status, label: decision.label, path: decision.path), kind: .info)
        if decision.path == current { selectNext() }
    }

    private mutating func applyWithdrawn(_ decisionID: Int64) {
        guard let position = history.lastIndex(where: { $0.decisionID == decisionID }) else { return }
        let entry = history.remove(at: position)
        if entry.thisSession { session.count(entry.status, by: -1) }
        mode = .reviewing
        let undone = "undone: " + Self.describe(entry.status, label: entry.label, path: entry.path)
        guard let index = indexByPath[entry.path] else {
            message = StationMessage(text: undone + " (no longer in the queue folder)", kind: .info)
            return
        }
        let previous = history.lastIndex { $0.path == entry.path }
        let standing = previous.map { history[$0] }
        updateItem(index) { item in
            item.decision = standing.map { StandingDecision(id: $0.decisionID, status: $0.status, label: $0.label) }
            item.decisionSequence = previous.map { $0 + 1 } ?? 0
        }
        reposition([index])
        current = entry.path
        finished = false
        revisited.remove(entry.path)
        message = StationMessage(text: undone, kind: .info)
    }

    private mutating func applyReadings(_ results: [ReadingResult]) {
        var changed: [Int] = []
        for result in results {
            guard let index = indexByPath[result.path] else { continue }
            updateItem(index) { item in
                if let hash = result.contentHash { item.contentHash = hash }
                switch result.outcome {
                case .read(let reading):
                    item.reading = reading
                    item.readingError = nil
                case .failed(let reason):
                    item.reading = nil
                    item.readingError = reason
                }
            }
            changed.append(index)
        }
        reposition(changed)
    }

    private mutating func applyFilesChanged(added: [QueueItem], removed: [String]) {
        let gone = Set(removed)
        let replaced = Set(added.map(\.path))
        var kept: [QueueItem] = []
        var decisions: [String: (StandingDecision?, Int)] = [:]
        for item in items {
            if replaced.contains(item.path) { decisions[item.path] = (item.decision, item.decisionSequence) }
            if !gone.contains(item.path) && !replaced.contains(item.path) { kept.append(item) }
        }
        for var item in added {
            if let (decision, sequence) = decisions[item.path] {
                item.decision = decision
                item.decisionSequence = sequence
            }
            kept.append(item)
            pictures[item.path] = nil
            zoomedPictures[item.path] = nil
        }
        for path in gone {
            pictures[path] = nil
            zoomedPictures[path] = nil
        }
        zoomRequested = nil
        items = kept
        reindex()
        reorder()
        let newCount = added.count - decisions.count
        if newCount > 0 {
            message = StationMessage(text: newCount == 1 ? "1 new image in the queue" : "\(newCount) new images in the queue", kind: .info)
        }
        if let current, gone.contains(current) {
            message = StationMessage(text: "\(current) left the queue folder", kind: .warning)
            selectNext()
        } else if current == nil {
            selectNext()
        }
    }

    // MARK: Keeping the next images ready

    private mutating func prefetchEffect() -> StationEffect? {
        let wanted = wantedPaths()
        guard wanted != prefetched else { return nil }
        prefetched = wanted
        let readings = wanted.filter { path in item(path).map { $0.reading == nil && $0.readingError == nil } ?? false }
        let pictures = wanted.filter { self.pictures[$0] == nil }
        evictPictures()
        guard !readings.isEmpty || !pictures.isEmpty else { return nil }
        return .prefetch(readings: readings, pictures: pictures)
    }

    /// The zoomed crop of the image on screen, once its reading says where the digits are.
    private mutating func zoomEffect() -> StationEffect? {
        guard showsZoomedPicture, let item = currentItem, let trace = item.reading?.trace,
              zoomedPictures[item.path] == nil, zoomRequested != item.path else { return nil }
        zoomRequested = item.path
        return .loadZoomed(path: item.path, trace: trace)
    }

    private mutating func evictPictures() {
        guard pictures.count > Self.pictureCacheLimit || zoomedPictures.count > Self.pictureCacheLimit else { return }
        let wanted = Set(wantedPaths())
        for path in pictures.keys where !wanted.contains(path) { pictures[path] = nil }
        for path in zoomedPictures.keys where !wanted.contains(path) { zoomedPictures[path] = nil }
    }

    static func describe(_ status: ReviewStatus, label: String?, path: String) -> String {
        switch status {
        case .accepted: return "\(path) accepted as \(label ?? "")"
        case .corrected: return "\(path) corrected to \(label ?? "")"
        case .unreadable: return "\(path) marked unreadable"
        case .skipped: return "\(path) skipped; it comes back later"
        }
    }
}
