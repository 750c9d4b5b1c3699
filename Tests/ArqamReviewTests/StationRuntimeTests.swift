@testable import ArqamReview
import ArqamData
import ArqamOCR
import Foundation
import Synchronization
import Testing

/// A model stand-in: reads the label written inside the file, counting its calls.
final class FakeModel: Sendable {
    let calls = Atomic<Int>(0)

    func engine(modelID: String = "fake-1") -> StationEngine {
        StationEngine(modelID: modelID, read: { url in
            self.calls.add(1, ordering: .relaxed)
            let text = try String(contentsOf: url, encoding: .utf8)
            return sampleReading(text, confidence: Double(text.count) / 10, alternatives: [(text + "1", 0.05)])
        }, picture: { _ in samplePicture() })
    }
}

/// Keys from a list, screens kept; `q` once the list is used up.
final class ScriptedTerminal: StationTerminal {
    let charset = Charset.unicode
    let size = ScreenSize(width: 80, height: 24)
    private var keys: [Key]
    private(set) var screens: [ScreenBuffer] = []

    init(keys: [Key]) { self.keys = keys }

    func draw(_ screen: ScreenBuffer) { screens.append(screen) }

    func nextKey(timeoutMilliseconds: Int32) -> Key? {
        keys.isEmpty ? .character("q") : keys.removeFirst()
    }
}

