import Foundation
import ArqamNN
import ArqamOCR

/// The held-out images scored after every epoch: real ones (a share of the data) and a fixed
/// synthetic set.
struct ValidationSet: Sendable {
    let real: [LabeledInput]
    let synthetic: [LabeledInput]

    var isEmpty: Bool { real.isEmpty && synthetic.isEmpty }
    var all: [LabeledInput] { real + synthetic }

    struct Scores {
        var loss: Double
        var sequenceAccuracy: Double
        var characterErrorRate: Double
    }

    func evaluate(network: CRNN, threads: Int) -> Scores {
        let examples = all
        let logits = Self.logits(of: examples, network: network)
        let stride = CRNNShape.outputSize
        let results = Parallel.map(Array(examples.indices), threads: threads) { index -> (loss: Double, reading: EvaluatedReading) in
            logits.withUnsafeBufferPointer { all in
                let rows = UnsafeBufferPointer(rebasing: all[index * stride ..< (index + 1) * stride])
                let loss = -CTC.logProbability(of: examples[index].label, logits: rows,
                                               steps: CRNNShape.outputSteps, classes: CRNNShape.classes)
                let greedy = CTC.greedy(scores: rows, steps: CRNNShape.outputSteps, classes: CRNNShape.classes)
                let confidence = exp(CTC.logProbability(of: greedy.labels, logits: rows,
                                                        steps: CRNNShape.outputSteps, classes: CRNNShape.classes))
                return (loss, EvaluatedReading(label: Alphabet.decode(examples[index].label), predicted: greedy.text,
                                               confidence: confidence))
            }
        }
        let losses = results.map(\.loss)
        let parts = [losses[..<real.count], losses[real.count...]].compactMap(Self.finiteMean)
        let metrics = EvaluationMetrics(results.map(\.reading))
        return Scores(loss: parts.isEmpty ? .infinity : parts.reduce(0, +) / Double(parts.count),
                      sequenceAccuracy: metrics.sequenceAccuracy ?? 0,
                      characterErrorRate: metrics.characterErrorRate ?? 1)
    }

    /// The real images and the synthetic ones weigh alike in the loss, however many of each:
    /// when fine-tuning, a few hundred new images must not drown in the synthetic guard set.
    private static func finiteMean(_ losses: ArraySlice<Double>) -> Double? {
        let finite = losses.filter(\.isFinite)
        return finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count)
    }

    /// Logits of every example, [count × views × 50 × 13], in batches of 64 examples; every
    /// example holds the same number of views (`ReadingViews`).
    static func logits(of examples: [LabeledInput], network: CRNN) -> [Float] {
        let views = examples.first.map { $0.input.count / CRNNShape.inputSize } ?? 1
        var out: [Float] = []
        out.reserveCapacity(examples.count * views * CRNNShape.outputSize)
        for start in Swift.stride(from: 0, to: examples.count, by: 64) {
            let chunk = examples[start ..< min(start + 64, examples.count)]
            out += network.logits(inputs: Array(chunk.map(\.input).joined()), batch: chunk.count * views)
        }
        return out
    }
}
