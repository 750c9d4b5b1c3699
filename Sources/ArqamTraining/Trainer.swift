import Foundation
import ArqamData
import ArqamImaging
import ArqamNN
import ArqamOCR

/// One epoch's figures, kept in the checkpoint and printed by `arqam train`.
public struct EpochSummary: Codable, Sendable, Equatable {
    public var epoch: Int
    public var trainingLoss: Double
    public var validationLoss: Double
    public var sequenceAccuracy: Double
    public var characterErrorRate: Double
    public var imagesPerSecond: Double
    public var learningRate: Double
}

public enum TrainingEvent: Sendable {
    case step(epoch: Int, batch: Int, batches: Int, loss: Double, imagesPerSecond: Double, secondsLeft: Double)
    case epoch(EpochSummary, improved: Bool)
}

public enum StopReason: String, Sendable {
    case finished = "all epochs done"
    case earlyStopped = "validation stopped improving"
    case timeBudget = "time budget spent"
    case interrupted = "interrupted"
}

public struct TrainingOutcome: Sendable {
    /// The weights to write: the best-validated epoch's, or with `keepLastEpoch` the last one's.
    public var kept: CRNNWeights
    public var history: [EpochSummary]
    public var stopReason: StopReason
    public var checkpoint: Checkpoint
}

/// The training loop: shuffled batches of real and freshly drawn synthetic images, CTC loss,
/// backpropagation, Adam; validation, best model and early stopping each epoch; a checkpoint
/// after each epoch and when stopped. Every random choice derives from the seed, the epoch and
/// the batch, so a resumed run continues exactly as an uninterrupted one.
public final class Trainer {
    public let configuration: TrainingConfiguration
    let training: [LabeledInput]
    let validation: ValidationSet
    let synthesizer: SyntheticSource?

    /// Holds out `configuration.validationFraction` of `real` for validation.
    public convenience init(configuration: TrainingConfiguration, real: [LabeledInput], synthesizer: SyntheticGenerator?) throws {
        let split = Self.split(real, fraction: configuration.validationFraction, seed: configuration.seed)
        try self.init(configuration: configuration, training: split.training, validation: split.validation, synthesizer: synthesizer)
    }

    init(configuration: TrainingConfiguration, training: [LabeledInput], validation: [LabeledInput],
         synthesizer: SyntheticGenerator?) throws {
        self.configuration = configuration
        self.training = training
        let source = synthesizer.map { SyntheticSource(generator: $0, seed: configuration.seed) }
        self.synthesizer = source
        self.validation = ValidationSet(real: validation,
                                        synthetic: source?.validationSet(count: configuration.syntheticValidation,
                                                                         threads: configuration.threads) ?? [])
        guard !training.isEmpty || syntheticPerEpoch > 0 else {
            throw TrainingError.noTrainingData("no labeled images and no synthetic ones (--synth N)")
        }
        guard !self.validation.isEmpty else {
            throw TrainingError.noTrainingData("too few images to hold out for validation; add images or synthetic data")
        }
    }

    /// Synthetic images per epoch: the requested ones plus the replay share of the real ones.
    var syntheticPerEpoch: Int {
        guard synthesizer != nil else { return 0 }
        return configuration.syntheticPerEpoch + Int((configuration.replayRatio * Double(training.count)).rounded())
    }

    var batchesPerEpoch: Int {
        (training.count + syntheticPerEpoch + configuration.batchSize - 1) / configuration.batchSize
    }

