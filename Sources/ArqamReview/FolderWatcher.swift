import ArqamData
import Dispatch
import Foundation
import Synchronization

/// Looks at the queue folder about once a second and reports images added, replaced or
/// removed. A file changed within the last second may still be being written; it is left
/// for the next look.
final class FolderWatcher: Sendable {
    private struct Seen {
        var files: [String: QueueFile]
        var folderStamp: Int64?
        var unsettled = false
        var looksSinceListing = 0
    }

    private let queueURL: URL
    private let seen: Mutex<Seen>
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private static let settleNanoseconds: Int64 = 1_000_000_000
    /// Lists the folder at least this often even when its time has not changed, to catch
    /// files rewritten in place.
    private static let looksPerForcedListing = 10

    init(queue: URL, files: [QueueFile]) {
        queueURL = queue
        seen = Mutex(Seen(files: Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { $1 }),
                          folderStamp: QueueFolder.folderStamp(queue)))
    }

    /// `onChange` runs on the watcher's own thread.
    func start(onChange: @escaping @Sendable (_ added: [QueueFile], _ removed: [String]) -> Void) {
        DispatchQueue(label: "arqam.review.folder", qos: .utility).async { [self] in
            defer { finished.signal() }
            while true {
                // A second between looks, in slices so that stopping is prompt.
                for _ in 0..<10 {
                    if stopped.load(ordering: .relaxed) { return }
                    usleep(100_000)
                }
                if let (added, removed) = look(), !added.isEmpty || !removed.isEmpty { onChange(added, removed) }
            }
        }
    }

    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        finished.wait()
    }

    private func look() -> ([QueueFile], [String])? {
        let stamp = QueueFolder.folderStamp(queueURL)
        let mustList = seen.withLock { seen -> Bool in
            seen.looksSinceListing += 1
            return stamp != seen.folderStamp || seen.unsettled || seen.looksSinceListing >= Self.looksPerForcedListing
        }
        guard mustList, let listed = try? QueueFolder.list(queueURL) else { return nil }
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        return seen.withLock { seen in
            seen.folderStamp = stamp
            seen.looksSinceListing = 0
            seen.unsettled = false
            var added: [QueueFile] = []
            var present = Set<String>()
            for file in listed {
                present.insert(file.path)
                guard seen.files[file.path] != file else { continue }
                if now - file.modifiedNanoseconds < Self.settleNanoseconds {
                    seen.unsettled = true
                    continue
                }
                seen.files[file.path] = file
                added.append(file)
            }
            let removed = seen.files.keys.filter { !present.contains($0) }.sorted()
            for path in removed { seen.files[path] = nil }
            return (added, removed)
        }
    }
}
