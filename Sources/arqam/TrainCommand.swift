import ArgumentParser
import ArqamData
import ArqamNN
import ArqamOCR
import ArqamTraining
import Foundation
import Synchronization

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model, or fine-tune one on reviewed images.",
        discussion: """
            Trains on dataset folders (labels.tsv) and reviewed queues, plus synthetic images drawn \
            fresh each epoch. With --init it fine-tunes that model and mixes synthetic images into \
            every batch (replay), holding the model's readings of those to the starting model's \
            (distillation), so it learns the new images without forgetting the rest.

            After each epoch it validates on held-out images, keeps the best model and writes a \
            checkpoint next to --out; Ctrl-C saves and stops, --resume continues exactly. At the end \
            it fits the confidence temperatures on the held-out images (see arqam calibrate) and \
            writes the best model (when fine-tuning, the last epoch's: see --keep), then removes \
            the checkpoint: the same \
            command run again later trains afresh, on the images there are then.

            Examples:
              arqam train --synth 20000 --epochs 30 --out Weights/arqam.safetensors
              arqam train --data inbox/ --init Weights/arqam.safetensors --out new.safetensors
            """
    )

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Dataset folders or reviewed queues.", valueName: "dir"))
    var data: [String] = []

    @Option(help: ArgumentHelp("Synthetic images per epoch.", valueName: "n"))
    var synth = 0

    @Option(name: .customLong("init"), help: ArgumentHelp("Start from this model (fine-tuning).", valueName: "file"))
    var initial: String?

    @Option(help: ArgumentHelp("Where to write the trained model.", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Passes over the images.", valueName: "n"))
    var epochs = 30

    @Option(help: ArgumentHelp("Images per step.", valueName: "n"))
    var batch = 16

    @Option(help: ArgumentHelp("Adam learning rate at the start (cosine decay to 5 % of it).", valueName: "rate"))
    var learningRate = 1e-3

    @Option(help: ArgumentHelp("Synthetic images replayed per real image when fine-tuning.", valueName: "ratio"))
    var replay = 1.0

    @Option(help: ArgumentHelp("How strongly replayed images are held to the starting model's readings when fine-tuning (0: off).",
                               valueName: "weight"))
    var distill = 1.0

    @Option(help: ArgumentHelp("Fixed synthetic validation images (default 1000; 200 when fine-tuning).", valueName: "n"))
    var validationSynth: Int?

    @Option(help: ArgumentHelp("Epochs without a better validation loss before stopping (default 6; off when fine-tuning).",
                               valueName: "n"))
    var patience: Int?

    @Option(help: ArgumentHelp("""
        Which weights to write: the epoch with the best validation loss (best; the default from scratch) \
        or the last epoch (last; the default when fine-tuning, whose few held-out images are too few to choose by).
        """, valueName: "best|last"))
    var keep: KeptEpoch?

    @Option(help: ArgumentHelp("""
        Stop cleanly after this many minutes. The learning rate then decays by the clock, to be low when \
        time is up, so the run depends on the machine's speed: the same command and seed give a model as \
        good, not the same bytes (without --minutes, on as many threads, they do).
        """, valueName: "minutes"))
    var minutes: Double?

    @Option(help: ArgumentHelp("Seed of every random choice (shuffling, dropout, synthetic images).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Cores to use (default: all).", valueName: "n"))
    var threads: Int?

    @Flag(inversion: .prefixedNo,
          help: "Use the Keras model's dropout (0.2 and 0.25). Off by default: on fresh synthetic images it only slows learning.")
    var dropout = false

    @Flag(inversion: .prefixedNo,
          help: "Change the real images (--data) a little each time they are drawn: size, position, contrast, grain.")
    var augment = true

    @Flag(help: "Continue the run whose checkpoint is next to --out.")
    var resume = false

    @Option(help: ArgumentHelp("Fonts for synthetic images (default: Assets/fonts).", valueName: "dir"))
    var fonts: String?

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if synth < 0 || replay < 0 || distill < 0 { throw ValidationError("--synth, --replay and --distill cannot be negative") }
        if data.isEmpty && synth == 0 { throw ValidationError("give --data DIR… or --synth N (or both)") }
        if epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let fineTuning = initial != nil
        var configuration = TrainingConfiguration()
        configuration.epochs = epochs
        configuration.batchSize = batch
        configuration.learningRate = learningRate
        configuration.seed = seed
        configuration.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        configuration.syntheticPerEpoch = synth
        configuration.replayRatio = fineTuning ? replay : 0
        configuration.distillationWeight = fineTuning ? distill : 0
        configuration.syntheticValidation = validationSynth ?? (fineTuning ? 200 : 1000)
        configuration.patience = patience ?? (fineTuning ? configuration.epochs : 6)
        configuration.keepLastEpoch = (keep ?? (fineTuning ? .last : .best)) == .last
        configuration.minutes = minutes
        configuration.dropout = dropout
        configuration.augmentRealImages = augment

        let outURL = URL(fileURLWithPath: out)
        let checkpointURL = URL(fileURLWithPath: out + ".checkpoint")
        let folder = outURL.deletingLastPathComponent().path
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw CommandFailure("--out \(out): the folder \(folder) does not exist or is not writable; create it first")
        }
        let start = try startingPoint(configuration: configuration, checkpointURL: checkpointURL)
        configuration = start.configuration

        let real = try LabeledData.load(data.map { URL(fileURLWithPath: $0) }, threads: configuration.threads)
        for problem in real.problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
        let needsSynthesis = configuration.syntheticPerEpoch > 0 || configuration.replayRatio > 0 || configuration.syntheticValidation > 0
        let generator = needsSynthesis ? try SyntheticGenerator(fontsDirectory: try fontsDirectory()) : nil
        let trainer = try Trainer(configuration: configuration, real: real.examples, synthesizer: generator)
        let held = trainer.validationImageCount
        print("training on \(trainer.trainingImageCount) labeled images (\(real.problems.count) skipped, \(real.unlabeledCount) unlabeled) "
              + "and \(trainer.imagesPerEpoch - trainer.trainingImageCount) synthetic per epoch; "
              + "validating on \(held.real) held-out + \(held.synthetic) synthetic; \(configuration.threads) threads")

        let progress = TrainingProgress(epochs: configuration.epochs)
        Interrupt.install()
        let outcome = try trainer.run(from: start, checkpointURL: checkpointURL,
                                      shouldStop: { Interrupt.requested }, events: progress.show)
        progress.finish()
        print("stopped: \(outcome.stopReason.rawValue)")
        if outcome.stopReason == .interrupted {
            print("checkpoint \(checkpointURL.path): resume with the same command and --resume")
            throw ExitCode(130)
        }
        let fit = try trainer.calibrate(outcome.kept)
        print(String(format: "temperature %.3f (held-out NLL %.4f → %.4f)", fit.temperature,
                     fit.uncalibratedNegativeLogLikelihood, fit.negativeLogLikelihood))
        let viewsFits = try trainer.calibrateViews(outcome.kept, temperature: fit.temperature)
        for line in CalibrationReport.lines(viewsFits) { print(line) }
        var fileMetadata = metadata(configuration: configuration, history: outcome.history)
        CalibrationReport.record(oneView: fit.temperature, views: viewsFits, in: &fileMetadata)
        try outcome.kept.save(to: outURL, metadata: fileMetadata)
        print("wrote \(outURL.path)")
        // Nothing is left to resume, and a finished run's checkpoint would only make the next
        // run (on new corrections) stop and ask, or resume into the old weights.
        try? FileManager.default.removeItem(at: checkpointURL)
    }

    private func startingPoint(configuration: TrainingConfiguration, checkpointURL: URL) throws -> Checkpoint {
        let exists = FileManager.default.fileExists(atPath: checkpointURL.path)
        if resume {
            guard exists else { throw CommandFailure("--resume: no checkpoint at \(checkpointURL.path)") }
            let checkpoint = try Checkpoint(contentsOf: checkpointURL)
            guard checkpoint.configuration == configuration else {
                throw CommandFailure("\(TrainingError.checkpointMismatch(checkpointURL, "its options differ from these"))")
            }
            return checkpoint
        }
        if exists {
            throw CommandFailure("a checkpoint of an earlier run is at \(checkpointURL.path): pass --resume to continue it, or delete it to start over")
        }
        let weights: CRNNWeights
        if let initial {
            weights = try WeightsLocator.loadModel(explicit: initial, option: "--init").weights
        } else {
            weights = CRNNWeights.kerasInitialised(seed: configuration.seed)
        }
        return Checkpoint(configuration: configuration, weights: weights,
                          optimizer: Adam(learningRate: Float(configuration.learningRate), clipGlobalNorm: configuration.clipNorm),
                          teacher: initial != nil && configuration.distillationWeight > 0 ? weights : nil)
    }

    private func fontsDirectory() throws -> URL {
        if let fonts { return URL(fileURLWithPath: fonts) }
        return try SyntheticGenerator.defaultFontsDirectory()
    }

    private func metadata(configuration: TrainingConfiguration, history: [EpochSummary]) -> [String: String] {
        let vocabulary = "[" + Alphabet.vocabulary.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        var trainedOn = data.joined(separator: ", ")
        if configuration.syntheticPerEpoch > 0 { trainedOn += (trainedOn.isEmpty ? "" : " + ") + "\(configuration.syntheticPerEpoch) synthetic/epoch" }
        if let initial { trainedOn += " (fine-tuned from \(initial))" }
        let last = history.last.map { String(format: "; last epoch %d: validation accuracy %.4f", $0.epoch, $0.sequenceAccuracy) } ?? ""
        return [
            "format": "arqam-crnn-v1",
            "vocabulary": vocabulary,
            "blank": "12",
            "height": "50",
            "width": "200",
            "trained_on": trainedOn + " seed \(configuration.seed)" + last,
            "created": ISO8601DateFormatter().string(from: Date()) + " arqam train",
        ]
    }
}

enum KeptEpoch: String, ExpressibleByArgument {
    case best, last
}

/// Ctrl-C asks the training loop to save and stop at the next step, instead of killing it.
enum Interrupt {
    private static let flag = Atomic<Bool>(false)
    nonisolated(unsafe) private static var source: DispatchSourceSignal?

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if flag.exchange(true, ordering: .relaxed) { exit(130) }  // a second Ctrl-C does not wait
            FileHandle.standardError.write(Data("\nstopping after this step (Ctrl-C again to quit at once)…\n".utf8))
        }
        source.resume()
        Self.source = source
    }
}
