/// The best path of a CTC output: the per-step argmax and what it spells.
public struct CTCGreedyDecoding: Sendable, Equatable {
    /// The argmax class of every step.
    public var trace: [Int]
    /// The classes written: repeats merged, blanks and `[UNK]` dropped.
    public var labels: [Int]

    /// `labels` in Western digits and `/`.
    public var text: String { Alphabet.decode(labels) }
}

extension CTC {
    /// Greedy (best-path) decoding of softmax probabilities or logits, which share their argmax.
    ///
    /// Each step's class is its argmax, the first index on an exact tie. Class k is written when
    /// it differs from the previous step's class and is neither the blank (the last class) nor
    /// `[UNK]`; the previous class is updated at every step, so a blank or `[UNK]` between two
    /// equal classes makes both of them written (the rule of the Keras model's decoder).
    public static func greedy(scores: UnsafeBufferPointer<Float>, steps: Int, classes: Int) -> CTCGreedyDecoding {
        precondition(scores.count == steps * classes && classes >= 1, "scores hold \(scores.count) values, not \(steps) × \(classes)")
        let blank = classes - 1
        var trace: [Int] = []
        var labels: [Int] = []
        trace.reserveCapacity(steps)
        var previous: Int?
        for t in 0..<steps {
            let row = t * classes
            var best = 0
            for k in 1..<classes where scores[row + k] > scores[row + best] { best = k }
            trace.append(best)
            if best != previous && best != blank && best != Alphabet.unknown { labels.append(best) }
            previous = best
        }
        return CTCGreedyDecoding(trace: trace, labels: labels)
    }

    public static func greedy(scores: [Float], steps: Int, classes: Int) -> CTCGreedyDecoding {
        scores.withUnsafeBufferPointer { greedy(scores: $0, steps: steps, classes: classes) }
    }
}
