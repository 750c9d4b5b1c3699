import Foundation
import Testing

/// The built `arqam` binary running in a private tmux server: keys in, screen text out.
final class StationTmux {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let randomWeights = packageRoot.appendingPathComponent("Tests/Fixtures/crnn_random.safetensors")
    static let fixtureImages = packageRoot.appendingPathComponent("Tests/Fixtures/images")

    /// The `arqam` executable next to the test bundle (the build folder `swift test` uses).
    static func binary() throws -> URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("arqam")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        throw StationTestError("no built arqam binary near \(testBinary.path); run `swift build` first")
    }

    private let socket = "arqam-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let session = "station"

    deinit { _ = try? tmux(["kill-server"]) }

    /// Starts `arguments` (after the binary) in a fresh window of `width` × `height`.
    func start(_ arguments: [String], width: Int = 100, height: Int = 30, locale: String = "C.UTF-8") throws {
        _ = try? tmux(["kill-session", "-t", session])
        let command = (["exec", "env", "LANG=\(locale)", "LC_ALL=\(locale)", try Self.binary().path] + arguments)
            .map(Self.shellQuoted).joined(separator: " ")
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
        try tmux(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    /// The pid of the program in the window.
    func pid() throws -> Int32 {
        let text = try tmux(["display-message", "-p", "-t", session, "#{pane_pid}"])
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw StationTestError("tmux gave no pid: \(text)")
        }
        return pid
    }

    func isRunning() throws -> Bool {
        try tmux(["display-message", "-p", "-t", session, "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }

    func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", session]) }

    /// Keys by tmux name (`Enter`, `Escape`, `Left`) or, with `literal`, as typed text.
    func send(_ keys: [String], literal: Bool = false) throws {
        try tmux(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    /// Waits for the screen to satisfy `condition`; 30 s is far beyond what the station needs
    /// even in a debug build on a busy machine.
    @discardableResult
    func wait(for what: String, timeout: TimeInterval = 30, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while Date() < deadline {
            text = try screen()
            if condition(text) { return text }
            usleep(30_000)
        }
        throw StationTestError("timed out waiting for \(what); the screen was:\n\(text)")
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "-L", socket] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw StationTestError("cannot run tmux (\(error)); install it as the README says (apt-get install tmux)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw StationTestError("tmux \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    private static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

struct StationTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the station's screen says, read the way an operator reads it.
struct StationScreen {
    let lines: [String]

    init(_ text: String) { lines = text.components(separatedBy: "\n") }

    /// The pane on the right of the queue list, each line trimmed.
    private var pane: [String] {
        lines.map { line in
            let parts = line.components(separatedBy: "│")
            return parts.count >= 3 ? parts[2].trimmingCharacters(in: .whitespaces) : ""
        }
    }

    var header: String { lines.first ?? "" }
    /// The file name on the first row of the detail pane.
    var currentImage: String? { pane.dropFirst().first?.split(separator: " ").first.map(String.init) }
    var prediction: String? { field("read") }
    var firstAlternative: String? {
        guard let row = pane.first(where: { $0.hasPrefix("alts ") }) else { return nil }
        let words = row.split(separator: " ")
        guard words.count >= 3, words[1] == "1" else { return nil }
        return String(words[2])
    }
    var message: String { pane.last { !$0.isEmpty && !$0.hasPrefix("label") } ?? "" }

    private func field(_ name: String) -> String? {
        guard let row = pane.first(where: { $0.hasPrefix(name + " ") }) else { return nil }
        return row.split(separator: " ").dropFirst().first.map(String.init)
    }

    /// The status mark in front of a file in the queue list.
    func mark(of name: String) -> Character? {
        for line in lines {
            let parts = line.components(separatedBy: "│")
            guard parts.count >= 3 else { continue }
            let list = Array(parts[1])
            if list.count > 3, String(list[3...]).hasPrefix(String(name.prefix(12))) { return list[1] }
        }
        return nil
    }
}