    public func run(from start: Checkpoint, checkpointURL: URL,
                    shouldStop: () -> Bool, events: (TrainingEvent) -> Void) throws -> TrainingOutcome {
        var state = start
        var network = CRNN(weights: state.weights, threads: configuration.threads)
        let teacher = state.teacher.map { CRNN(weights: $0, threads: configuration.threads) }
        let totalSteps = max(1, configuration.epochs * batchesPerEpoch)
        let clock = ContinuousClock()
        let runStart = clock.now
        let elapsedBefore = state.elapsedSeconds
        func elapsed() -> Double { elapsedBefore + (clock.now - runStart).seconds }
        var stopReason = StopReason.finished

        epochs: while state.epoch < configuration.epochs {
            let plan = epochPlan(state.epoch)
            let epochStart = clock.now
            var lossSum = 0.0, lossCount = 0, imagesSeen = 0
            while state.batchInEpoch < plan.count {
                if shouldStop() { stopReason = .interrupted; break epochs }
                if let minutes = configuration.minutes, elapsed() >= minutes * 60 { stopReason = .timeBudget; break epochs }
                let batch = plan[state.batchInEpoch]
                let step = state.epoch * batchesPerEpoch + state.batchInEpoch
                let learningRate = configuration.learningRate(atFraction: progress(step: step, of: totalSteps, elapsed: elapsed()))
                let loss = trainStep(network: &network, batch: batch, step: step, state: &state, learningRate: learningRate,
                                     teacher: teacher)
                if loss.isFinite { lossSum += loss; lossCount += 1 }
                imagesSeen += batch.count
                state.batchInEpoch += 1
                let seconds = (clock.now - epochStart).seconds
                let rate = Double(imagesSeen) / max(seconds, 1e-9)
                let stepsLeft = Double(totalSteps - step - 1)
                events(.step(epoch: state.epoch, batch: state.batchInEpoch, batches: plan.count, loss: loss,
                             imagesPerSecond: rate, secondsLeft: stepsLeft * seconds / Double(max(state.batchInEpoch, 1))))
            }
            let scores = validation.evaluate(network: network, threads: configuration.threads)
            let summary = EpochSummary(
                epoch: state.epoch + 1, trainingLoss: lossCount > 0 ? lossSum / Double(lossCount) : .nan,
                validationLoss: scores.loss, sequenceAccuracy: scores.sequenceAccuracy,
                characterErrorRate: scores.characterErrorRate,
                imagesPerSecond: Double(imagesSeen) / max((clock.now - epochStart).seconds, 1e-9),
                learningRate: configuration.learningRate(atFraction: progress(step: (state.epoch + 1) * batchesPerEpoch,
                                                                              of: totalSteps, elapsed: elapsed())))
            let improved = scores.loss < state.bestValidationLoss
            if improved {
                state.bestValidationLoss = scores.loss
                state.best = state.weights
                state.epochsWithoutImprovement = 0
            } else {
                state.epochsWithoutImprovement += 1
            }
            state.history.append(summary)
            state.epoch += 1
            state.batchInEpoch = 0
            state.elapsedSeconds = elapsed()
            try state.save(to: checkpointURL)
            events(.epoch(summary, improved: improved))
            if state.epochsWithoutImprovement >= configuration.patience { stopReason = .earlyStopped; break }
        }
        if stopReason == .interrupted || stopReason == .timeBudget {
            // Weights trained since the last validation may be the best yet: check before stopping.
            let scores = validation.evaluate(network: network, threads: configuration.threads)
            if scores.loss < state.bestValidationLoss {
                state.bestValidationLoss = scores.loss
                state.best = state.weights
            }
            state.elapsedSeconds = elapsed()
            try state.save(to: checkpointURL)
        }
        return TrainingOutcome(kept: configuration.keepLastEpoch ? state.weights : state.best, history: state.history,
                               stopReason: stopReason, checkpoint: state)
    }

    /// How far through its schedule the run is: by steps, or by time when a time budget would
    /// end it first (so the learning rate has decayed when the budget is spent).
    private func progress(step: Int, of totalSteps: Int, elapsed: Double) -> Double {
        let byStep = Double(step) / Double(totalSteps)
        guard let minutes = configuration.minutes else { return byStep }
        return max(byStep, elapsed / (minutes * 60))
    }

    private func trainStep(network: inout CRNN, batch: [ExampleReference], step: Int, state: inout Checkpoint,
                           learningRate: Double, teacher: CRNN?) -> Double {
        state.optimizer.learningRate = Float(learningRate)
        let dropoutSeed = configuration.dropout ? configuration.seed &* 0x9E37_79B9 &+ UInt64(step) : nil
        let distillation = teacher.map { teacher in
            Distillation(teacher: teacher, weight: Float(configuration.distillationWeight), held: batch.map(\.isReplay))
        }
        let loss = TrainingStep.run(network: &network, examples: materialize(batch, step: step), optimizer: &state.optimizer,
                                    dropoutSeed: dropoutSeed, threads: configuration.threads, distillation: distillation)
        state.weights = network.weights
        return loss
    }

