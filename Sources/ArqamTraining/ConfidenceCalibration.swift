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
        return fitMinimising({ meanLogLoss(samples, steps: steps, classes: classes, temperature: $0) },
                             sampleCount: samples.count, skippedCount: 0)
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

/// Labelled pictures read in every view (`ReadingViews`) by one model, and again zoomed
/// (`ReadingZoom`) when the pictures are kept, to fit the temperatures of its confidences,
/// each by how well the confidence of what is read forecasts being right. The network runs
/// when it is made.
public struct ConfidenceCalibration {
    let examples: [LabeledInput]
    /// Each example's views one after another, `[example × views × steps × classes]`.
    let logits: [Float]
    /// The same of each example's zoomed picture; empty unless every example kept its picture.
    let zoomedLogits: [Float]
    let threads: Int

    /// `examples` hold the inputs of `ReadingViews.maximumCount` views each.
    public init(examples: [LabeledInput], network: CRNN, threads: Int) {
        let views = ReadingViews.maximumCount
        precondition(examples.allSatisfy { $0.input.count == views * CRNNShape.inputSize },
                     "every example needs \(views) views")
        self.examples = examples
        let logits = ValidationSet.logits(of: examples, network: network)
        self.logits = logits
        self.threads = threads
        let pictures = examples.compactMap(\.picture)
        if !examples.isEmpty, pictures.count == examples.count {
            let zoomed = ReadingZoom.pictures(of: pictures, firstLogits: logits, views: views, threads: threads)
            let zoomedExamples = Parallel.map(Array(examples.indices), threads: threads) { index in
                LabeledInput(input: ReadingViews.modelInputs(from: zoomed[index], count: views), label: examples[index].label,
                             source: examples[index].source)
            }
            zoomedLogits = ValidationSet.logits(of: zoomedExamples, network: network)
        } else {
            zoomedLogits = []
        }
    }

    /// The temperature of the confidence of readings in `count` views, with or without the
    /// zoom, the readings chosen as `arqam read --views N [--zoom]` chooses them (in several
    /// views, weighed at the one-view `temperature`).
    public func fit(views count: Int, zoom: Bool = false, temperature: Double) throws(TemperatureCalibrationError) -> TemperatureFit {
        precondition(!zoom || !zoomedLogits.isEmpty, "the zoom needs the pictures")
        let size = CRNNShape.outputSize, perExample = ReadingViews.maximumCount * size
        let samples = Parallel.map(Array(examples.indices), threads: threads) { index in
            let first = index * perExample
            let ranges = (0..<count).map { first + $0 * size ..< first + ($0 + 1) * size }
            let reading = logits.withUnsafeBufferPointer { all in
                zoomedLogits.withUnsafeBufferPointer { zoomed in
                    Decoding.choice(views: ranges.map { UnsafeBufferPointer(rebasing: all[$0]) }
                                        + (zoom ? ranges.map { UnsafeBufferPointer(rebasing: zoomed[$0]) } : []),
                                    temperature: temperature)
                }
            }
            let views = ranges.map { Array(logits[$0]) } + (zoom ? ranges.map { Array(zoomedLogits[$0]) } : [])
            return ConfidenceSample(views: views, reading: reading,
                                    isCorrect: Alphabet.decode(reading) == Alphabet.decode(examples[index].label))
        }
        return try TemperatureCalibration.fitConfidence(samples, steps: CRNNShape.outputSteps, classes: CRNNShape.classes)
    }

    /// `fit` for two and three views, and for one to three with the zoom if the pictures were kept.
    public func fitViews(temperature: Double) throws(TemperatureCalibrationError) -> ViewsTemperatureFits {
        var fits = ViewsTemperatureFits()
        for count in Model.viewCountsWithOwnTemperature {
            fits.views[count] = try fit(views: count, temperature: temperature)
        }
        if !zoomedLogits.isEmpty {
            for count in Model.viewCountsWithZoomTemperature {
                fits.zoom[count] = try fit(views: count, zoom: true, temperature: temperature)
            }
        }
        return fits
    }
}

/// The fitted temperatures of readings in several views (by view count), and with the zoom.
public struct ViewsTemperatureFits: Sendable {
    public var views: [Int: TemperatureFit] = [:]
    public var zoom: [Int: TemperatureFit] = [:]

    public init() {}
}
