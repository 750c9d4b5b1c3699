@testable import ArqamOCR
import Foundation
import Testing

@Suite struct CTCLossTests {
    static let conventions: [CTCLossConvention] = [.kerasBatchCost, .exact]

    static func oracleDistributions(_ logits: [Float], steps: Int, classes: Int, convention: CTCLossConvention) -> [[Double]] {
        switch convention {
        case .exact: return BruteForceCTC.softmax(logits, steps: steps, classes: classes)
        case .kerasBatchCost: return BruteForceCTC.kerasDistributions(logits, steps: steps, classes: classes)
        }
    }

    @Test func lossMatchesBruteForceIncludingRepeatedLabels() {
        // blank is the last class; labels with repeats need the blank between them.
        let cases: [(seed: UInt64, steps: Int, classes: Int, labels: [[Int]])] = [
            (71, 3, 3, [[1], [1, 1], [], [0, 1]]),
            (72, 5, 4, [[1, 1], [1, 1, 2], [2, 2, 2], [0, 0], [1, 2, 1, 2], []]),
            (73, 6, 4, [[1, 1, 1], [2, 1, 1, 2], [1, 1, 2, 2]]),
            (74, 6, 3, [[1, 1, 1], [0, 0, 1, 1], [1, 0, 1, 0, 1, 0]]),
        ]
        for item in cases {
            let logits = BruteForceCTC.randomLogits(steps: item.steps, classes: item.classes, seed: item.seed, scale: 3)
            for convention in Self.conventions {
                let oracle = BruteForceCTC.distribution(
                    Self.oracleDistributions(logits, steps: item.steps, classes: item.classes, convention: convention))
                for label in item.labels {
                    let expected = -log(oracle[label] ?? 0)
                    let result = CTCLoss.compute(logits: logits, steps: item.steps, classes: item.classes, label: label, convention: convention)
                    #expect(result.problem == nil)
                    #expect(abs(result.loss - expected) < 1e-9 * max(1, expected), "\(convention) label \(label)")
                }
            }
        }
    }

    @Test func exactLossIsMinusTheSequenceLogProbability() {
        let logits = BruteForceCTC.randomLogits(steps: 50, classes: 13, seed: 75)
        let label = [4, 2, 4, 6, 1, 2, 7, 1, 1, 3, 5, 5]
        let loss = CTCLoss.compute(logits: logits, steps: 50, classes: 13, label: label, convention: .exact).loss
        #expect(abs(loss + CTC.logProbability(of: label, logits: logits, steps: 50, classes: 13)) < 1e-9)
    }

    /// Central differences of the loss in Double, perturbing one Float logit at a time.
    static func maxFiniteDifferenceError(
        logits: [Float], steps: Int, classes: Int, label: [Int], convention: CTCLossConvention
    ) -> (error: Double, largest: Double) {
        let analytic = CTCLoss.compute(logits: logits, steps: steps, classes: classes, label: label, convention: convention).gradient
        var error = 0.0, largest = 0.0
        for i in logits.indices {
            var plus = logits, minus = logits
            plus[i] += 1e-2
            minus[i] -= 1e-2
            let lossPlus = CTCLoss.compute(logits: plus, steps: steps, classes: classes, label: label, convention: convention).loss
            let lossMinus = CTCLoss.compute(logits: minus, steps: steps, classes: classes, label: label, convention: convention).loss
            let numeric = (lossPlus - lossMinus) / Double(plus[i] - minus[i])
            error = max(error, abs(numeric - Double(analytic[i])))
            largest = max(largest, abs(numeric))
        }
        return (error, largest)
    }

    @Test func gradientsMatchFiniteDifferences() {
        // Step 1e-2: the O(h²) truncation error measured ≤ 2.7e-6 on these cases; Float rounding
        // of the gradient adds ~1e-7. Seed 84 (logit scale 9) has probabilities down to 3e-13, where
        // the keras convention's ε changes the gradient.
        let cases: [(seed: UInt64, steps: Int, classes: Int, label: [Int], scale: Double)] = [
            (81, 8, 4, [1, 1, 2], 3), (82, 12, 13, [4, 4, 7, 1, 3], 3), (83, 5, 3, [1, 1], 3), (84, 6, 5, [1, 1, 3], 9),
        ]
        for item in cases {
            let logits = BruteForceCTC.randomLogits(steps: item.steps, classes: item.classes, seed: item.seed, scale: item.scale)
            for convention in Self.conventions {
                let (error, largest) = Self.maxFiniteDifferenceError(
                    logits: logits, steps: item.steps, classes: item.classes, label: item.label, convention: convention)
                #expect(error < 2e-5 * max(1, largest), "\(convention) seed \(item.seed): \(error) of \(largest)")
            }
        }
    }

