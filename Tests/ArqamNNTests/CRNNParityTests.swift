import Foundation
import Testing
@testable import ArqamNN

/// The Swift CRNN against the Keras oracle (Tests/Fixtures, README sections 4, 6 and 7).
@Suite struct CRNNParityTests {
    static let weights = Result { try CRNNWeights(contentsOf: Fixtures.url("crnn_random.safetensors")) }
    static let expected = Result { try Fixtures.file("expected.safetensors") }

    @Test(arguments: [1, 2])
    func logitsAndProbabilitiesMatchKerasImageByImage(threads: Int) throws {
        let model = CRNN(weights: try Self.weights.get(), threads: threads)
        let expected = try Self.expected.get()
        var worst: (logits: Float, probs: Float) = (0, 0)
        for stem in Fixtures.stems {
            let input = try expected.float32("\(stem)/input")
            let logits = model.logits(inputs: input.scalars, batch: 1)
            let probabilities = CRNN.softmax(logits)
            worst.logits = max(worst.logits, maxAbsDifference(logits, try expected.float32("\(stem)/logits").scalars))
            worst.probs = max(worst.probs, maxAbsDifference(probabilities, try expected.float32("\(stem)/probs").scalars))
        }
        // README section 7: logits and probs within 1e-4 (numpy float32 achieves 4.8e-7 / 5.2e-8).
        #expect(worst.logits <= 1e-4)
        #expect(worst.probs <= 1e-4)
    }

    @Test(arguments: [1, 3])
    func aBatchGivesTheSameAnswersAsSingleImages(threads: Int) throws {
        let model = CRNN(weights: try Self.weights.get(), threads: threads)
        let expected = try Self.expected.get()
        let inputs = try Fixtures.stems.flatMap { try expected.float32("\($0)/input").scalars }
        let probabilities = model.probabilities(inputs: inputs, batch: Fixtures.stems.count)
        let reference = try Fixtures.stems.flatMap { try expected.float32("\($0)/probs").scalars }
        #expect(maxAbsDifference(probabilities, reference) <= 1e-4)
        // Same threads, same batch → the same bits.
        #expect(model.probabilities(inputs: inputs, batch: Fixtures.stems.count) == probabilities)
    }

    @Test func everyLayerMatchesTheKerasActivations() throws {
        let weights = try Self.weights.get()
        let activations = try Fixtures.file("activations.safetensors")
        let input = try Self.expected.get().float32("gray8_w200_h50/input").scalars
        let layers = LayerByLayer(weights: weights, input: input)
        for (name, output) in layers.outputs {
            let reference = try activations.float32(name).scalars
            // README section 7: every layer within 1e-4 (numpy float32 vs TF ≤ 2.8e-6).
            #expect(maxAbsDifference(output, reference) <= 1e-4, "layer \(name)")
        }
    }

    @Test func gradientsMatchKerasForTheCTCBatch() throws {
        let model = CRNN(weights: try Self.weights.get(), threads: 2)
        let ctc = try Fixtures.file("ctc_grad.safetensors")
        let inputs = try ctc.float32("inputs")
        let tape = model.forwardForTraining(inputs: inputs.scalars, batch: 4, dropoutSeed: nil)
        // The fixture's batched logits (README section 1: batching moves them ≤ 3e-7).
        #expect(maxAbsDifference(tape.logits, try ctc.float32("logits").scalars) <= 1e-4)
        let gradients = model.backward(tape, dLogits: try ctc.float32("grad_logits").scalars)
        for name in CRNNWeights.Name.allCases {
            let reference = try ctc.float32("grad/\(name.key)").scalars
            // README section 7: per tensor, max|g − ref| ≤ 1e-4 · max|ref|.
            let difference = maxAbsDifference(gradients[name].scalars, reference)
            #expect(difference <= 1e-4 * maxAbs(reference), "\(name.key): \(difference) vs max \(maxAbs(reference))")
        }
        // One thread splits the batch differently but must agree within float32 rounding.
        let single = CRNN(weights: try Self.weights.get(), threads: 1)
        let alone = single.backward(single.forwardForTraining(inputs: inputs.scalars, batch: 4, dropoutSeed: nil),
                                    dLogits: try ctc.float32("grad_logits").scalars)
        for name in CRNNWeights.Name.allCases {
            #expect(maxAbsDifference(alone[name].scalars, gradients[name].scalars) <= 1e-5 * maxAbs(gradients[name].scalars))
        }
    }
}

