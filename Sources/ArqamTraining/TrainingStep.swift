import ArqamNN
import ArqamOCR

/// One optimisation step: forward (with dropout unless `dropoutSeed` is nil), Keras'
/// ctc_batch_cost per image (the original recipe) plus `Distillation` when fine-tuning, the
/// gradient of the batch mean back through the network, Adam. `arqam bench --train` times
/// exactly this.
public enum TrainingStep {
    /// Returns the mean loss of the images whose label fits; images whose label cannot fit
    /// contribute nothing (their gradient is zero), so one bad label never poisons the weights.
    public static func run(network: inout CRNN, examples: [LabeledInput], optimizer: inout Adam,
                           dropoutSeed: UInt64?, threads: Int, distillation: Distillation? = nil) -> Double {
        let inputs = Array(examples.map(\.input).joined())
        let tape = network.forwardForTraining(inputs: inputs, batch: examples.count, dropoutSeed: dropoutSeed)
        let stride = CRNNShape.outputSize
        var logitGradients = [Float](repeating: 0, count: tape.logits.count)
        let scale = 1 / Float(examples.count)
        let losses = logitGradients.withUnsafeMutableBufferPointer { gradients in
            let shared = SendableBuffer(gradients)
            return Parallel.map(Array(examples.indices), threads: threads) { sample -> Double in
                tape.logits.withUnsafeBufferPointer { logits in
                    CTCLoss.compute(logits: UnsafeBufferPointer(rebasing: logits[sample * stride ..< (sample + 1) * stride]),
                                    steps: CRNNShape.outputSteps, classes: CRNNShape.classes, label: examples[sample].label,
                                    convention: .kerasBatchCost, gradientScale: scale,
                                    gradient: UnsafeMutableBufferPointer(rebasing: shared.buffer[sample * stride ..< (sample + 1) * stride])).loss
                }
            }
        }
        distillation?.addGradient(to: &logitGradients, logits: tape.logits, inputs: inputs, scale: scale)
        var weights = network.weights
        optimizer.update(&weights, gradients: network.backward(tape, dLogits: logitGradients))
        network.weights = weights
        let finite = losses.filter(\.isFinite)
        return finite.isEmpty ? .infinity : finite.reduce(0, +) / Double(finite.count)
    }
}

/// Lets workers write disjoint slices of one buffer.
struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Float>
    init(_ buffer: UnsafeMutableBufferPointer<Float>) { self.buffer = buffer }
}
