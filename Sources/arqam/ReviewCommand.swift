import ArgumentParser
import ArqamData
import ArqamOCR
import ArqamReview
import Foundation

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review a queue folder of PNG images in the terminal: accept or correct each reading.",
        discussion: """
            Keys: Enter accepts the prediction; e or a digit starts a correction (Arabic-Indic and Persian
            digits become Western; Enter saves, Esc cancels); 1-3 take an alternative; s skips; x marks
            unreadable; u undoes; j/k or arrows move; o changes the order; / finds a file; ? helps; q quits.
            Every decision is saved in QUEUE/.arqam/review.sqlite before the next image shows.
            """
    )

    @Argument(help: "The folder of PNG images to review.")
    var queue: String?

    @Option(name: .long, help: "The model's weights (.safetensors); default: ARQAM_WEIGHTS or the shipped model.")
    var weights: String?

    @Flag(name: .long, help: "Draw with ASCII characters only, whatever the locale says.")
    var ascii = false

    @Option(name: .long, help: .hidden)
    var journal: String?

    @Option(name: .long, help: .hidden)
    var benchQueue: Int?

    func run() throws {
        if let benchQueue {
            let engine = try weights.map { _ in try makeEngine() }
            print(try StationBenchmark.run(queueSize: benchQueue, engine: engine).report)
            return
        }
        guard let queue else { throw ValidationError("give the queue folder to review, e.g. `arqam review inbox/`") }
        let engine = try makeEngine()
        StationSignals.install()
        let runtime = try StationRuntime(queue: URL(fileURLWithPath: queue), engine: engine,
                                         journal: journal.map { URL(fileURLWithPath: $0) })
        if let stale = runtime.recoveredLock {
            runtime.dispatch(.notice("took over the lock left by a station that is gone (\(stale))"))
        }
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(ascii: ascii)
        } catch {
            runtime.close()
            throw error
        }
        runtime.run(on: terminal, stopRequested: { StationSignals.stopRequested })
        terminal.close()
        let session = runtime.state.session
        print("reviewed \(session.reviewed) images this session (\(session.accepted) accepted, \(session.corrected) corrected, "
              + "\(session.unreadable) unreadable; \(session.skipped) skipped); every decision is in "
              + runtime.store.databaseURL.path)
    }

    private func makeEngine() throws -> StationEngine {
        let recognizer = try Recognizer(weightsURL: try weightsURL(), threads: 1)
        return StationEngine(modelID: recognizer.modelID, read: { url in try recognizer.read(url) })
    }

    private func weightsURL() throws -> URL {
        guard let path = weights ?? ProcessInfo.processInfo.environment["ARQAM_WEIGHTS"] else {
            throw ValidationError("give the model with --weights FILE or ARQAM_WEIGHTS")
        }
        return URL(fileURLWithPath: path)
    }
}
