import ArqamData
import ArqamNN
import ArqamOCR
@testable import ArqamTraining
import Foundation
import Testing

/// The training loop on tiny data: it learns, and a resumed run is the same run.
@Suite(.serialized) struct TrainerTests {
    static let fonts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Assets/fonts")

    /// Eight rendered images with their labels (the generator is deterministic by seed).
    static func examples(_ count: Int, seed: UInt64) throws -> [LabeledInput] {
        let generator = try SyntheticGenerator(fontsDirectory: fonts)
        return (0..<count).map { index in
            let sample = generator.sample(seed: seed, index: index)
            return LabeledInput(input: Preprocessing.modelInput(from: sample.image),
                                label: (try? Alphabet.encode(sample.label).get()) ?? [], source: "#\(index)")
        }
    }

    /// A run on two threads with the given epochs and batch size; the rest as `arqam train`'s.
    static func configuration(epochs: Int, batchSize: Int) -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.epochs = epochs
        configuration.batchSize = batchSize
        configuration.threads = 2
        return configuration
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func overfitsEightImages() throws {
        let images = try Self.examples(8, seed: 11)
        var configuration = TrainingConfiguration()
        // CTC sits on a plateau (blanks everywhere) for a few hundred steps before it reads;
        // the run stops as soon as all eight images read right.
        configuration.epochs = 600
        configuration.batchSize = 8
        configuration.learningRate = 3e-3
        configuration.finalLearningRateFraction = 1
        configuration.threads = 2
        configuration.patience = 1000
        let trainer = try Trainer(configuration: configuration, training: images, validation: images, synthesizer: nil)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var accuracy = 0.0
        let start = Checkpoint(configuration: configuration, weights: .kerasInitialised(seed: 3),
                               optimizer: Adam(learningRate: 3e-3, clipGlobalNorm: 5))
        let outcome = try trainer.run(from: start, checkpointURL: folder.appendingPathComponent("c"),
                                      shouldStop: { accuracy == 1 }, events: { event in
            if case .epoch(let summary, _) = event { accuracy = summary.sequenceAccuracy }
        })
        #expect(accuracy == 1, "sequence accuracy on the 8 training images after \(outcome.history.count) epochs: \(accuracy)")
    }

    @Test func twoEpochsEqualOnePlusAResume() throws {
        let images = try Self.examples(12, seed: 5)
        let configuration = Self.configuration(epochs: 2, batchSize: 4)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let initial = Checkpoint(configuration: configuration, weights: .kerasInitialised(seed: 9),
                                 optimizer: Adam(clipGlobalNorm: configuration.clipNorm))

        let straight = try Trainer(configuration: configuration, training: images, validation: images, synthesizer: nil)
            .run(from: initial, checkpointURL: folder.appendingPathComponent("straight"), shouldStop: { false }, events: { _ in })

        // Stop after the first epoch (the checkpoint is written), then resume from the file.
        var epochsSeen = 0
        let first = try Trainer(configuration: configuration, training: images, validation: images, synthesizer: nil)
        let checkpointURL = folder.appendingPathComponent("resumed")
        _ = try first.run(from: initial, checkpointURL: checkpointURL, shouldStop: { epochsSeen == 1 }, events: { event in
            if case .epoch = event { epochsSeen += 1 }
        })
        let saved = try Checkpoint(contentsOf: checkpointURL)
        #expect(saved.epoch == 1 && saved.batchInEpoch == 0)
        let resumed = try first.run(from: saved, checkpointURL: checkpointURL, shouldStop: { false }, events: { _ in })
        #expect(resumed.checkpoint.weights == straight.checkpoint.weights)
        #expect(resumed.checkpoint.optimizer == straight.checkpoint.optimizer)
        #expect(resumed.history.map(\.validationLoss) == straight.history.map(\.validationLoss))
    }

