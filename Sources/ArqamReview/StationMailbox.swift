import Synchronization

/// Results from the background threads, waiting for the main loop to take them.
final class StationMailbox: Sendable {
    private let waiting = Mutex<[StationAction]>([])

    func post(_ action: StationAction) {
        waiting.withLock { $0.append(action) }
    }

    /// Everything posted since the last call; readings merged into one action so the queue
    /// is re-sorted once per batch, not once per image.
    func drain() -> [StationAction] {
        let actions = waiting.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
        var readings: [ReadingResult] = []
        var others: [StationAction] = []
        for action in actions {
            if case .readingsArrived(let results) = action { readings += results } else { others.append(action) }
        }
        return readings.isEmpty ? others : others + [.readingsArrived(readings)]
    }
}
