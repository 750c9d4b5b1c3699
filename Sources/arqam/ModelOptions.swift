import ArgumentParser
import ArqamOCR
import Foundation

/// `--weights` and `--threads`, shared by every command that runs the model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The model (.safetensors).",
        discussion: "Default: $ARQAM_WEIGHTS, else Weights/arqam.safetensors in the working directory or beside the arqam executable.",
        valueName: "file"))
    var weights: String?

    @Option(name: .long, help: ArgumentHelp("Cores to use (default: all).", valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    func loadRecognizer() throws -> Recognizer {
        Recognizer(model: try loadModel(), threads: threadCount)
    }

    func loadModel() throws -> Model {
        try WeightsLocator.loadModel(explicit: weights, option: "--weights")
    }
}

/// Where a model is looked for, in order, so that a missing model is explained in one line.
enum WeightsLocator {
    static let fileName = "Weights/arqam.safetensors"

    /// The model named by `option` (or found as `locate` finds one), with errors that say what to do.
    static func loadModel(explicit: String?, option: String) throws -> Model {
        let url = try locate(explicit: explicit)
        do {
            return try Model(contentsOf: url)
        } catch {
            throw CommandFailure("\(error)\nCheck the file, or pass another model with \(option) FILE.")
        }
    }

    static func locate(explicit: String?) throws -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CommandFailure("no model at --weights \(explicit): the file does not exist.")
            }
            return url
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment["ARQAM_WEIGHTS"], !fromEnvironment.isEmpty {
            guard FileManager.default.fileExists(atPath: fromEnvironment) else {
                throw CommandFailure("no model at ARQAM_WEIGHTS=\(fromEnvironment): the file does not exist.")
            }
            return URL(fileURLWithPath: fromEnvironment)
        }
        let candidates = searchPlaces()
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
            return found
        }
        let places = candidates.map(\.path).joined(separator: ", ")
        throw CommandFailure("no model found (looked at --weights, $ARQAM_WEIGHTS, \(places)); train one with `arqam train --synth 20000 --out \(fileName)` or pass --weights FILE.")
    }

    /// The working directory, then the executable's folder and up to four folders above it
    /// (a build folder such as .build/release sits inside the checkout).
    static func searchPlaces() -> [URL] {
        var places = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(fileName)]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            places.append(folder.appendingPathComponent(fileName))
            folder = folder.deletingLastPathComponent()
        }
        var seen = Set<String>()
        return places.map { $0.standardizedFileURL }.filter { seen.insert($0.path).inserted }
    }
}

/// An error the command reports as one line on stderr (no stack trace) with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
