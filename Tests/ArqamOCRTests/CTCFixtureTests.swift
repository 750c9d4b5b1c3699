import ArqamNN
@testable import ArqamOCR
import Foundation
import Testing

/// The Keras oracle files in Tests/Fixtures (reference README sections 5 and 6).
private enum CTCFixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func tensors(_ name: String) throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: folder.appendingPathComponent(name))
    }

    struct ExpectedImage: Decodable {
        let argmax: [Int]
        let greedyText: String

        enum CodingKeys: String, CodingKey {
            case argmax
            case greedyText = "greedy_text"
        }
    }

    struct Expected: Decodable {
        let images: [String: ExpectedImage]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected.json")))
    }
}

@Suite struct CTCFixtureTests {
    @Test func greedyMatchesKerasOnAllImages() throws {
        let expected = try CTCFixtures.expected()
        let tensors = try CTCFixtures.tensors("expected.safetensors")
        #expect(expected.images.count == 14)
        for (stem, image) in expected.images {
            let probabilities = try tensors.float32("\(stem)/probs").scalars
            let decoding = CTC.greedy(scores: probabilities, steps: 50, classes: 13)
            #expect(decoding.trace == image.argmax, "\(stem)")
            #expect(decoding.text == image.greedyText, "\(stem)")
            // The logits have the same argmax (the smallest top-1/top-2 margin is 1.4e-5 in probs).
            let logits = try tensors.float32("\(stem)/logits").scalars
            #expect(CTC.greedy(scores: logits, steps: 50, classes: 13).trace == image.argmax, "\(stem) logits")
        }
    }

    /// The 4 samples of ctc_grad.safetensors: logits [50 × 13] each and the unpadded labels.
    static func batch() throws -> (logits: [[Float]], labels: [[Int]], file: SafeTensorsFile) {
        let file = try CTCFixtures.tensors("ctc_grad.safetensors")
        let logits = try file.float32("logits").scalars
        let labels = try file.int32("labels").values
        let lengths = try file.int32("label_lengths").values
        return (
            (0..<4).map { Array(logits[($0 * 650)..<(($0 + 1) * 650)]) },
            (0..<4).map { sample in (0..<Int(lengths[sample])).map { Int(labels[sample * 14 + $0]) } },
            file
        )
    }

    @Test func lossesMatchKeras() throws {
        let (logits, labels, file) = try Self.batch()
        #expect(labels.map(\.count) == [10, 14, 4, 1])
        let kerasLoss = try file.float32("loss").scalars
        let exactLoss = try file.float32("loss_logits_exact").scalars
        // Exact float64 evaluations of the same formulas (reference README section 6).
        let kerasFloat64 = [90.19001621, 89.29842083, 109.03069674, 125.37668307]
        let exactFloat64 = [90.19001115, 89.29842361, 109.03069396, 125.37668834]
        for sample in 0..<4 {
            let keras = CTCLoss.compute(logits: logits[sample], steps: 50, classes: 13, label: labels[sample], convention: .kerasBatchCost)
            let exact = CTCLoss.compute(logits: logits[sample], steps: 50, classes: 13, label: labels[sample], convention: .exact)
            // Required: relative 1e-4 against the float32 file (measured ≤ 1.2e-7).
            #expect(abs(keras.loss / Double(kerasLoss[sample]) - 1) < 1e-4)
            #expect(abs(exact.loss / Double(exactLoss[sample]) - 1) < 1e-4)
            // Against the float64 evaluation: measured ≤ 1.45e-6 (sample 3). Both conventions move
            // by the same amount, so it is the input logits, not the recursion, that differ
            // (the README gives 4.9e-6 for a float32 pipeline with Double α/β).
            #expect(abs(keras.loss - kerasFloat64[sample]) < 5e-6, "sample \(sample): \(keras.loss)")
            #expect(abs(exact.loss - exactFloat64[sample]) < 5e-6, "sample \(sample): \(exact.loss)")
        }
    }

    @Test func gradientOfTheMeanLossMatchesKeras() throws {
        let (logits, labels, file) = try Self.batch()
        let reference = try file.float32("grad_logits").scalars
        var gradient = [Float](repeating: 0, count: 4 * 650)
        gradient.withUnsafeMutableBufferPointer { gradient in
            for sample in 0..<4 {
                logits[sample].withUnsafeBufferPointer { logits in
                    _ = CTCLoss.compute(
                        logits: logits, steps: 50, classes: 13, label: labels[sample], convention: .kerasBatchCost,
                        gradientScale: 0.25, gradient: UnsafeMutableBufferPointer(rebasing: gradient[(sample * 650)..<((sample + 1) * 650)]))
                }
            }
        }
        let largest = reference.map(abs).max() ?? 0
        let difference = zip(gradient, reference).map { abs($0 - $1) }.max() ?? .infinity
        // Required: max abs ≤ 1e-4 × max|ref| (max|ref| = 0.226). Measured 6.7e-6 = 3.0e-5 of the
        // max, which is the file's own float32 error against float64 (README section 7).
        #expect(difference <= 1e-4 * largest, "max abs difference \(difference) of \(largest)")
    }
}
