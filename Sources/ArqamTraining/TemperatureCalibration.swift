import ArqamOCR
import Foundation

/// One held-out image for calibration: the model's logits `[steps × classes]` and its true label.
public struct CalibrationSample: Sendable, Equatable {
    public var logits: [Float]
    public var label: [Int]

    public init(logits: [Float], label: [Int]) {
        self.logits = logits
        self.label = label
    }
}

public struct TemperatureFit: Sendable, Equatable {
    /// Divide the logits by this before the softmax.
    public var temperature: Double
    /// Mean `−log P(label)` at `temperature`, and at 1 (before calibration).
    public var negativeLogLikelihood: Double
    public var uncalibratedNegativeLogLikelihood: Double
    public var sampleCount: Int
    /// Samples left out because no alignment can spell their label.
    public var skippedCount: Int
}

public enum TemperatureCalibrationError: Error, Equatable, CustomStringConvertible {
    case noUsableSamples(skipped: Int)

    public var description: String {
        switch self {
        case let .noUsableSamples(skipped):
            return "temperature calibration needs held-out images with labels the model can spell; got none (\(skipped) skipped as impossible): add labelled validation images"
        }
    }
}

/// Temperature scaling of CTC confidences: the T > 0 that minimises the mean exact CTC negative
/// log-likelihood of the true labels under `softmax(logits / T)` on held-out images, so that a
/// confidence of 0.97 is right about 97 times in 100.
public enum TemperatureCalibration {
    public static let searchRange = 0.05...20.0

    public static func fit(_ samples: [CalibrationSample], steps: Int, classes: Int) throws(TemperatureCalibrationError) -> TemperatureFit {
        // An impossible label has probability 0 at every temperature; it says nothing about T.
        let usable = samples.filter { CTC.problem(with: $0.label, steps: steps, classes: classes) == nil }
        guard !usable.isEmpty else { throw .noUsableSamples(skipped: samples.count) }
        return fitMinimising({ meanNegativeLogLikelihood(usable, steps: steps, classes: classes, temperature: $0) },
                             sampleCount: usable.count, skippedCount: samples.count - usable.count)
    }

    /// The T in `searchRange` that minimises `loss(T)`, searched over log T.
    static func fitMinimising(_ loss: (Double) -> Double, sampleCount: Int, skippedCount: Int) -> TemperatureFit {
        func objective(_ logTemperature: Double) -> Double { loss(exp(logTemperature)) }
        let logTemperature = minimise(objective, over: log(searchRange.lowerBound)...log(searchRange.upperBound))
        return TemperatureFit(
            temperature: exp(logTemperature), negativeLogLikelihood: objective(logTemperature),
            uncalibratedNegativeLogLikelihood: objective(0), sampleCount: sampleCount, skippedCount: skippedCount)
    }

    public static func meanNegativeLogLikelihood(
        _ samples: [CalibrationSample], steps: Int, classes: Int, temperature: Double
    ) -> Double {
        let total = samples.reduce(0.0) { sum, sample in
            sum - CTC.logProbability(of: sample.label, logits: sample.logits, steps: steps, classes: classes, temperature: temperature)
        }
        return total / Double(samples.count)
    }

    /// A grid over the interval finds the best basin (the likelihood need not be convex in log T
    /// for CTC), then golden-section search refines it between the grid neighbours.
    static func minimise(_ f: (Double) -> Double, over interval: ClosedRange<Double>, gridPoints: Int = 25, tolerance: Double = 1e-5) -> Double {
        let spacing = (interval.upperBound - interval.lowerBound) / Double(gridPoints - 1)
        let grid = (0..<gridPoints).map { interval.lowerBound + Double($0) * spacing }
        let values = grid.map(f)
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        var low = grid[max(best - 1, 0)], high = grid[min(best + 1, gridPoints - 1)]
        let ratio = (sqrt(5.0) - 1) / 2
        var left = high - ratio * (high - low), right = low + ratio * (high - low)
        var leftValue = f(left), rightValue = f(right)
        while high - low > tolerance {
            if leftValue <= rightValue {
                high = right
                right = left
                rightValue = leftValue
                left = high - ratio * (high - low)
                leftValue = f(left)
            } else {
                low = left
                left = right
                leftValue = rightValue
                right = low + ratio * (high - low)
                rightValue = f(right)
            }
        }
        let middle = (low + high) / 2
        return f(middle) <= values[best] ? middle : grid[best]
    }
}
