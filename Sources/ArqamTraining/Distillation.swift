import ArqamNN

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
