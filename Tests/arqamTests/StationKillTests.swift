import ArqamData
import Foundation
import Testing

/// SIGKILL in the middle of fast key input, many times: every decision the screen had
/// moved past is in the store, and the database is intact.
@Suite("Station killed mid-keystroke", .serialized)
struct StationKillTests {
    /// Twenty kills: enough to land in store writes, draws and undo alike (a run takes about
    /// a second in a debug build).
    static let kills = 20
    /// Seven decisions and six undos: the queue fills slowly and neither runs out nor stands still.
    static let burst = ["Enter", "x", "u", "s", "u", "1", "u", "Enter", "u", "x", "u", "s", "u"]

    @Test func everyDecisionShownIsStoredAndTheDatabaseIsIntact() throws {
        let queue = try StationEndToEndTests.makeQueue(copies: 3)
        defer { try? FileManager.default.removeItem(at: queue.deletingLastPathComponent()) }
        let journal = queue.deletingLastPathComponent().appendingPathComponent("journal.txt")
        let tmux = try StationTmux()

        // One calm run reads every image into the cache, so the killed runs start at once.
        try tmux.start(StationEndToEndTests.review(queue))
        _ = try StationEndToEndTests.waitUntilRead(tmux, total: 18)
        try tmux.send(["q"])
        try tmux.waitUntilStopped("the station to quit")

        var generator = SystemRandomNumberGenerator()
        var decisionsSeen = Set<Int64>()
        for round in 1...Self.kills {
            try tmux.start(StationEndToEndTests.review(queue, ["--journal", journal.path]))
            let opening = try tmux.wait(for: "round \(round) to start") { $0.contains("/18 done") }
            if round > 1 {
                // The killed station's lock is stale: taken over, and said so.
                #expect(opening.contains("took over the lock left by a station that is gone"), "round \(round)")
            }
            let pid = try tmux.pid()
            try tmux.send(Self.burst)
            try tmux.send(Self.burst)
            usleep(UInt32.random(in: 0...250_000, using: &generator))
            kill(pid, SIGKILL)
            try tmux.waitUntilStopped("round \(round) to die")

            let store = try ReviewStore(queue: queue)
            #expect(try store.integrityCheck() == "ok", "round \(round)")
            let stored = Set(try store.allDecisions().map(\.id))
            let active = Set(try store.activeDecisions().map(\.id))
            let shown = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").map { line in
                Set(line.split(separator: "\t").dropFirst().first?.split(separator: ",").compactMap { Int64($0) } ?? [])
            }
            // Each screen showed decisions that are all on disk…
            for decisions in shown {
                #expect(decisions.isSubset(of: stored), "round \(round): a decision on screen is missing from the store")
                decisionsSeen.formUnion(decisions)
            }
            // …and the last screen differs from the store by at most the one key in flight.
            let last = shown.last ?? []
            #expect(last.symmetricDifference(active).count <= 1,
                    "round \(round): screen showed \(last.sorted()), store has \(active.sorted())")
        }
        // The bursts really decided things (not all rejected as "no prediction yet").
        #expect(decisionsSeen.count > Self.kills)
    }
}
