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
    /// confidence is the highest probability a single view gives it, at `confidenceTemperature`:
    /// the mean is too low for strings that are right, because the views that read worse than
    /// the picture as given pull it down (seed 2051 on held-out fonts of its own generator: ECE
    /// 7.7 % for the mean, 0.7 % for the highest view), and the highest is a little too high,
    /// which a temperature of its own corrects (`Model.confidenceTemperature(views:)`). The
    /// trace and the softmax rows are the picture's as given, so the trace shows what the
    /// model saw there.
    static func reading(views: [UnsafeBufferPointer<Float>], temperature: Double, confidenceTemperature: Double,
                        options: Recognizer.Options) -> Reading {
        let paths = views.map { greedyDecoding(logits: $0) }
        let ranked = rankedProposals(views: views, greedy: paths.map { $0.0.labels }, temperature: temperature, options: options)
        let confidence = probabilities(of: ranked[0].labels, views: views, temperature: confidenceTemperature).max()!
        return Reading(text: Alphabet.decode(ranked[0].labels), confidence: confidence, trace: paths[0].0.trace,
                       alternatives: ranked.prefix(options.alternatives).map { Alternative(text: Alphabet.decode($0.labels), confidence: $0.mean) },
                       probabilities: options.includeProbabilities ? paths[0].probabilities : nil)
    }

    /// The classes a reading in `views.count` views writes (one view: the greedy path's, as
    /// `reading(logits:)`; more: `reading(views:)`'s), for fitting the temperature of its
    /// confidence.
    public static func choice(views: [UnsafeBufferPointer<Float>], temperature: Double,
                              options: Recognizer.Options = Recognizer.Options()) -> [Int] {
        let greedy = views.map { greedyDecoding(logits: $0).0.labels }
        guard views.count > 1 else { return greedy[0] }
        return rankedProposals(views: views, greedy: greedy, temperature: temperature, options: options)[0].labels
    }

    /// Each view's greedy string and its beam's best, most probable over the views first.
    private static func rankedProposals(views: [UnsafeBufferPointer<Float>], greedy: [[Int]], temperature: Double,
                                        options: Recognizer.Options) -> [ViewScore] {
        precondition(!views.isEmpty, "at least one view")
        var proposals: [[Int]] = []
        for (logits, greedyLabels) in zip(views, greedy) {
            let beam = CTC.beamSearch(logits: logits, steps: steps, classes: Alphabet.classCount, temperature: temperature,
                                      width: options.beamWidth, count: max(options.alternatives, candidatesPerView))
            for labels in [greedyLabels] + beam.map(\.labels) where !proposals.contains(labels) {
                proposals.append(labels)
            }
        }
        return ViewScore.ranked(proposals.map { labels in
            ViewScore(labels: labels, mean: probabilities(of: labels, views: views, temperature: temperature).reduce(0, +) / Double(views.count))
        })
    }

    /// The probability each view gives `labels`, exact (forward algorithm).
    private static func probabilities(of labels: [Int], views: [UnsafeBufferPointer<Float>], temperature: Double) -> [Double] {
        views.map { exp(CTC.logProbability(of: labels, logits: $0, steps: steps, classes: Alphabet.classCount, temperature: temperature)) }
    }
}

/// A proposed string and the mean of its probabilities over the views, which ranks it.
struct ViewScore: Equatable {
    var labels: [Int]
    var mean: Double

    /// Highest mean first; equal means keep the order they were proposed in (the picture as
    /// given proposes first).
    static func ranked(_ scores: [ViewScore]) -> [ViewScore] {
        scores.enumerated().sorted { a, b in
            a.element.mean != b.element.mean ? a.element.mean > b.element.mean : a.offset < b.offset
        }.map(\.element)
    }
}
