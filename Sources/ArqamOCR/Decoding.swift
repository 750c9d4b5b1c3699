import ArqamNN
import Foundation

/// One image's logits [50 × 13] → the reading: greedy text and trace, its calibrated
/// probability, and the N-best strings.
public enum Decoding {
    static let steps = 50

    static func reading(logits: UnsafeBufferPointer<Float>, temperature: Double, options: Recognizer.Options) -> Reading {
        let classes = Alphabet.classCount
        let (greedy, probabilities) = greedyDecoding(logits: logits)
        let confidence = exp(CTC.logProbability(of: greedy.labels, logits: logits, steps: steps, classes: classes, temperature: temperature))
        let hypotheses = options.alternatives > 0
            ? CTC.beamSearch(logits: logits, steps: steps, classes: classes, temperature: temperature,
                             width: options.beamWidth, count: options.alternatives)
            : []
        // The beam's probabilities are lower bounds once prefixes fall out of the beam; the
        // forward algorithm gives each string its exact probability, comparable with `confidence`.
        let alternatives = hypotheses.map { hypothesis in
            Alternative(text: hypothesis.text,
                        confidence: hypothesis.labels == greedy.labels
                            ? confidence
                            : exp(CTC.logProbability(of: hypothesis.labels, logits: logits, steps: steps,
                                                     classes: classes, temperature: temperature)))
        }.sorted { $0.confidence > $1.confidence }
        return Reading(text: greedy.text, confidence: confidence, trace: greedy.trace, alternatives: alternatives,
                       probabilities: options.includeProbabilities ? probabilities : nil)
    }

    /// The best path's classes per step of picture number `index` in logits
    /// [pictures × steps × classes].
    public static func trace(logits: [Float], of index: Int) -> [Int] {
        let size = CRNNShape.outputSize
        return logits.withUnsafeBufferPointer { all in
            greedyDecoding(logits: UnsafeBufferPointer(rebasing: all[index * size ..< (index + 1) * size])).0.trace
        }
    }

    /// The best path and the model's own softmax (temperature 1, what `--probs` reports). The
    /// argmax is taken of the softmax output, as the reference decodes: its ties are the model's.
    static func greedyDecoding(logits: UnsafeBufferPointer<Float>) -> (CTCGreedyDecoding, probabilities: [Float]) {
        let probabilities = CRNN.softmax(Array(logits))
        let greedy = probabilities.withUnsafeBufferPointer { CTC.greedy(scores: $0, steps: steps, classes: Alphabet.classCount) }
        return (greedy, probabilities)
    }
}
