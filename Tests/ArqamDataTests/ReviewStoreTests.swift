import ArqamData
import ArqamOCR
import Foundation
import Testing

@Suite("Review store")
struct ReviewStoreTests {
    @Test func createsTheDatabaseInsideTheQueueWithWALAndFullSync() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        #expect(store.databaseURL.path.hasSuffix("/.arqam/review.sqlite"))
        #expect(ReviewStore.hasReviewDatabase(queue: queue.url))
        #expect(try store.integrityCheck() == "ok")
        // WAL leaves its side files next to the database once written to.
        try store.record(draft("a.png", .accepted, label: "12"), station: "test")
        #expect(FileManager.default.fileExists(atPath: store.databaseURL.path + "-wal"))
    }

    @Test func refusesAFolderThatDoesNotExist() {
        let missing = URL(fileURLWithPath: "/nonexistent-arqam-queue-\(UUID().uuidString)")
        #expect(throws: ReviewStoreError.queueNotFound(missing)) { try ReviewStore(queue: missing) }
    }

    @Test func theLatestDecisionNotWithdrawnStandsForAnImage() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        let first = try store.record(draft("a.png", .accepted, label: "12"), station: "test")
        let second = try store.record(draft("a.png", .corrected, label: "13"), station: "test")
        try store.record(draft("b.png", .unreadable), station: "test")
        #expect(try store.currentDecisions()["a.png"]?.id == second.id)
        try store.withdraw(decisionID: second.id)
        #expect(try store.currentDecisions()["a.png"]?.id == first.id)
        #expect(try store.currentDecisions()["b.png"]?.status == .unreadable)
    }

    @Test func undoWithdrawsAndNeverDeletesAndSurvivesReopening() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let written = try (0..<3).map { index in
            try ReviewStore(queue: queue.url).record(draft("\(index).png", .accepted, label: "\(index)"), station: "s1")
        }
        // A second session undoes the last two decisions of the first.
        let reopened = try ReviewStore(queue: queue.url)
        #expect(try reopened.activeDecisions().map(\.id) == written.map(\.id))
        let undoneAt = Date(timeIntervalSince1970: 1_800_000_000)
        try reopened.withdraw(decisionID: written[2].id, at: undoneAt)
        try reopened.withdraw(decisionID: written[1].id, at: undoneAt)
        let third = try ReviewStore(queue: queue.url)
        #expect(try third.activeDecisions().map(\.id) == [written[0].id])
        let all = try third.allDecisions()
        #expect(all.count == 3)
        #expect(all.map(\.withdrawnAt) == [nil, undoneAt, undoneAt])
        #expect(all[1].draft == written[1].draft)
    }

    @Test func aDecisionReadsBackAsWritten() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        let decidedAt = Date(timeIntervalSince1970: 1_790_000_000.25)
        let written = try store.record(draft("x.png", .corrected, label: "2024/05/13", prediction: "2024/05/18",
                                             confidence: 0.4137), station: "kiosk:42", at: decidedAt)
        let read = try #require(try ReviewStore(queue: queue.url).allDecisions().first)
        #expect(read == written)
    }

    @Test func cachedReadingsComeBackExactlyPerModel() throws {
        let queue = try ReviewTestQueue()
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        let reading = Reading(text: "12/3", confidence: 0.123456789012345,
                              trace: (0..<50).map { $0 % Alphabet.classCount },
                              alternatives: [Alternative(text: "12/3", confidence: 0.123456789012345),
                                             Alternative(text: "1/3", confidence: 1e-7), Alternative(text: "", confidence: 0)])
        try store.cacheReadings(["h1": reading], model: "model-a")
        let reopened = try ReviewStore(queue: queue.url)
        #expect(try reopened.cachedReadings(model: "model-a") == ["h1": reading])
        #expect(try reopened.cachedReadings(model: "model-b").isEmpty)
    }

    @Test func fingerprintsSkipHashingUnchangedFiles() throws {
        let queue = try ReviewTestQueue(files: ["a.png": "abc"])
        defer { queue.remove() }
        let store = try ReviewStore(queue: queue.url)
        let file = try #require(try QueueFolder.list(queue.url).first)
        let computed = try ReviewStore.contentHash(of: file, in: queue.url, known: nil)
        // sha256("abc"), FIPS 180-4 example B.1.
        #expect(computed.contentHash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        try store.rememberFingerprints(["a.png": computed])
        let remembered = try #require(try store.fingerprints()["a.png"])
        #expect(remembered == computed)
        // A remembered hash is trusted while size and time match, so a planted one comes back unread.
        let planted = QueueFileFingerprint(size: file.size, modifiedNanoseconds: file.modifiedNanoseconds, contentHash: "planted")
        #expect(try ReviewStore.contentHash(of: file, in: queue.url, known: planted).contentHash == "planted")
        let outdated = QueueFileFingerprint(size: file.size + 1, modifiedNanoseconds: file.modifiedNanoseconds, contentHash: "planted")
        #expect(try ReviewStore.contentHash(of: file, in: queue.url, known: outdated).contentHash == computed.contentHash)
    }

    @Test func queueListingKeepsOnlyVisiblePNGFiles() throws {
        let queue = try ReviewTestQueue(files: ["b.png": "1", "a.PNG": "22", ".hidden.png": "3", "notes.txt": "4", "tab\tname.png": "5"])
        defer { queue.remove() }
        try FileManager.default.createDirectory(at: queue.url.appendingPathComponent("folder.png"), withIntermediateDirectories: true)
        let files = try QueueFolder.list(queue.url).sorted { $0.path < $1.path }
        #expect(files.map(\.path) == ["a.PNG", "b.png"])
        #expect(files.map(\.size) == [2, 1])
    }
}
