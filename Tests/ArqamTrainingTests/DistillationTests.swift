import ArqamNN
import ArqamOCR
@testable import ArqamTraining
import Foundation
import Testing

/// Distillation adds the gradient of weight × KL(teacher ‖ student) per frame on the logits of
/// the held images only, and a fine-tuning checkpoint keeps its teacher so a resume distils
/// from the same model.
@Suite struct DistillationTests {
    static let batch = 2

    static func inputs(seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<(batch * CRNNShape.inputSize)).map { _ in random.nextFloat() }
    }

    /// Σ over the frames of Σ_k q log(q / softmax(z)), in Double.
    static func divergence(teacher: [Float], logits: [Double]) -> Double {
        let classes = CRNNShape.classes
        var total = 0.0
        for frame in 0..<CRNNShape.outputSteps {
            let row = logits[frame * classes ..< (frame + 1) * classes]
            let largest = row.max()!
            let logSum = largest + log(row.reduce(0) { $0 + exp($1 - largest) })
            for k in 0..<classes {
                let q = Double(teacher[frame * classes + k])
                if q > 0 { total += q * (log(q) - (row[row.startIndex + k] - logSum)) }
            }
        }
        return total
    }

    @Test func itsGradientIsTheDivergencesOnHeldImagesOnly() throws {
        let teacher = CRNN(weights: .kerasInitialised(seed: 5), threads: 1)
        let student = CRNN(weights: .kerasInitialised(seed: 4), threads: 1)
        let inputs = Self.inputs(seed: 77)
        let logits = student.logits(inputs: inputs, batch: Self.batch)
        let weight: Float = 0.7, scale: Float = 0.5
        var gradient = [Float](repeating: 0, count: logits.count)
        Distillation(teacher: teacher, weight: weight, held: [false, true])
            .addGradient(to: &gradient, logits: logits, inputs: inputs, scale: scale)

        let size = CRNNShape.outputSize
        #expect(gradient[..<size].allSatisfy { $0 == 0 }, "the image not held gets no distillation gradient")
        let target = teacher.probabilities(inputs: Array(inputs[CRNNShape.inputSize...]), batch: 1)
        let heldLogits = logits[size...].map(Double.init)
        let step = 1e-4
        for index in stride(from: 3, to: size, by: 37) {
            var plus = heldLogits, minus = heldLogits
            plus[index] += step
            minus[index] -= step
            let numeric = Double(weight * scale) * (Self.divergence(teacher: target, logits: plus)
                                                    - Self.divergence(teacher: target, logits: minus)) / (2 * step)
            #expect(abs(Double(gradient[size + index]) - numeric) <= 1e-5, "logit \(index): \(gradient[size + index]) vs \(numeric)")
        }
        let largest = gradient[size...].map(abs).max() ?? 0
        #expect(largest > 1e-3, "two different models disagree, so the gradient is not zero")
    }

    @Test func aCheckpointKeepsItsTeacher() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-distil-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run.checkpoint")
        var configuration = TrainingConfiguration()
        configuration.distillationWeight = 1
        let teacher = CRNNWeights.kerasInitialised(seed: 8)
        try Checkpoint(configuration: configuration, weights: .kerasInitialised(seed: 2), optimizer: Adam(), teacher: teacher)
            .save(to: url)
        #expect(try Checkpoint(contentsOf: url).teacher == teacher)
        try Checkpoint(configuration: configuration, weights: .kerasInitialised(seed: 2), optimizer: Adam()).save(to: url)
        #expect(try Checkpoint(contentsOf: url).teacher == nil)
    }
}
