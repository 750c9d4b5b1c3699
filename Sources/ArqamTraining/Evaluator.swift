import Foundation
import ArqamOCR

/// What `arqam eval` reports for a set of labeled images.
public struct EvaluationReport: Sendable {
    public var metrics: EvaluationMetrics
    public var imagesPerSecond: Double
    public var unlabeledCount: Int
    public var problems: [DataProblem]
    /// Per image: where it came from, its label and what was read.
    public var results: [(source: String, label: String, reading: Reading)]
}

public enum Evaluator {
    /// Reads every labeled image of the folders with `recognizer` as `options` say (views,
    /// zoom), and scores the readings. Unlabeled images are counted, not scored; unreadable
    /// ones are reported and skipped.
    public static func evaluate(_ folders: [URL], recognizer: Recognizer,
                                options: Recognizer.Options = Recognizer.Options(alternatives: 0)) throws -> EvaluationReport {
        let start = ContinuousClock.now
        let data = try LabeledData.load(folders, threads: recognizer.threads, views: options.views, keepPictures: options.zoom)
        var results: [(source: String, label: String, reading: Reading)] = []
        results.reserveCapacity(data.examples.count)
        for chunkStart in stride(from: 0, to: data.examples.count, by: 64) {
            let chunk = data.examples[chunkStart ..< min(chunkStart + 64, data.examples.count)]
            let inputs = Array(chunk.map(\.input).joined())
            let readings = options.zoom
                ? recognizer.read(pictures: chunk.map { $0.picture! }, inputs: inputs, options: options)
                : recognizer.read(inputs: inputs, batch: chunk.count, options: options)
            for (example, reading) in zip(chunk, readings) {
                results.append((example.source, Alphabet.decode(example.label), reading))
            }
        }
        let seconds = (ContinuousClock.now - start).seconds
        let metrics = EvaluationMetrics(results.map { EvaluatedReading(label: $0.label, predicted: $0.reading.text, confidence: $0.reading.confidence) })
        return EvaluationReport(metrics: metrics, imagesPerSecond: Double(results.count) / max(seconds, 1e-9),
                                unlabeledCount: data.unlabeledCount, problems: data.problems, results: results)
    }
}
