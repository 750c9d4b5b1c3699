import Foundation
import Testing

/// The built `arqam` binary running in a private tmux server: keys in, screen text out.
final class StationTmux {
    /// The `arqam` executable the command tests run too.
    static func binary() throws -> URL {
        let binary = CommandRunner.executable
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw StationTestError("no built arqam binary at \(binary.path); run `swift build` first")
        }
        return binary
    }

    /// The server's socket, in a folder of its own that goes away with it.
    private let socketFolder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-tmux-\(UUID().uuidString)")
    private var socket: String { socketFolder.appendingPathComponent("socket").path }
    let session = "station"
    private var started = false

    init() throws {
        try FileManager.default.createDirectory(at: socketFolder, withIntermediateDirectories: true)
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: socketFolder)
    }

    /// Starts `arguments` (after the binary) in a fresh window of `width` × `height`.
    func start(_ arguments: [String], width: Int = 100, height: Int = 30, locale: String = "C.UTF-8") throws {
        let command = (["exec", "env", "LANG=\(locale)", "LC_ALL=\(locale)", try Self.binary().path] + arguments)
            .map(Self.shellQuoted).joined(separator: " ")
        // Later runs replace the program in the same window: closing the last session would
        // stop the server while the next command is connecting to it.
        if started {
            try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
            try tmux(["respawn-pane", "-k", "-t", session, command])
            return
        }
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
        try tmux(["set-option", "-t", session, "remain-on-exit", "on"])
        started = true
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

    /// The screen and the lines scrolled off above it.
    func screenWithHistory() throws -> String { try tmux(["capture-pane", "-p", "-S", "-100", "-t", session]) }

    /// Keys by tmux name (`Enter`, `Escape`, `Left`) or, with `literal`, as typed text.
    func send(_ keys: [String], literal: Bool = false) throws {
        try tmux(["send-keys", "-t", session] + (literal ? ["-l"] : []) + keys)
    }

    /// Waits for a frame drawn down to its bottom border that satisfies `condition`; 30 s is far
    /// beyond what the station needs even in a debug build on a busy machine. A later frame
    /// redraws only the rows that changed, top to bottom, so a condition names the lowest row
    /// its caller reads (the decision's message, say), not a row above it.
    @discardableResult
    func wait(for what: String, timeout: TimeInterval = 30, _ condition: (String) -> Bool) throws -> String {
        try waitForScreen(what, timeout: timeout) { text in
            let bottom = text.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            return (bottom?.hasPrefix("└") == true || bottom?.hasPrefix("+") == true) && condition(text)
        }
    }

    /// Waits for the program in the window to end.
    func waitUntilStopped(_ what: String) throws {
        try waitForScreen(what, timeout: 30) { _ in (try? isRunning()) == false }
    }

    /// Waits for text printed after the station, on the screen or scrolled off it.
    func waitForText(_ text: String) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try screenWithHistory().contains(text) { return }
            usleep(30_000)
        }
        throw StationTestError("timed out waiting for \"\(text)\"; the screen was:\n\(try screenWithHistory())")
    }

    @discardableResult
    private func waitForScreen(_ what: String, timeout: TimeInterval, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while Date() < deadline {
            text = try screen()
            if condition(text) { return text }
            usleep(30_000)
        }
        throw StationTestError("timed out waiting for \(what); the screen was:\n\(text)")
    }

    /// Runs tmux and returns what it printed. Spawned and reaped here rather than through
    /// Foundation's Process, which waits for every inherited descriptor to close — and the
    /// tmux server a first command starts keeps them open for as long as it runs.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let outputFile = socketFolder.appendingPathComponent("output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // A test runs on a worker thread that blocks signals; tmux and the station need them
        // (tmux learns of a pane's end by SIGCHLD), so they start with none blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let words = ["tmux", "-S", socket] + arguments
        var argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &argv, environ)
        guard spawned == 0 else {
            throw StationTestError("cannot run tmux (\(String(cString: strerror(spawned)))); install it as the README says")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw StationTestError("tmux \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
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
    /// The first line under the label's that is not empty: the message, when there is one
    /// (the zoomed crop's caption and art come after it).
    var message: String {
        guard let label = pane.firstIndex(where: { $0.hasPrefix("label") }) else { return "" }
        return pane[(label + 1)...].first { !$0.isEmpty } ?? ""
    }

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
