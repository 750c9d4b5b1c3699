import ArqamNN
import ArqamOCR
import Foundation
import Testing

/// The whole training gradient — CTC loss on the CRNN's logits, back through every layer — for
/// the oracle's batch of 4, against TensorFlow's (Tests/Fixtures/ctc_grad.safetensors,
/// REFERENCE.md section 6), in both CTC conventions. Tolerances are section 7's: loss within
/// 1e-4 relative; per tensor max|g − ref| ≤ 1e-4 × max|ref|.
@Suite struct GradientParityTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Batch {
        let inputs: [Float]
        let labels: [[Int]]
        let oracle: SafeTensorsFile
    }

    static func batch() throws -> Batch {
        let oracle = try SafeTensorsFile(contentsOf: fixtures.appendingPathComponent("ctc_grad.safetensors"))
        let padded = try oracle.int32("labels").values.map(Int.init)
        let lengths = try oracle.int32("label_lengths").values.map(Int.init)
        let labels = lengths.enumerated().map { sample, length in Array(padded[sample * 14 ..< sample * 14 + length]) }
        return Batch(inputs: try oracle.float32("inputs").scalars, labels: labels, oracle: oracle)
    }

    /// Mean loss over the batch and the weight gradients of that mean.
    static func gradients(_ batch: Batch, convention: CTCLossConvention) throws -> (losses: [Double], gradients: CRNNWeights) {
        let network = CRNN(weights: try CRNNWeights(contentsOf: fixtures.appendingPathComponent("crnn_random.safetensors")), threads: 2)
        let tape = network.forwardForTraining(inputs: batch.inputs, batch: 4, dropoutSeed: nil)
        let stride = 50 * 13
        var dLogits = [Float](repeating: 0, count: tape.logits.count)
        var losses: [Double] = []
        for sample in 0..<4 {
            let result = CTCLoss.compute(logits: Array(tape.logits[sample * stride ..< (sample + 1) * stride]),
                                         steps: 50, classes: 13, label: batch.labels[sample], convention: convention)
            losses.append(result.loss)
            for index in 0..<stride { dLogits[sample * stride + index] = result.gradient[index] / 4 }
        }
        return (losses, network.backward(tape, dLogits: dLogits))
    }

    static func check(convention: CTCLossConvention, lossKey: String, gradientPrefix: String) throws {
        let batch = try batch()
        let (losses, gradients) = try gradients(batch, convention: convention)
        let reference = try batch.oracle.float32(lossKey).scalars
        var worstLoss = 0.0
        for (loss, expected) in zip(losses, reference) {
            let error = abs(loss - Double(expected))
            #expect(error <= 1e-4 * Double(expected), "\(lossKey): \(loss) vs \(expected)")
            worstLoss = max(worstLoss, error / Double(expected))
        }
        var worstGradient = (relative: Float(0), name: "")
        for name in CRNNWeights.Name.allCases {
            let expected = try batch.oracle.float32(gradientPrefix + name.key).scalars
            let actual = gradients[name].scalars
            let scale = expected.map(abs).max() ?? 0
            let difference = zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(difference <= 1e-4 * scale, "\(gradientPrefix)\(name.key): max diff \(difference), max |ref| \(scale)")
            let relative = difference / scale
            if relative > worstGradient.relative { worstGradient = (relative, name.key) }
        }
        // The figures a closing note quotes, so that measuring them needs no edit of this file.
        print("parity \(convention): loss within \(worstLoss) relative (\(losses.count) samples); "
              + "gradients within \(worstGradient.relative) of max |ref|, worst \(worstGradient.name) (\(CRNNWeights.Name.allCases.count) tensors)")
    }

    @Test func kerasBatchCostGradientsMatchTensorFlow() throws {
        try Self.check(convention: .kerasBatchCost, lossKey: "loss", gradientPrefix: "grad/")
    }

    @Test func exactCTCGradientsMatchTensorFlow() throws {
        try Self.check(convention: .exact, lossKey: "loss_logits_exact", gradientPrefix: "grad_exact/")
    }
}