    private func materialize(_ batch: [ExampleReference], step: Int) -> [LabeledInput] {
        Parallel.map(Array(batch.enumerated()), threads: configuration.threads) { position, reference in
            switch reference {
            case .real(let index):
                guard configuration.augmentRealImages else { return training[index] }
                var random = SeededRandom(seed: configuration.seed).derived(0xA0_0000_0000 | UInt64(step) << 8 | UInt64(position))
                var example = training[index]
                example.input = InputAugmentation.augmented(example.input, rng: &random)
                return example
            case .synthetic(let index): return synthesizer!.example(index)
            }
        }
    }

    enum ExampleReference: Sendable {
        case real(Int)
        case synthetic(Int)

        var isReplay: Bool {
            if case .synthetic = self { true } else { false }
        }
    }

    /// The batches of one epoch: every training image once and `syntheticPerEpoch` new
    /// synthetic ones, shuffled together by a generator derived from the seed and the epoch.
    func epochPlan(_ epoch: Int) -> [[ExampleReference]] {
        var references = training.indices.map(ExampleReference.real)
        let perEpoch = syntheticPerEpoch
        references += (0..<perEpoch).map { .synthetic(epoch * perEpoch + $0) }
        var random = SeededRandom(seed: configuration.seed).derived(UInt64(epoch) + 1)
        references.shuffle(using: &random)
        return stride(from: 0, to: references.count, by: configuration.batchSize).map {
            Array(references[$0 ..< min($0 + configuration.batchSize, references.count)])
        }
    }

    /// Holds out a seeded share of the real images (none when there are under 20: too few to
    /// spare, and synthetic validation then carries the decision).
    static func split(_ real: [LabeledInput], fraction: Double, seed: UInt64) -> (training: [LabeledInput], validation: [LabeledInput]) {
        guard real.count >= 20, fraction > 0 else { return (real, []) }
        var order = Array(real.indices)
        var random = SeededRandom(seed: seed).derived(0xDA7A)
        order.shuffle(using: &random)
        let held = max(1, Int((Double(real.count) * fraction).rounded()))
        return (order.dropFirst(held).map { real[$0] }, order.prefix(held).map { real[$0] })
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

extension Trainer {
    /// Fits the temperature of `weights` on the validation images (real and synthetic).
    public func calibrate(_ weights: CRNNWeights) throws -> TemperatureFit {
        let network = CRNN(weights: weights, threads: configuration.threads)
        let examples = validation.all
        let logits = ValidationSet.logits(of: examples, network: network)
        let stride = CRNNShape.outputSize
        let samples = examples.indices.map { index in
            CalibrationSample(logits: Array(logits[index * stride ..< (index + 1) * stride]), label: examples[index].label)
        }
        return try TemperatureCalibration.fit(samples, steps: CRNNShape.outputSteps, classes: CRNNShape.classes)
    }

    /// Fits the confidence temperature of readings in 2 and 3 views, and in 1 to 3 with the
    /// zoom, on the synthetic validation images, drawn again in every view; none without
    /// synthetic validation (the views then use `temperature`, the one-view fit).
    public func calibrateViews(_ weights: CRNNWeights, temperature: Double) throws -> ViewsTemperatureFits {
        guard let synthesizer, configuration.syntheticValidation > 0 else { return ViewsTemperatureFits() }
        let examples = synthesizer.validationSet(count: configuration.syntheticValidation, threads: configuration.threads,
                                                 views: ReadingViews.maximumCount, keepPictures: true)
        return try ConfidenceCalibration(examples: examples, network: CRNN(weights: weights, threads: configuration.threads),
                                         threads: configuration.threads).fitViews(temperature: temperature)
    }

    public var trainingImageCount: Int { training.count }
    public var validationImageCount: (real: Int, synthetic: Int) { (validation.real.count, validation.synthetic.count) }
    public var imagesPerEpoch: Int { training.count + syntheticPerEpoch }
}
