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
            Keys: Enter accepts the prediction; e or a digit starts a correction (Arabic-Indic and Persian \
            digits become Western; Enter saves, Esc cancels); 1-3 take an alternative; s skips; x marks \
            unreadable; u undoes; j/k or arrows move; o changes the order; / finds a file; ? helps; q quits. \
            Every decision is saved in QUEUE/.arqam/review.sqlite before the next image shows. The model \
            reads in the background on all cores but one, unless --threads says otherwise, each image \
            in three views and again zoomed to its digits, the way that leaves the fewest readings to \
            correct (about 13 ms an image on one core; --views 1 --no-zoom reads as the Keras model does). \
            Where the terminal has the rows, the crop the zoom read is drawn under the label, \
            larger than in the whole picture.
            """
    )

    @Argument(help: "The folder of PNG images to review.")
    var queue: String?

    @OptionGroup var model: ModelOptions

    @OptionGroup var framing: ViewsOption

    @Flag(name: .long, help: "Draw with ASCII characters only, whatever the locale says.")
    var ascii = false

    @Option(name: .long, help: .hidden)
    var journal: String?

    @Option(name: .long, help: .hidden)
    var benchQueue: Int?

    func run() throws {
        if let benchQueue {
            // Without --weights the stand-in reader keeps the figures the station's own.
            let engine = try model.weights.map { _ in try makeEngine() }
            print(try StationBenchmark.run(queueSize: benchQueue, engine: engine).report)
            return
        }
        guard let queue else { throw ValidationError("give the queue folder to review, e.g. `arqam review inbox/`") }
        let engine = try makeEngine()
        StationSignals.install()
        let runtime: StationRuntime
        do {
            runtime = try StationRuntime(queue: URL(fileURLWithPath: queue), engine: engine,
                                         journal: journal.map { URL(fileURLWithPath: $0) })
        } catch let error as ReviewStoreError {
            throw CommandFailure("\(error)")
        }
        if let stale = runtime.recoveredLock {
            runtime.dispatch(.notice("took over the lock left by a station that is gone (\(stale))"))
        }
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(ascii: ascii)
        } catch {
            runtime.close()
            throw CommandFailure("\(error)")
        }
        runtime.run(on: terminal, stopRequested: { StationSignals.stopRequested })
        terminal.close()
        let session = runtime.state.session
        print("reviewed \(session.reviewed) images this session (\(session.accepted) accepted, \(session.corrected) corrected, "
              + "\(session.unreadable) unreadable; \(session.skipped) skipped)")
        print("every decision is in \(runtime.store.databaseURL.path)")
    }

    /// The model reads in the background; one core is left to the screen unless --threads says otherwise.
    /// Readings in several views are another reader's: they are cached, and decisions record
    /// them, under the model's id with the number of views.
    private func makeEngine() throws -> StationEngine {
        let threads = model.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        let loaded = try model.loadModel()
        let recognizer = Recognizer(model: loaded, threads: threads)
        let options = framing.options(by: .mostAccurate)
        let readerID = ViewsOption.readerID(model: loaded.id, options: options)
        return StationEngine(modelID: readerID, modelName: loaded.displayName, read: { url in try recognizer.read(url, options: options) },
                             zoomedPicture: options.zoom ? StationEngine.zoomedModelPicture : nil)
    }
}
