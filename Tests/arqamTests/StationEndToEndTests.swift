import ArqamData
import Foundation
import Testing

/// The real binary in tmux on a small queue, driven by keys as an operator would.
@Suite("Station end to end in tmux", .serialized)
struct StationEndToEndTests {
    static let fixtures = ["gray8_w200_h50.png", "rgb8_w640_h120.png", "noise_gray8_w300_h60.png",
                           "gray_alpha8_w300_h60.png", "rgb16_w320_h80.png", "palette4_trns_w237_h61.png"]

    static func makeQueue(copies: Int = 1) throws -> URL {
        let queue = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-e2e-\(UUID().uuidString)/inbox")
        try FileManager.default.createDirectory(at: queue, withIntermediateDirectories: true)
        for copy in 0..<copies {
            for (index, name) in fixtures.enumerated() {
                let target = String(format: "scan-%02d.png", copy * fixtures.count + index + 1)
                try FileManager.default.copyItem(at: CommandRunner.fixtureImages.appendingPathComponent(name),
                                                 to: queue.appendingPathComponent(target))
            }
        }
        return queue
    }

    static func review(_ queue: URL, _ extra: [String] = []) -> [String] {
        ["review", queue.path, "--weights", CommandRunner.randomWeights.path] + extra
    }

    /// The station after every image has been read: nothing moves behind the keys any more.
    static func waitUntilRead(_ tmux: StationTmux, total: Int) throws -> StationScreen {
        StationScreen(try tmux.wait(for: "all \(total) images read") { text in
            text.contains("/\(total) done") && !text.contains("reading ")
        })
    }

    private func decide(_ tmux: StationTmux, keys: [String], literal: Bool = false) throws -> (String, StationScreen) {
        let before = StationScreen(try tmux.screen())
        let name = try #require(before.currentImage)
        try tmux.send(keys, literal: literal)
        // The message row is drawn after the detail rows, so a capture can fall between them:
        // wait for both, as an operator's eye does.
        let after = StationScreen(try tmux.wait(for: "the image after \(name)") { text in
            let screen = StationScreen(text)
            return screen.currentImage != name && screen.message.contains(name)
        })
        return (name, after)
    }

