import Foundation

/// Everything that decides a training run's numbers. Stored in checkpoints so that a
/// resumed run continues the same run, not a different one.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    public var epochs = 30
    public var batchSize = 16
    public var learningRate = 1e-3
    /// Cosine decay from `learningRate` to `learningRate × finalLearningRateFraction` over the run.
    public var finalLearningRateFraction = 0.05
    public var seed: UInt64 = 1
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Synthetic images drawn fresh each epoch (in addition to the real images).
    public var syntheticPerEpoch = 0
    /// When fine-tuning on real images: synthetic images mixed into every batch per real image
    /// (replay, so that what the model knew is not forgotten).
    public var replayRatio = 1.0
    /// When fine-tuning: how strongly the replayed images are held to the starting model's
    /// readings (`Distillation`); 0 turns it off.
    public var distillationWeight = 0.0
    /// Share of the real images held out for validation (and for the temperature fit).
    public var validationFraction = 0.1
    /// Synthetic validation images (a fixed set, drawn from a seed training never uses).
    public var syntheticValidation = 500
    /// Epochs without a better validation loss before stopping.
    public var patience = 6
    /// Write the last epoch's weights instead of the best-validated ones. For fine-tuning: a
    /// few dozen held-out new images are too few to choose an epoch by, and by the last epoch
    /// the learning rate has decayed and the model settled.
    public var keepLastEpoch = false
    /// Wall-clock budget in minutes; the run ends cleanly (best model, calibration) when spent. The
    /// learning rate's schedule follows the clock when that is further along than the steps, so a
    /// budgeted run is not repeatable across runs (a resumed one continues the stored clock).
    public var minutes: Double?
    /// Global gradient-norm clip; protects the first steps of a run from rare huge CTC gradients.
    public var clipNorm: Float? = 5
    /// The Keras model's dropout (0.2 after dense1, 0.25 on each LSTM's input). Off by default:
    /// fresh synthetic images every epoch leave nothing to memorise, and the shipped model,
    /// trained without it, loses more than it gains when fine-tuned with it.
    public var dropout = false
    /// Real images drawn a little changed each time (`InputAugmentation`).
    public var augmentRealImages = true

    public init() {}

    func learningRate(atFraction fraction: Double) -> Double {
        let floor = learningRate * finalLearningRateFraction
        return floor + (learningRate - floor) * 0.5 * (1 + cos(Double.pi * min(max(fraction, 0), 1)))
    }
}
