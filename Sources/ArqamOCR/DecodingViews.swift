import Foundation

extension Decoding {
    /// How many strings each view proposes besides its greedy one: its beam's best.
    static let candidatesPerView = 3

    /// One image read in several views (`ReadingViews`, the picture as given first) → one
    /// reading.
    ///
    /// Each view proposes its greedy string and its beam's best. The reading is the proposal
    /// with the highest mean probability over the views (each exact, by the forward algorithm);
    /// the alternatives are the proposals in that order, each with its mean. The reading's
    /// confidence is the highest probability a single view gives it: the mean is too low for
    /// strings that are right, because the views that read worse than the picture as given
    /// pull it down (the shipped model on held-out fonts of its own generator: ECE 7.7 % for
    /// the mean, 0.7 % for the highest view). The trace and the softmax rows are the
    /// picture's as given, so the trace shows what the model saw there.
    static func reading(views: [UnsafeBufferPointer<Float>], temperature: Double, options: Recognizer.Options) -> Reading {
        precondition(!views.isEmpty, "at least one view")
        let classes = Alphabet.classCount
        let paths = views.map { greedyDecoding(logits: $0) }
        var proposals: [[Int]] = []
        for (logits, (greedy, _)) in zip(views, paths) {
            let beam = CTC.beamSearch(logits: logits, steps: steps, classes: classes, temperature: temperature,
                                      width: options.beamWidth, count: max(options.alternatives, candidatesPerView))
            for labels in [greedy.labels] + beam.map(\.labels) where !proposals.contains(labels) {
                proposals.append(labels)
            }
        }
        let scored = proposals.map { labels in
            let probabilities = views.map {
                exp(CTC.logProbability(of: labels, logits: $0, steps: steps, classes: classes, temperature: temperature))
            }
            return ViewScore(text: Alphabet.decode(labels),
                             mean: probabilities.reduce(0, +) / Double(views.count),
                             highest: probabilities.max()!)
        }
        let ranked = ViewScore.ranked(scored)
        return Reading(text: ranked[0].text, confidence: ranked[0].highest, trace: paths[0].0.trace,
                       alternatives: ranked.prefix(options.alternatives).map { Alternative(text: $0.text, confidence: $0.mean) },
                       probabilities: options.includeProbabilities ? paths[0].probabilities : nil)
    }
}

/// A proposed string's probability over the views: their mean, which ranks, and the highest.
struct ViewScore: Equatable {
    var text: String
    var mean: Double
    var highest: Double

    /// Highest mean first; equal means keep the order they were proposed in (the picture as
    /// given proposes first).
    static func ranked(_ scores: [ViewScore]) -> [ViewScore] {
        scores.enumerated().sorted { a, b in
            a.element.mean != b.element.mean ? a.element.mean > b.element.mean : a.offset < b.offset
        }.map(\.element)
    }
}
