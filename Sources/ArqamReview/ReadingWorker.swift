import ArqamData
import ArqamOCR
import Dispatch
import Foundation
import Synchronization

/// Reads the queue's images in the background, the wanted ones first: hash the file (or
/// trust its remembered fingerprint), take the cached reading for that content if there is
/// one, otherwise ask the model. Readings and fingerprints go to the store in batches.
final class ReadingWorker: Sendable {
    private struct Jobs {
        var pending: [String: QueueFile] = [:]
        /// The order to read in when nothing is wanted first.
        var backlog: [String] = []
        var backlogStart = 0
        var wanted: [String] = []
        var knownReadings: [String: Reading] = [:]
        var fingerprints: [String: QueueFileFingerprint] = [:]
        var unsavedReadings: [String: Reading] = [:]
        var unsavedFingerprints: [String: QueueFileFingerprint] = [:]
        var lastSave = Date()
        var stopped = false
    }

    private let queueURL: URL
    private let store: ReviewStore
    private let engine: StationEngine
    private let mailbox: StationMailbox
    private let jobs: Mutex<Jobs>
    private let thread = DispatchQueue(label: "arqam.review.reading", qos: .userInitiated)
    private let idle = DispatchGroup()
    private static let saveEvery = 64
    private static let saveAfterSeconds = 1.0

    init(queue: URL, store: ReviewStore, engine: StationEngine, mailbox: StationMailbox,
         cachedReadings: [String: Reading], fingerprints: [String: QueueFileFingerprint]) {
        queueURL = queue
        self.store = store
        self.engine = engine
        self.mailbox = mailbox
        jobs = Mutex(Jobs(knownReadings: cachedReadings, fingerprints: fingerprints))
    }

    /// Adds files to read, in this order after what is already waiting.
    func enqueue(_ files: [QueueFile]) {
        let added = jobs.withLock { jobs -> Int in
            var added = 0
            for file in files where jobs.pending.updateValue(file, forKey: file.path) == nil {
                jobs.backlog.append(file.path)
                added += 1
            }
            return added
        }
        for _ in 0..<added { schedule() }
    }

    /// Reads these first, in this order.
    func prioritize(_ paths: [String]) {
        jobs.withLock { $0.wanted = paths }
    }

    /// Stops taking new images, waits for the one being read, saves what is unsaved.
    func stop() {
        jobs.withLock { $0.stopped = true }
        idle.wait()
        save(force: true)
    }

    private func schedule() {
        idle.enter()
        thread.async { [self] in
            defer { idle.leave() }
            guard let file = nextFile() else { return }
            let result = read(file)
            mailbox.post(.readingsArrived([result]))
            save(force: false)
        }
    }

    private func nextFile() -> QueueFile? {
        jobs.withLock { jobs in
            guard !jobs.stopped else { return nil }
            while let path = jobs.wanted.first {
                jobs.wanted.removeFirst()
                if let file = jobs.pending.removeValue(forKey: path) { return file }
            }
            while jobs.backlogStart < jobs.backlog.count {
                let path = jobs.backlog[jobs.backlogStart]
                jobs.backlogStart += 1
                if let file = jobs.pending.removeValue(forKey: path) { return file }
            }
            return nil
        }
    }

    private func read(_ file: QueueFile) -> ReadingResult {
        let url = queueURL.appendingPathComponent(file.path)
        let known = jobs.withLock { $0.fingerprints[file.path] }
        let fingerprint: QueueFileFingerprint
        do {
            fingerprint = try ReviewStore.contentHash(of: file, in: queueURL, known: known)
        } catch {
            return ReadingResult(path: file.path, contentHash: nil, outcome: .failed("\(error)"))
        }
        let cached = jobs.withLock { jobs -> Reading? in
            if fingerprint != known {
                jobs.fingerprints[file.path] = fingerprint
                jobs.unsavedFingerprints[file.path] = fingerprint
            }
            return jobs.knownReadings[fingerprint.contentHash]
        }
        if let cached {
            return ReadingResult(path: file.path, contentHash: fingerprint.contentHash, outcome: .read(cached))
        }
        do {
            let reading = try engine.read(url)
            jobs.withLock { jobs in
                jobs.knownReadings[fingerprint.contentHash] = reading
                jobs.unsavedReadings[fingerprint.contentHash] = reading
            }
            return ReadingResult(path: file.path, contentHash: fingerprint.contentHash, outcome: .read(reading))
        } catch {
            return ReadingResult(path: file.path, contentHash: fingerprint.contentHash, outcome: .failed("\(error)"))
        }
    }

    /// Writes readings and fingerprints in one transaction every so often, so a queue of
    /// thousands does not wait on a disk sync per image.
    private func save(force: Bool) {
        let (readings, fingerprints) = jobs.withLock { jobs -> ([String: Reading], [String: QueueFileFingerprint]) in
            let due = jobs.unsavedReadings.count + jobs.unsavedFingerprints.count >= Self.saveEvery
                || Date().timeIntervalSince(jobs.lastSave) >= Self.saveAfterSeconds
                || jobs.pending.isEmpty
            guard force || due else { return ([:], [:]) }
            defer {
                jobs.unsavedReadings = [:]
                jobs.unsavedFingerprints = [:]
                jobs.lastSave = Date()
            }
            return (jobs.unsavedReadings, jobs.unsavedFingerprints)
        }
        do {
            try store.cacheReadings(readings, model: engine.modelID)
            try store.rememberFingerprints(fingerprints)
        } catch {
            // The cache only saves time: a write that failed means reading again next start.
            mailbox.post(.storeFailed("prediction cache: \(error)"))
        }
    }
}
