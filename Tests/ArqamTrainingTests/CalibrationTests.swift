import ArqamNN
import ArqamOCR
@testable import ArqamTraining
import Foundation
import Testing

@Suite struct CalibrationTests {
    static let steps = 15, classes = 5  // classes 0 [UNK], 1, 2, 3, blank 4

    /// Held-out samples whose labels are drawn from `softmax(z)`, the true per-step distributions
    /// (one class per step, then CTC collapse), while the model reports logits `z · trueTemperature`:
    /// dividing by `trueTemperature` gives back the distributions the labels came from.
    static func samples(trueTemperature: Double, count: Int, seed: UInt64) -> [CalibrationSample] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            let truth = (0..<(steps * classes)).map { _ in 2 * random.normal() }
            var path: [Int] = []
            for t in 0..<steps {
                let row = truth[(t * classes)..<((t + 1) * classes)].map { exp($0) }
                var draw = random.nextDouble() * row.reduce(0, +)
                var chosen = classes - 1
                for (k, weight) in row.enumerated() {
                    draw -= weight
                    if draw < 0 { chosen = k; break }
                }
                path.append(chosen)
            }
            var label: [Int] = []
            for (t, k) in path.enumerated() where k != classes - 1 && (t == 0 || path[t - 1] != k) { label.append(k) }
            return CalibrationSample(logits: truth.map { Float($0 * trueTemperature) }, label: label)
        }
    }

    @Test(arguments: [2.0, 0.5, 1.0])
    func recoversTheTemperatureOfTheData(trueTemperature: Double) throws {
        // 600 samples of 15 steps: the maximum-likelihood T lands within a few percent of the truth
        // (seeds 1–8 at T = 1 gave 0.983…1.013; seed 2024 is 2.9 % high at every temperature, as
        // the draws are the same); 10 % leaves room for the sampling noise.
        let samples = Self.samples(trueTemperature: trueTemperature, count: 600, seed: 2024)
        let fit = try TemperatureCalibration.fit(samples, steps: Self.steps, classes: Self.classes)
        #expect(abs(fit.temperature / trueTemperature - 1) < 0.1, "fitted \(fit.temperature) for \(trueTemperature)")
        #expect(fit.negativeLogLikelihood <= fit.uncalibratedNegativeLogLikelihood)
        #expect(fit.sampleCount == 600 && fit.skippedCount == 0)
    }

    @Test func fitIsTheMinimumOfTheObjective() throws {
        // The fitted T beats its neighbours 1 % away on either side.
        let samples = Self.samples(trueTemperature: 1.5, count: 200, seed: 7)
        let fit = try TemperatureCalibration.fit(samples, steps: Self.steps, classes: Self.classes)
        for neighbour in [fit.temperature * 0.99, fit.temperature * 1.01] {
            let value = TemperatureCalibration.meanNegativeLogLikelihood(samples, steps: Self.steps, classes: Self.classes, temperature: neighbour)
            #expect(value > fit.negativeLogLikelihood)
        }
    }

    @Test func impossibleLabelsAreSkipped() throws {
        var samples = Self.samples(trueTemperature: 1, count: 50, seed: 9)
        let clean = try TemperatureCalibration.fit(samples, steps: Self.steps, classes: Self.classes)
        // 16 classes cannot fit in 15 steps.
        samples.append(CalibrationSample(logits: samples[0].logits, label: Array(repeating: 1, count: 16)))
        let fit = try TemperatureCalibration.fit(samples, steps: Self.steps, classes: Self.classes)
        #expect(fit.skippedCount == 1 && fit.sampleCount == 50)
        #expect(fit.temperature == clean.temperature)
        #expect(throws: TemperatureCalibrationError.noUsableSamples(skipped: 1)) {
            try TemperatureCalibration.fit([samples[50]], steps: Self.steps, classes: Self.classes)
        }
    }

    @Test func minimiserFindsAKnownMinimum() {
        // (x − 0.3)² + 0.1·x⁴ has its minimum where 2(x − 0.3) + 0.4x³ = 0, at x ≈ 0.29046.
        let x = TemperatureCalibration.minimise({ ($0 - 0.3) * ($0 - 0.3) + 0.1 * pow($0, 4) }, over: -3...3)
        #expect(abs(2 * (x - 0.3) + 0.4 * x * x * x) < 1e-4)
    }
}