    /// A run whose second epoch is worse (a learning rate far too high): by default the best
    /// epoch is written, with `keepLastEpoch` the last one.
    @Test func keepLastEpochWritesTheLastWeightsNotTheBest() throws {
        let images = try Self.examples(8, seed: 13)
        var configuration = Self.configuration(epochs: 3, batchSize: 4)
        configuration.learningRate = 0.5
        configuration.finalLearningRateFraction = 1
        configuration.clipNorm = nil
        configuration.patience = 10
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func run(keepLast: Bool) throws -> TrainingOutcome {
            var chosen = configuration
            chosen.keepLastEpoch = keepLast
            let start = Checkpoint(configuration: chosen, weights: .kerasInitialised(seed: 12), optimizer: Adam())
            return try Trainer(configuration: chosen, training: images, validation: images, synthesizer: nil)
                .run(from: start, checkpointURL: folder.appendingPathComponent("run-\(keepLast)"), shouldStop: { false }, events: { _ in })
        }
        let best = try run(keepLast: false), last = try run(keepLast: true)
        try #require(best.checkpoint.best != best.checkpoint.weights, "the last epoch happened to be the best: no test")
        #expect(best.kept == best.checkpoint.best)
        #expect(last.kept == last.checkpoint.weights)
        #expect(last.kept == best.checkpoint.weights, "the same run either way")
    }

    /// Without dropout a training step sees the model exactly as reading does: its loss is the
    /// mean CTC loss of the inference logits. With dropout the masks change that loss.
    @Test func withoutDropoutAStepSeesTheReadingModel() throws {
        let images = try Self.examples(4, seed: 21)
        let network = CRNN(weights: .kerasInitialised(seed: 4), threads: 2)
        let logits = network.logits(inputs: Array(images.map(\.input).joined()), batch: images.count)
        let stride = CRNNShape.outputSize
        let expected = images.indices.map { index in
            CTCLoss.compute(logits: Array(logits[index * stride ..< (index + 1) * stride]), steps: CRNNShape.outputSteps,
                            classes: CRNNShape.classes, label: images[index].label).loss
        }.reduce(0, +) / Double(images.count)
        func stepLoss(dropoutSeed: UInt64?) -> Double {
            var copy = network, optimizer = Adam()
            return TrainingStep.run(network: &copy, examples: images, optimizer: &optimizer, dropoutSeed: dropoutSeed, threads: 2)
        }
        #expect(abs(stepLoss(dropoutSeed: nil) - expected) <= 1e-6 * expected)
        #expect(abs(stepLoss(dropoutSeed: 7) - expected) > 1e-3 * expected)
    }

    /// One real image and three synthetic ones: the loss is the mean of the two groups' means,
    /// so a few new images are not outvoted by the synthetic guard set.
    @Test func realAndSyntheticValidationWeighAlike() throws {
        let images = try Self.examples(4, seed: 31)
        let network = CRNN(weights: .kerasInitialised(seed: 6), threads: 2)
        let losses = images.map { image in
            CTCLoss.compute(logits: network.logits(inputs: image.input, batch: 1), steps: CRNNShape.outputSteps,
                            classes: CRNNShape.classes, label: image.label, convention: .exact).loss
        }
        let expected = (losses[0] + (losses[1] + losses[2] + losses[3]) / 3) / 2
        let scored = ValidationSet(real: [images[0]], synthetic: Array(images[1...])).evaluate(network: network, threads: 2)
        #expect(abs(scored.loss - expected) <= 1e-5 * expected, "\(scored.loss) vs \(expected)")
        let pooled = losses.reduce(0, +) / 4
        #expect(abs(pooled - expected) > 1e-3 * expected, "the four losses are too alike to tell the weighting apart")
    }

    @Test func aCorruptCheckpointIsAClearError() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("broken.checkpoint")
        try Data("not a checkpoint".utf8).write(to: url)
        #expect(throws: (any Error).self) { try Checkpoint(contentsOf: url) }
        let weightsOnly = folder.appendingPathComponent("weights.safetensors")
        try CRNNWeights.kerasInitialised(seed: 1).save(to: weightsOnly)
        #expect(throws: TrainingError.self) { try Checkpoint(contentsOf: weightsOnly) }
    }
}