    @Test func acceptCorrectAlternativeSkipUnreadableUndoQuitResumeAndExport() throws {
        let queue = try Self.makeQueue()
        defer { try? FileManager.default.removeItem(at: queue.deletingLastPathComponent()) }
        let tmux = try StationTmux()
        try tmux.start(Self.review(queue))
        let first = try Self.waitUntilRead(tmux, total: 6)
        #expect(first.header.contains("arqam review  inbox/"))
        #expect(first.header.contains("0/6 done · 0 corrected · model "))
        let prediction = try #require(first.prediction)

        let (accepted, afterAccept) = try decide(tmux, keys: ["Enter"])
        #expect(afterAccept.message.contains("\(accepted) accepted as \(prediction)"))

        // Arabic-Indic digits typed start a correction and are written as Western digits.
        let corrected = try #require(afterAccept.currentImage)
        try tmux.send(["١٢/٣٤"], literal: true)
        try tmux.wait(for: "the typed label") { $0.contains("label  12/34") }
        _ = try decide(tmux, keys: ["Enter"])

        let beforeAlternative = StationScreen(try tmux.screen())
        let alternative = try #require(beforeAlternative.firstAlternative)
        let (alternativeImage, _) = try decide(tmux, keys: ["1"])
        let (skipped, _) = try decide(tmux, keys: ["s"])
        let (unreadable, _) = try decide(tmux, keys: ["x"])
        try tmux.send(["u"])
        let undone = StationScreen(try tmux.wait(for: "undo of \(unreadable)") { $0.contains("undone: \(unreadable) marked unreadable") })
        #expect(undone.currentImage == unreadable)
        #expect(undone.header.contains("3/6 done · 2 corrected"))
        try tmux.send(["q"])
        try tmux.waitUntilStopped("the station to quit")

        // A restart resumes: decisions and marks are there, and undo reaches the last session.
        try tmux.start(Self.review(queue))
        let resumed = StationScreen(try tmux.wait(for: "the resumed station") { $0.contains("3/6 done · 2 corrected") })
        #expect(resumed.mark(of: accepted) == "✓")
        #expect(resumed.mark(of: corrected) == "✎")
        #expect(resumed.mark(of: alternativeImage) == "✎")
        #expect(resumed.mark(of: skipped) == "↷")
        try tmux.send(["u"])
        let undoneSkip = StationScreen(try tmux.wait(for: "undo of the skip") { $0.contains("undone: \(skipped) skipped") })
        #expect(undoneSkip.currentImage == skipped)
        try tmux.send(["q"])
        try tmux.waitUntilStopped("the station to quit")

        let out = queue.deletingLastPathComponent().appendingPathComponent("dataset")
        try runArqam(["export", queue.path, "--out", out.path])
        let rows = try String(contentsOf: out.appendingPathComponent("labels.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let labels = Dictionary(uniqueKeysWithValues: rows.map { (String($0[0]), (String($0[1]), String($0[2]))) })
        #expect(labels.count == 3)
        #expect(labels[accepted]?.0 == prediction && labels[accepted]?.1 == "accepted")
        #expect(labels[corrected]?.0 == "12/34" && labels[corrected]?.1 == "corrected")
        #expect(labels[alternativeImage]?.0 == alternative && labels[alternativeImage]?.1 == "corrected")

        let history = try ReviewStore(queue: queue).allDecisions()
        #expect(history.map(\.path) == [accepted, corrected, alternativeImage, skipped, unreadable])
        #expect(history.map { $0.withdrawnAt != nil } == [false, false, false, true, true])
    }

    @Test func aNonUTF8LocaleGetsASCIIFramesAndArt() throws {
        let queue = try Self.makeQueue()
        defer { try? FileManager.default.removeItem(at: queue.deletingLastPathComponent()) }
        let tmux = try StationTmux()
        try tmux.start(Self.review(queue), locale: "C")
        let text = try tmux.wait(for: "the ASCII screen") { $0.hasPrefix("+ arqam review  inbox/") }
        #expect(!text.unicodeScalars.contains { $0.value > 0x7F })
        try tmux.send(["q"])
        try tmux.waitUntilStopped("the station to quit")
    }

    @Test func sigtermAndCtrlCQuitCleanlyWithTheDecisionsKept() throws {
        let queue = try Self.makeQueue()
        defer { try? FileManager.default.removeItem(at: queue.deletingLastPathComponent()) }
        let tmux = try StationTmux()
        for (round, stop) in ["SIGTERM", "Ctrl-C"].enumerated() {
            try tmux.start(Self.review(queue))
            _ = try Self.waitUntilRead(tmux, total: 6)
            try tmux.send(["x"])
            try tmux.wait(for: "the decision before \(stop)") { $0.contains("\(round + 1)/6 done") }
            if stop == "SIGTERM" { kill(try tmux.pid(), SIGTERM) } else { try tmux.send(["C-c"]) }
            try tmux.waitUntilStopped("the station to stop on \(stop)")
            // The terminal is given back: the closing line is printed on the normal screen.
            try tmux.waitForText("reviewed 1 images this session")
            let store = try ReviewStore(queue: queue)
            #expect(try store.lockHolder() == nil, "\(stop) left the lock behind")
            #expect(try store.activeDecisions().count == round + 1)
        }
    }

    @Test func aSecondStationIsRefusedWithTheHolderNamed() throws {
        let queue = try Self.makeQueue()
        defer { try? FileManager.default.removeItem(at: queue.deletingLastPathComponent()) }
        let tmux = try StationTmux()
        try tmux.start(Self.review(queue))
        _ = try tmux.wait(for: "the station") { $0.contains("arqam review") }
        let holder = try tmux.pid()
        let output = try runArqam(Self.review(queue), expectFailure: true)
        #expect(output.contains("is open in another review station"))
        #expect(output.contains("pid \(holder) since"))
        try tmux.send(["q"])
        try tmux.waitUntilStopped("the station to quit")
    }
}

/// Runs the binary without a terminal; returns what it printed.
@discardableResult
func runArqam(_ arguments: [String], expectFailure: Bool = false) throws -> String {
    let process = Process()
    process.executableURL = try StationTmux.binary()
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    if (process.terminationStatus == 0) == expectFailure {
        throw StationTestError("arqam \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(text)")
    }
    return text
}