/// The CRNN's layers called one by one on one image, keeping every output under its
/// Keras layer name (activations.safetensors); Conv2 is computed over all 25 rows here.
struct LayerByLayer {
    var outputs: [(String, [Float])] = []

    init(weights: CRNNWeights, input: [Float]) {
        let packed = PackedWeights(weights)
        let conv1 = CRNNForward.conv1
        let conv2 = Conv2D(height: 100, width: 25, inChannels: 32, outChannels: 64)
        let pool2 = MaxPool(height: 100, inputWidth: 25, channels: 64)
        var conv1Out = [Float](repeating: 0, count: conv1.outputCount)
        var pool1Out = [Float](repeating: 0, count: 100 * 25 * 32)
        var conv2Out = [Float](repeating: 0, count: conv2.outputCount)
        var pool2Out = [Float](repeating: 0, count: 50 * 768)
        var dense1Out = [Float](repeating: 0, count: 50 * 64)
        var h1 = [Float](repeating: 0, count: 50 * 256)
        var h2 = [Float](repeating: 0, count: 50 * 128)
        var logits = [Float](repeating: 0, count: 50 * 13)
        var columns = [Float](repeating: 0, count: conv2.columnsCount(rows: 100))
        var gates = [Float](repeating: 0, count: 50 * 6 * 128)
        columns.withUnsafeMutableBufferPointer { columns in
            let columns = columns.baseAddress!
            conv1.forward(input: input, kernel: packed[.conv1Kernel], bias: packed[.conv1Bias], output: &conv1Out, rows: 0 ..< 200, columns: columns)
            CRNNForward.pool1.forward(input: conv1Out, output: &pool1Out, choices: nil, rows: 0 ..< 100)
            conv2.forward(input: pool1Out, kernel: packed[.conv2Kernel], bias: packed[.conv2Bias], output: &conv2Out, rows: 0 ..< 100, columns: columns)
        }
        pool2.forward(input: conv2Out, output: &pool2Out, choices: nil, rows: 0 ..< 50)
        CRNNForward.dense1.forward(x: pool2Out, rows: 50, kernel: packed[.dense1Kernel], bias: packed[.dense1Bias], y: &dense1Out)
        gates.withUnsafeMutableBufferPointer { gates in
            let base = gates.baseAddress!
            func tape(_ units: Int) -> LSTM.Tape {
                LSTM.Tape(gates: base, cells: base + 50 * 4 * units, cellTanh: base + 50 * 5 * units)
            }
            for direction in 0 ..< 2 {
                CRNNForward.bidirectional.forward(direction: direction, x: dense1Out, ldx: 64, batch: 1,
                                                  parameters: packed.lstm(direction == 0 ? .lstm1ForwardKernel : .lstm1BackwardKernel),
                                                  out: &h1, tape: tape(128))
            }
            for direction in 0 ..< 2 {
                CRNNForward.bidirectional1.forward(direction: direction, x: h1, ldx: 256, batch: 1,
                                                   parameters: packed.lstm(direction == 0 ? .lstm2ForwardKernel : .lstm2BackwardKernel),
                                                   out: &h2, tape: tape(64))
            }
        }
        CRNNForward.dense2.forward(x: h2, rows: 50, kernel: packed[.dense2Kernel], bias: packed[.dense2Bias], y: &logits)
        outputs = [("Conv1", conv1Out), ("pool1", pool1Out), ("Conv2", conv2Out), ("pool2", pool2Out), ("reshape", pool2Out),
                   ("dense1", dense1Out), ("bidirectional", h1), ("bidirectional_1", h2), ("logits", logits),
                   ("dense2", CRNN.softmax(logits))]
    }
}