    @Test func kerasEpsilonBoundsAConfidentWrongReading() {
        // One step, 13 classes, the model sure of class 5 (logit 40): label [3] has p ≈ e^−40.
        // Exact: loss ≈ 40. Keras: y = log((p + 1e-7) / (1 + 13e-7)) ≈ log(1e-7) → loss ≈ 16.118.
        var logits = [Float](repeating: 0, count: 13)
        logits[5] = 40
        let exact = CTCLoss.compute(logits: logits, steps: 1, classes: 13, label: [3], convention: .exact)
        let keras = CTCLoss.compute(logits: logits, steps: 1, classes: 13, label: [3], convention: .kerasBatchCost)
        #expect(abs(exact.loss - 40) < 1e-6)
        #expect(abs(keras.loss - (-log(1e-7) + log(1 + 13e-7))) < 1e-6)
        #expect(keras.gradient.allSatisfy { $0.isFinite && abs($0) < 1e-5 })
    }

    @Test func impossibleLabelsGiveInfiniteLossAndZeroGradient() {
        let logits = BruteForceCTC.randomLogits(steps: 4, classes: 4, seed: 91)
        for convention in Self.conventions {
            // [1, 1, 1] needs 5 steps (two blanks between the repeats); [1, 2, 1, 2, 1] needs 5.
            let repeats = CTCLoss.compute(logits: logits, steps: 4, classes: 4, label: [1, 1, 1], convention: convention)
            #expect(repeats.loss == .infinity)
            #expect(repeats.problem == .needsMoreSteps(required: 5, available: 4))
            #expect(repeats.gradient == [Float](repeating: 0, count: 16))
            let long = CTCLoss.compute(logits: logits, steps: 4, classes: 4, label: [1, 2, 1, 2, 1], convention: convention)
            #expect(long.problem == .needsMoreSteps(required: 5, available: 4))
            // The blank (3) is no label class.
            let blank = CTCLoss.compute(logits: logits, steps: 4, classes: 4, label: [1, 3], convention: convention)
            #expect(blank.loss == .infinity && blank.problem == .invalidClass(position: 1, classIndex: 3))
            #expect(blank.gradient.allSatisfy { $0 == 0 })
        }
        // Exactly fitting: [1, 1, 2] needs 4 steps.
        #expect(CTCLoss.compute(logits: logits, steps: 4, classes: 4, label: [1, 1, 2]).loss.isFinite)
    }

    @Test func longInputsStayFinite() {
        // 1000 steps, a 300-class label with repeats: per-step probabilities underflow any
        // probability-space recursion, the log-space one stays finite. Exact-convention rows of
        // the gradient sum to 0 (Σ p = Σ γ = 1 at every step).
        let steps = 1000, classes = 13
        let logits = BruteForceCTC.randomLogits(steps: steps, classes: classes, seed: 95, scale: 4)
        let label = (0..<300).map { $0 % 5 == 0 ? 7 : 1 + $0 % 4 }
        for convention in Self.conventions {
            let result = CTCLoss.compute(logits: logits, steps: steps, classes: classes, label: label, convention: convention)
            #expect(result.loss.isFinite && result.loss > 0)
            #expect(result.gradient.allSatisfy { $0.isFinite })
            let worstRowSum = (0..<steps).map { t in abs(result.gradient[(t * classes)..<((t + 1) * classes)].reduce(0, +)) }.max() ?? 0
            #expect(worstRowSum < 1e-5)
        }
    }

    @Test func gradientScaleScalesTheWrittenGradient() {
        let logits = BruteForceCTC.randomLogits(steps: 6, classes: 5, seed: 97)
        let full = CTCLoss.compute(logits: logits, steps: 6, classes: 5, label: [1, 2])
        var quarter = [Float](repeating: .nan, count: logits.count)
        let outcome = logits.withUnsafeBufferPointer { logits in
            quarter.withUnsafeMutableBufferPointer {
                CTCLoss.compute(logits: logits, steps: 6, classes: 5, label: [1, 2], gradientScale: 0.25, gradient: $0)
            }
        }
        #expect(outcome.loss == full.loss && outcome.problem == nil)
        #expect(zip(quarter, full.gradient).allSatisfy { $0 == 0.25 * $1 })
    }
}