/// The temperature of the confidence of readings in several views.
@Suite struct ConfidenceCalibrationTests {
    static let steps = CalibrationTests.steps, classes = CalibrationTests.classes

    /// Pictures read in `views` views (random logits, each view the picture's own plus a little
    /// noise), each reading the first view's greedy string, right with probability
    /// `max_v P_v(reading; trueTemperature)`: the confidence at `trueTemperature` is calibrated
    /// by construction.
    static func samples(trueTemperature: Double, views: Int, count: Int, seed: UInt64) -> [ConfidenceSample] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in
            // Each step leans to a class other than [UNK] (which greedy decoding drops) by a margin
            // of the picture's: sure pictures and unsure ones.
            let margin = 2 + 6 * random.nextDouble()
            var picture = (0..<(steps * classes)).map { _ in random.normal() }
            for step in 0..<steps { picture[step * classes + 1 + Int(random.next() % UInt64(classes - 1))] += margin }
            let logits = (0..<views).map { _ in picture.map { Float($0 + 0.5 * random.normal()) } }
            let reading = CTC.greedy(scores: logits[0], steps: steps, classes: classes).labels
            let surest = logits.map {
                exp(CTC.logProbability(of: reading, logits: $0, steps: steps, classes: classes, temperature: trueTemperature))
            }.max()!
            return ConfidenceSample(views: logits, reading: reading, isCorrect: random.nextDouble() < surest)
        }
    }

    @Test(arguments: [0.6, 1.0, 1.8])
    func recoversTheTemperatureThatMakesTheSurestViewRightAsOftenAsItSays(trueTemperature: Double) throws {
        // 1,000 pictures, three views: seeds 1–6 fitted within 3 % of 0.6 and 1, and within 7.3 %
        // of 1.8 (where only about 120 of the 1,000 readings are right), so 12 % leaves room.
        let samples = Self.samples(trueTemperature: trueTemperature, views: 3, count: 1000, seed: 31)
        let fit = try TemperatureCalibration.fitConfidence(samples, steps: Self.steps, classes: Self.classes)
        #expect(abs(fit.temperature / trueTemperature - 1) < 0.12, "fitted \(fit.temperature) for \(trueTemperature)")
        for neighbour in [fit.temperature * 0.99, fit.temperature * 1.01] {
            #expect(TemperatureCalibration.meanLogLoss(samples, steps: Self.steps, classes: Self.classes, temperature: neighbour)
                    > fit.negativeLogLikelihood)
        }
        #expect(fit.sampleCount == 1000)
    }

    @Test func theLogLossIsWorkedOutByHand() {
        // One step; the logits put log 0.8 on "1" (class 1), log 0.2 on the blank (class 4) and
        // −100 on the rest, so P("1") = 0.8 at T = 1 and 0.8^½ / (0.8^½ + 0.2^½) = 2/3 at T = 2.
        var logits = [Float](repeating: -100, count: 5)
        logits[1] = Float(log(0.8))
        logits[4] = Float(log(0.2))
        let right = ConfidenceSample(views: [logits], reading: [1], isCorrect: true)
        let wrong = ConfidenceSample(views: [logits], reading: [1], isCorrect: false)
        let atOne = TemperatureCalibration.meanLogLoss([right, wrong], steps: 1, classes: 5, temperature: 1)
        #expect(abs(atOne - (-log(0.8) - log(0.2)) / 2) < 1e-6)
        let atTwo = TemperatureCalibration.meanLogLoss([right, wrong], steps: 1, classes: 5, temperature: 2)
        #expect(abs(atTwo - (-log(2.0 / 3) - log(1.0 / 3)) / 2) < 1e-6)
        // Right half the time: 2/3 is nearer the ½ that would be calibrated than 0.8 is.
        #expect(atTwo < atOne)
        #expect(throws: TemperatureCalibrationError.noUsableSamples(skipped: 0)) {
            try TemperatureCalibration.fitConfidence([], steps: 1, classes: 5)
        }
    }
}
