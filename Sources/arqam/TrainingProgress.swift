import ArqamTraining
import Foundation

/// Shows a training run: a progress bar within the epoch (step, loss, images/s, ETA) and one
/// line per epoch with its validation figures.
final class TrainingProgress {
    private let epochs: Int
    private var bar: ProgressBar?
    private var barEpoch = -1

    init(epochs: Int) { self.epochs = epochs }

    func show(_ event: TrainingEvent) {
        switch event {
        case let .step(epoch, batch, batches, loss, imagesPerSecond, secondsLeft):
            if barEpoch != epoch {
                bar = ProgressBar(total: batches, label: "epoch \(epoch + 1)/\(epochs)")
                bar?.advance(by: batch - 1)
                barEpoch = epoch
            }
            bar?.advance(status: String(format: "loss %.3f · %.0f img/s · run ETA %@", loss, imagesPerSecond,
                                        ProgressBar.duration(secondsLeft)))
        case let .epoch(summary, improved):
            bar?.finish()
            barEpoch = -1
            print(String(format: "epoch %2d/%d  loss %.4f  val loss %.4f  seq acc %.2f%%  CER %.2f%%  %.0f img/s  lr %.2e%@",
                         summary.epoch, epochs, summary.trainingLoss, summary.validationLoss,
                         summary.sequenceAccuracy * 100, summary.characterErrorRate * 100,
                         summary.imagesPerSecond, summary.learningRate, improved ? "  ★ best" : ""))
            fflush(nil)
        }
    }

    func finish() { bar?.finish() }
}