@Suite("Station runtime with a fake model", .serialized)
struct StationRuntimeTests {
    private func makeQueue(_ labels: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-station-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, label) in labels { try Data(label.utf8).write(to: url.appendingPathComponent(name)) }
        return url
    }

    /// Takes in background results until `condition` holds; fails after 20 s, far beyond
    /// anything a fake model needs.
    private func wait(_ runtime: StationRuntime, sourceLocation: SourceLocation = #_sourceLocation,
                      until condition: (StationState) -> Bool) {
        let deadline = Date().addingTimeInterval(20)
        while !condition(runtime.state) && Date() < deadline {
            usleep(10_000)
            runtime.takeBackgroundResults()
        }
        let reached = condition(runtime.state)
        #expect(reached, "condition not reached", sourceLocation: sourceLocation)
    }

    @Test func everyDecisionIsInTheStoreWhenTheStateMovesOn() throws {
        let queue = try makeQueue(["a.png": "12", "b.png": "345", "c.png": "6"])
        defer { try? FileManager.default.removeItem(at: queue) }
        let runtime = try StationRuntime(queue: queue, engine: FakeModel().engine())
        defer { runtime.close() }
        wait(runtime) { $0.readCount == 3 && $0.pictures[$0.current ?? ""] != nil }
        // The first image showed before any reading (by name) and stays while readings come in.
        #expect(runtime.state.current == "a.png")
        runtime.dispatch(.key(.enter))
        #expect(try runtime.store.currentDecisions()["a.png"]?.label == "12")
        // Confidence is length / 10: c (0.1) is now the least confident left.
        #expect(runtime.state.current == "c.png")
        runtime.dispatch(.key(.character("u")))
        #expect(runtime.state.current == "a.png")
        runtime.dispatch(.key(.character("1")))
        let corrected = try #require(try runtime.store.currentDecisions()["a.png"])
        #expect(corrected.status == .corrected && corrected.label == "121" && corrected.draft.prediction == "12")
        #expect(corrected.draft.modelID == "fake-1")
        // sha256 of the two bytes "12", from `printf 12 | sha256sum`.
        #expect(corrected.draft.contentHash == "6b51d431df5d7f141cbececcf79edf3dd861c3b4069f0b11661a3eefacbba918")
        runtime.dispatch(.key(.character("u")))
        #expect(try runtime.store.currentDecisions()["a.png"] == nil)
        #expect(try runtime.store.allDecisions().last?.withdrawnAt != nil)
        #expect(runtime.state.current == "a.png")
    }

    @Test func aRestartReadsNothingAgainAndResumes() throws {
        let queue = try makeQueue(["a.png": "12", "b.png": "345"])
        defer { try? FileManager.default.removeItem(at: queue) }
        let first = FakeModel()
        let runtime = try StationRuntime(queue: queue, engine: first.engine())
        wait(runtime) { $0.readCount == 2 }
        runtime.dispatch(.key(.enter))
        runtime.close()
        #expect(first.calls.load(ordering: .relaxed) == 2)

        let second = FakeModel()
        let resumed = try StationRuntime(queue: queue, engine: second.engine())
        defer { resumed.close() }
        // Cached readings are there before any background work.
        #expect(resumed.state.readCount == 2)
        #expect(resumed.state.current == "b.png")
        #expect(resumed.state.history.count == 1)
        resumed.dispatch(.key(.character("u")))
        #expect(resumed.state.current == "a.png")
        #expect(second.calls.load(ordering: .relaxed) == 0)
    }

    @Test func aNewModelReadsTheQueueAgain() throws {
        let queue = try makeQueue(["a.png": "12"])
        defer { try? FileManager.default.removeItem(at: queue) }
        let runtime = try StationRuntime(queue: queue, engine: FakeModel().engine(modelID: "old"))
        wait(runtime) { $0.readCount == 1 }
        runtime.close()
        let model = FakeModel()
        let renewed = try StationRuntime(queue: queue, engine: model.engine(modelID: "new"))
        defer { renewed.close() }
        #expect(renewed.state.readCount == 0)
        wait(renewed) { $0.readCount == 1 }
        #expect(model.calls.load(ordering: .relaxed) == 1)
    }

    @Test func aSecondStationOnTheQueueIsRefusedUntilTheFirstQuits() throws {
        let queue = try makeQueue(["a.png": "1"])
        defer { try? FileManager.default.removeItem(at: queue) }
        let first = try StationRuntime(queue: queue, engine: FakeModel().engine())
        // Same process, so give the second station another identity through the store directly.
        let other = StationLockHolder(host: ReviewStore.currentHolder().host, pid: getppid(), since: Date(),
                                      bootID: ReviewStore.currentHolder().bootID)
        #expect(throws: ReviewStoreError.self) { try first.store.acquireLock(as: other) }
        first.close()
        #expect(try first.store.lockHolder() == nil)
        #expect(try first.store.acquireLock(as: other) == nil)
    }

    @Test func imagesDroppedIntoTheFolderAppear() throws {
        let queue = try makeQueue(["a.png": "1"])
        defer { try? FileManager.default.removeItem(at: queue) }
        let runtime = try StationRuntime(queue: queue, engine: FakeModel().engine())
        defer { runtime.close() }
        try Data("77".utf8).write(to: queue.appendingPathComponent("new.png"))
        wait(runtime) { $0.item("new.png")?.reading?.text == "77" }
    }

    /// A zooming engine's crop of the image on screen comes in behind its reading, cut from
    /// the trace the reading wrote.
    @Test func theZoomedCropOfTheImageOnScreenArrives() throws {
        let queue = try makeQueue(["a.png": "12"])
        defer { try? FileManager.default.removeItem(at: queue) }
        var engine = FakeModel().engine()
        let traces = Mutex<[[Int]]>([])
        engine.zoomedPicture = { _, trace in
            traces.withLock { $0.append(trace) }
            return samplePicture()
        }
        let runtime = try StationRuntime(queue: queue, engine: engine)
        defer { runtime.close() }
        wait(runtime) { $0.zoomedPictures["a.png"] == .loaded(samplePicture()) }
        #expect(traces.withLock { $0 } == [sampleReading("12", confidence: 0.2).trace])
    }

    @Test func theRunLoopDrawsAfterEveryKeyAndQuits() throws {
        let queue = try makeQueue(["a.png": "12", "b.png": "345"])
        defer { try? FileManager.default.removeItem(at: queue) }
        let runtime = try StationRuntime(queue: queue, engine: FakeModel().engine())
        wait(runtime) { $0.readCount == 2 && $0.pictures.count == 2 }
        let terminal = ScriptedTerminal(keys: [.enter, .character("x")])
        runtime.run(on: terminal)
        #expect(terminal.screens.count >= 3)
        #expect(terminal.screens.last?.lines.contains { $0.contains("Queue finished") } == true)
        #expect(try runtime.store.currentDecisions().mapValues(\.status) == ["a.png": .accepted, "b.png": .unreadable])
        #expect(try runtime.store.lockHolder() == nil)
    }
}
