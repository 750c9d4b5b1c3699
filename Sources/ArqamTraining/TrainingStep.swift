import ArqamNN
import ArqamOCR

/// One optimisation step: forward (with dropout unless `dropoutSeed` is nil), Keras' ctc_batch_cost per image (the original
/// recipe), the gradient of the batch mean back through the network, Adam. `arqam bench --train`
/// times exactly this.
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

/// Keeps a fine-tuned model reading its replay images the way the starting model did:
/// for the images marked, the loss gains `weight ×` the KL divergence from the teacher's
/// per-frame probabilities to the student's, whose gradient on the logits is
/// `weight × (p − p_teacher)`. CTC alone only asks for the right string; this also holds the
/// frames' shape, which is what the rest of the model's knowledge lives in.
public struct Distillation: Sendable {
    public var teacher: CRNN
    public var weight: Float
    /// Which images of the batch to hold (the replayed ones, not the new ones).
    public var held: [Bool]

    public init(teacher: CRNN, weight: Float, held: [Bool]) {
        self.teacher = teacher
        self.weight = weight
        self.held = held
    }

    func addGradient(to gradient: inout [Float], logits: [Float], inputs: [Float], scale: Float) {
        let indices = held.indices.filter { held[$0] }
        guard !indices.isEmpty, weight > 0 else { return }
        let inputSize = CRNNShape.inputSize, outputSize = CRNNShape.outputSize
        let teacherInputs = Array(indices.map { inputs[$0 * inputSize ..< ($0 + 1) * inputSize] }.joined())
        let target = teacher.probabilities(inputs: teacherInputs, batch: indices.count)
        let student = CRNN.softmax(logits)
        for (position, sample) in indices.enumerated() {
            for offset in 0..<outputSize {
                let index = sample * outputSize + offset
                gradient[index] += weight * scale * (student[index] - target[position * outputSize + offset])
            }
        }
    }
}

/// Lets workers write disjoint slices of one buffer.
struct SendableBuffer: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Float>
    init(_ buffer: UnsafeMutableBufferPointer<Float>) { self.buffer = buffer }
}
