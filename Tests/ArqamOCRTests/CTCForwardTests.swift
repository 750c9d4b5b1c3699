@testable import ArqamOCR
import Foundation
import Testing

@Suite struct CTCForwardTests {
    /// Logits whose softmax is the given rows (log p), so a hand computation can use p directly.
    static func logits(ofProbabilities rows: [[Double]]) -> [Float] {
        rows.flatMap { $0.map { Float(log($0)) } }
    }

    // 3 steps, 3 classes: 0 ([UNK], an ordinary class to CTC), 1, 2 = blank.
    //   step 0: p = (0.1, 0.6, 0.3)   step 1: (0.2, 0.5, 0.3)   step 2: (0.1, 0.2, 0.7)
    // Label [1]: alignments 1bb .6·.3·.7 = .126, b1b .3·.5·.7 = .105, bb1 .3·.3·.2 = .018,
    //   11b .6·.5·.7 = .210, b11 .3·.5·.2 = .030, 111 .6·.5·.2 = .060; sum 0.549.
    // Label [1, 1]: only 1b1 (the repeat needs a blank between): .6·.3·.2 = 0.036.
    // Label []: bbb .3·.3·.7 = 0.063.
    // Label [1, 1, 1] needs 5 steps: probability 0.
    static let handRows: [[Double]] = [[0.1, 0.6, 0.3], [0.2, 0.5, 0.3], [0.1, 0.2, 0.7]]

    @Test func handWorkedThreeStepCase() {
        let logits = Self.logits(ofProbabilities: Self.handRows)
        func probability(_ label: [Int]) -> Double {
            exp(CTC.logProbability(of: label, logits: logits, steps: 3, classes: 3))
        }
        // The Float rounding of log p moves the probabilities by ~1e-8.
        #expect(abs(probability([1]) - 0.549) < 1e-6)
        #expect(abs(probability([1, 1]) - 0.036) < 1e-6)
        #expect(abs(probability([]) - 0.063) < 1e-6)
        #expect(CTC.logProbability(of: [1, 1, 1], logits: logits, steps: 3, classes: 3) == -.infinity)
    }

    @Test func invalidClassesHaveProbabilityZero() {
        let logits = Self.logits(ofProbabilities: Self.handRows)
        // The blank (2) is never written, and 3 or −1 is no class: no alignment spells them.
        for label in [[2], [1, 3], [-1]] {
            #expect(CTC.logProbability(of: label, logits: logits, steps: 3, classes: 3) == -.infinity)
        }
    }

    @Test func matchesBruteForceOverAllAlignments() {
        for (seed, steps, classes) in [(1, 1, 3), (2, 3, 3), (3, 4, 4), (4, 5, 3), (5, 6, 4), (6, 6, 3)] as [(UInt64, Int, Int)] {
            let logits = BruteForceCTC.randomLogits(steps: steps, classes: classes, seed: seed)
            for temperature in [1.0, 0.5, 3.0] {
                let rows = BruteForceCTC.softmax(logits, steps: steps, classes: classes, temperature: temperature)
                let oracle = BruteForceCTC.distribution(rows)
                // Every label some alignment spells, including repeats such as [1, 1] and the empty label.
                for (label, probability) in oracle {
                    let logP = CTC.logProbability(of: label, logits: logits, steps: steps, classes: classes, temperature: temperature)
                    #expect(abs(logP - log(probability)) < 1e-9, "label \(label), steps \(steps), T \(temperature)")
                }
                // A label longer than the steps, or whose repeats need more blanks than fit.
                for label in [Array(repeating: 1, count: steps + 1), Array(repeating: 1, count: (steps + 2) / 2)]
                where oracle[label] == nil {
                    #expect(CTC.logProbability(of: label, logits: logits, steps: steps, classes: classes, temperature: temperature) == -.infinity)
                }
            }
        }
    }

    @Test func temperatureDividesTheLogits() {
        let logits = BruteForceCTC.randomLogits(steps: 8, classes: 5, seed: 11)
        let halved = logits.map { $0 / 2 }  // exact in Float
        let label = [1, 1, 3, 2]
        let scaled = CTC.logProbability(of: label, logits: logits, steps: 8, classes: 5, temperature: 2)
        let direct = CTC.logProbability(of: label, logits: halved, steps: 8, classes: 5)
        #expect(abs(scaled - direct) < 1e-12)
    }

    @Test func longInputsStayFiniteAndExact() {
        // Uniform scores over C classes give every path probability C^−T. The empty label has one
        // alignment (all blanks); [1] has T(T+1)/2 (one block of 1s among blanks).
        let steps = 2000, classes = 13
        let logits = [Float](repeating: 0, count: steps * classes)
        let empty = CTC.logProbability(of: [], logits: logits, steps: steps, classes: classes)
        let single = CTC.logProbability(of: [1], logits: logits, steps: steps, classes: classes)
        let perPath = -Double(steps) * log(Double(classes))
        #expect(abs(empty - perPath) < 1e-9 * abs(perPath))
        #expect(abs(single - (perPath + log(Double(steps * (steps + 1) / 2)))) < 1e-9 * abs(perPath))
        // A long label with repeats on random scores: a finite, negative log probability.
        let random = BruteForceCTC.randomLogits(steps: steps, classes: classes, seed: 3, scale: 5)
        let label = (0..<600).map { $0 % 7 == 0 ? 4 : 1 + $0 % 3 }
        let logP = CTC.logProbability(of: label, logits: random, steps: steps, classes: classes)
        #expect(logP.isFinite && logP < 0)
    }

    @Test func zeroStepsSpellOnlyTheEmptyLabel() {
        #expect(CTC.logProbability(of: [], logits: [], steps: 0, classes: 13) == 0)
        #expect(CTC.logProbability(of: [1], logits: [], steps: 0, classes: 13) == -.infinity)
    }
}
