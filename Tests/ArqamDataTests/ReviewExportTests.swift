import ArqamData
import Foundation
import Testing

@Suite("Review labels and export")
struct ReviewExportTests {
    /// a accepted, b corrected after an accept, c unreadable, d skipped, e unreviewed,
    /// f accepted then withdrawn (unreviewed again), g labeled but its file removed.
    private func reviewedQueue() throws -> (ReviewTestQueue, ReviewStore) {
        let queue = try ReviewTestQueue(files: ["a.png": "A", "b.png": "B", "c.png": "C", "d.png": "D",
                                                "e.png": "E", "f.png": "F"])
        let store = try ReviewStore(queue: queue.url)
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        try store.record(draft("a.png", .accepted, label: "12", prediction: "12", confidence: 0.98765), station: "s", at: at)
        try store.record(draft("b.png", .accepted, label: "7", prediction: "7"), station: "s", at: at)
        try store.record(draft("b.png", .corrected, label: "1/7", prediction: "7", confidence: 0.25), station: "s", at: at)
        try store.record(draft("c.png", .unreadable), station: "s", at: at)
        try store.record(draft("d.png", .skipped), station: "s", at: at)
        let withdrawn = try store.record(draft("f.png", .accepted, label: "5"), station: "s", at: at)
        try store.withdraw(decisionID: withdrawn.id)
        try store.record(draft("g.png", .accepted, label: "9"), station: "s", at: at)
        return (queue, store)
    }

    @Test func labeledImagesAreAcceptedAndCorrectedOnesWithTheRestCounted() throws {
        let (queue, _) = try reviewedQueue()
        defer { queue.remove() }
        let labels = try ReviewStore.labeledImages(queue: queue.url)
        let root = queue.url.standardizedFileURL
        #expect(labels.items == [LabeledImage(url: root.appendingPathComponent("a.png"), label: "12"),
                                 LabeledImage(url: root.appendingPathComponent("b.png"), label: "1/7")])
        #expect(labels.unreadable == 1)
        #expect(labels.skipped == 1)
        #expect(labels.unreviewed == 2)
        #expect(labels.missingFiles == 1)
    }

    @Test func aFolderNeverReviewedIsNamedAsSuch() throws {
        let queue = try ReviewTestQueue(files: ["a.png": "A"])
        defer { queue.remove() }
        #expect(throws: ReviewStoreError.notReviewed(queue.url)) { try ReviewStore.labeledImages(queue: queue.url) }
    }

    @Test func exportWritesTheLabeledImagesAndReadsBackTheSameLabels() throws {
        let (queue, store) = try reviewedQueue()
        defer { queue.remove() }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let summary = try store.export(to: out, at: Date(timeIntervalSince1970: 1_790_000_100))
        #expect(summary.exported == 2 && summary.accepted == 1 && summary.corrected == 1)
        #expect(summary.unreadable == 1 && summary.skipped == 1 && summary.unreviewed == 2 && summary.missingFiles == 1)

        let text = try String(contentsOf: out.appendingPathComponent("labels.tsv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("# arqam export of "))
        #expect(lines[1] == "# path\tlabel\tstatus\tpredicted\tconfidence\tmodel\treviewed_at")
        // `date -u -d @1790000000` prints Mon Sep 21 14:13:20 UTC 2026.
        #expect(Array(lines.dropFirst(2)) == [
            "a.png\t12\taccepted\t12\t0.9877\tmodel-a\t2026-09-21T14:13:20Z",
            "b.png\t1/7\tcorrected\t7\t0.2500\tmodel-a\t2026-09-21T14:13:20Z",
        ])
        // Round trip: the exported folder's path/label columns are the queue's labeled set.
        let exported = lines.filter { !$0.hasPrefix("#") }.map { line -> LabeledImage in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return LabeledImage(url: out.appendingPathComponent(String(fields[0])), label: String(fields[1]))
        }
        let labels = try ReviewStore.labeledImages(queue: queue.url)
        #expect(exported.map(\.label) == labels.items.map(\.label))
        for (copy, original) in zip(exported, labels.items) {
            #expect(try Data(contentsOf: copy.url) == Data(contentsOf: original.url))
        }
    }

    @Test func exportRefusesToWriteIntoTheQueueItself() throws {
        let (queue, store) = try reviewedQueue()
        defer { queue.remove() }
        #expect(throws: ReviewStoreError.self) { try store.export(to: queue.url) }
    }
}
