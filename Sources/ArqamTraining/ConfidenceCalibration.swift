import ArqamNN
import ArqamOCR
import Foundation

/// One held-out picture read in one or more views: each view's logits `[steps × classes]`, the
/// classes read, and whether that reading is the label.
public struct ConfidenceSample: Sendable, Equatable {
    public var views: [[Float]]
    public var reading: [Int]
    public var isCorrect: Bool

    public init(views: [[Float]], reading: [Int], isCorrect: Bool) {
        self.views = views
        self.reading = reading
        self.isCorrect = isCorrect
    }
}

extension TemperatureCalibration {
    /// The temperature of the confidence of readings: the T > 0 under which the surest view's
    /// probability of the reading, `max_v P_v(reading; T)`, best forecasts whether the reading
    /// is right (least mean log loss). In several views that confidence is not a probability the
    /// model gives the label, so the label's likelihood (`fit`) cannot fit it; in one view it can,
    /// but on pictures unlike the training images the likelihood of labels the model reads
    /// wrong pushes T too high (300 crops of field script 6: 1.54, and the ECE of the other 1,000
    /// went 2.9 → 5.3 %), where this fits what the confidence is for.
    public static func fitConfidence(_ samples: [ConfidenceSample], steps: Int, classes: Int) throws(TemperatureCalibrationError) -> TemperatureFit {
        guard !samples.isEmpty else { throw .noUsableSamples(skipped: 0) }
        func objective(_ logTemperature: Double) -> Double {
            meanLogLoss(samples, steps: steps, classes: classes, temperature: exp(logTemperature))
        }
        let logTemperature = minimise(objective, over: log(searchRange.lowerBound)...log(searchRange.upperBound))
        return TemperatureFit(
            temperature: exp(logTemperature), negativeLogLikelihood: objective(logTemperature),
            uncalibratedNegativeLogLikelihood: objective(0), sampleCount: samples.count, skippedCount: 0)
    }

    /// Mean `−log c` over right readings and `−log(1 − c)` over wrong ones, `c` the confidence at
    /// `temperature` (kept a hair inside 0…1, so that one sure mistake costs much, not infinity).
    public static func meanLogLoss(_ samples: [ConfidenceSample], steps: Int, classes: Int, temperature: Double) -> Double {
        let total = samples.reduce(0.0) { sum, sample in
            let surest = sample.views.map {
                exp(CTC.logProbability(of: sample.reading, logits: $0, steps: steps, classes: classes, temperature: temperature))
            }.max() ?? 0
            let confidence = min(max(surest, 1e-12), 1 - 1e-12)
            return sum - (sample.isCorrect ? log(confidence) : log(1 - confidence))
        }
        return total / Double(samples.count)
    }
}

/// Fits the temperatures of a model's confidences on labelled pictures read in every view
/// (`ReadingViews`), each by how well the confidence of what is read forecasts being right.
public enum ConfidenceCalibration {
    /// The view counts that get a temperature of their own besides one view's.
    public static let counts = 2...ReadingViews.maximumCount

    /// Each example's logits, its views one after another `[views × steps × classes]`; the
    /// examples' inputs hold `ReadingViews.maximumCount` views each.
    public static func logits(of examples: [LabeledInput], network: CRNN) -> [[Float]] {
        let views = ReadingViews.maximumCount, size = views * CRNNShape.outputSize
        var all: [[Float]] = []
        all.reserveCapacity(examples.count)
        for start in stride(from: 0, to: examples.count, by: 32) {
            let chunk = examples[start ..< min(start + 32, examples.count)]
            precondition(chunk.allSatisfy { $0.input.count == views * CRNNShape.inputSize }, "every example needs \(views) views")
            let logits = network.logits(inputs: Array(chunk.map(\.input).joined()), batch: chunk.count * views)
            all += (0..<chunk.count).map { Array(logits[$0 * size ..< ($0 + 1) * size]) }
        }
        return all
    }

    /// The temperature of the confidence of readings in `count` views, the readings chosen as
    /// `arqam read --views N` chooses them (in several views, weighed at the one-view
    /// `temperature`).
    public static func fit(_ logits: [[Float]], examples: [LabeledInput], views count: Int, temperature: Double,
                           threads: Int) throws(TemperatureCalibrationError) -> TemperatureFit {
        let stride = CRNNShape.outputSize
        let samples = Parallel.map(Array(examples.indices), threads: threads) { index in
            let reading = logits[index].withUnsafeBufferPointer { all in
                Decoding.choice(views: (0..<count).map { UnsafeBufferPointer(rebasing: all[$0 * stride ..< ($0 + 1) * stride]) },
                                temperature: temperature)
            }
            return ConfidenceSample(views: (0..<count).map { Array(logits[index][$0 * stride ..< ($0 + 1) * stride]) },
                                    reading: reading,
                                    isCorrect: Alphabet.decode(reading) == Alphabet.decode(examples[index].label))
        }
        return try TemperatureCalibration.fitConfidence(samples, steps: CRNNShape.outputSteps, classes: CRNNShape.classes)
    }

    /// `fit` for two and three views.
    public static func fitViews(_ logits: [[Float]], examples: [LabeledInput], temperature: Double,
                                threads: Int) throws(TemperatureCalibrationError) -> [Int: TemperatureFit] {
        var fits: [Int: TemperatureFit] = [:]
        for count in counts {
            fits[count] = try fit(logits, examples: examples, views: count, temperature: temperature, threads: threads)
        }
        return fits
    }
}
