@testable import ArqamOCR
import Foundation
import Testing

@Suite struct CTCBeamSearchTests {
    /// The brute-force ranking of the printable labels: alignments through `[UNK]` (class 0) spell
    /// strings with an unreadable character, which the search never returns.
    static func oracleRanking(_ logits: [Float], steps: Int, classes: Int, temperature: Double = 1) -> [(labels: [Int], probability: Double)] {
        BruteForceCTC.distribution(BruteForceCTC.softmax(logits, steps: steps, classes: classes, temperature: temperature))
            .filter { !$0.key.contains(Alphabet.unknown) }
            .map { (labels: $0.key, probability: $0.value) }
            .sorted { $0.probability > $1.probability }
    }

    @Test func wideBeamIsExact() {
        // With 4 classes (0 [UNK], 1, 2, blank 3) two classes are written: at most 2^0 + … + 2^6 = 127
        // prefixes over 6 steps, so a width of 128 keeps them all and every probability is exact.
        for (seed, steps, classes) in [(21, 3, 3), (22, 4, 4), (23, 5, 4), (24, 6, 4), (25, 4, 5)] as [(UInt64, Int, Int)] {
            let logits = BruteForceCTC.randomLogits(steps: steps, classes: classes, seed: seed)
            for temperature in [1.0, 2.5] {
                let oracle = Self.oracleRanking(logits, steps: steps, classes: classes, temperature: temperature)
                let count = min(6, oracle.count)
                let hypotheses = CTC.beamSearch(
                    logits: logits, steps: steps, classes: classes, temperature: temperature, width: 1024, count: count)
                #expect(hypotheses.map(\.labels) == oracle.prefix(count).map(\.labels), "seed \(seed)")
                for (hypothesis, expected) in zip(hypotheses, oracle) {
                    #expect(abs(hypothesis.logProbability - log(expected.probability)) < 1e-9)
                }
            }
        }
    }

    @Test func everyPrintableStringIsReturnedWithItsExactProbability() {
        // Count larger than the number of strings: all of them, none containing [UNK].
        let steps = 5, classes = 4
        let logits = BruteForceCTC.randomLogits(steps: steps, classes: classes, seed: 31, scale: 1)
        let oracle = Self.oracleRanking(logits, steps: steps, classes: classes)
        let hypotheses = CTC.beamSearch(logits: logits, steps: steps, classes: classes, width: 1024, count: 1000)
        #expect(hypotheses.count == oracle.count)
        #expect(Set(hypotheses.map(\.labels)) == Set(oracle.map(\.labels)))
        // Together they hold all the mass except the alignments through [UNK].
        let printable = oracle.map(\.probability).reduce(0, +)
        #expect(abs(hypotheses.map { exp($0.logProbability) }.reduce(0, +) - printable) < 1e-12)
        #expect(printable < 1)
    }

    @Test func unknownIsNeverWrittenAndItsMassIsDropped() {
        // 3 steps, 13 classes; step 1 is almost surely [UNK] (logit 10 against 0):
        //   step 0: class 3 ("1") at 10     step 1: [UNK] at 10     step 2: class 3 at 10
        // Greedy reads 3 [UNK] 3 → "11". The alignments 3·[UNK]·3 spell "1?1" to CTC, so the
        // probability of "11" only has the paths with a blank at step 1 (e^0 against e^10):
        // nearly e^−10, and no hypothesis mentions [UNK].
        var logits = [Float](repeating: 0, count: 3 * 13)
        logits[3] = 10
        logits[13 + 0] = 10
        logits[26 + 3] = 10
        #expect(CTC.greedy(scores: logits, steps: 3, classes: 13).text == "11")
        let hypotheses = CTC.beamSearch(logits: logits, steps: 3, classes: 13, count: 5)
        #expect(hypotheses.allSatisfy { !$0.labels.contains(Alphabet.unknown) })
        let elevens = hypotheses.first { $0.labels == [3, 3] }
        #expect(elevens != nil)
        let expected = CTC.logProbability(of: [3, 3], logits: logits, steps: 3, classes: 13)
        #expect(abs((elevens?.logProbability ?? 0) - expected) < 1e-9)
        #expect(expected < -9)
    }

    @Test func narrowBeamFindsTheBestOfPeakedInputs() {
        // One class other than [UNK] dominates each step (logit +6), as for a trained model:
        // the best string then rests on few alignments and a beam of 2 cannot lose it.
        for seed in UInt64(41)...UInt64(50) {
            let steps = 6, classes = 5
            var logits = BruteForceCTC.randomLogits(steps: steps, classes: classes, seed: seed, scale: 1)
            let peaks = BruteForceCTC.randomLogits(steps: steps, classes: 1, seed: seed + 100, scale: 1)
            for t in 0..<steps {
                let peak = 1 + Int(abs(peaks[t]) * 10) % (classes - 1)
                logits[t * classes + peak] += 6
            }
            let oracle = Self.oracleRanking(logits, steps: steps, classes: classes)
            let best = CTC.beamSearch(logits: logits, steps: steps, classes: classes, width: 2, count: 1)
            #expect(best.first?.labels == oracle.first?.labels, "seed \(seed)")
        }
    }

    @Test func bestAgreesWithGreedyOnConfidentInputs() {
        // 50 steps × 13 classes, each step's argmax 8 logits above the rest: a confident model.
        let trace = (0..<50).map { t in [12, 4, 4, 12, 5, 12, 12, 4, 1, 1][t % 10] }
        var logits = BruteForceCTC.randomLogits(steps: 50, classes: 13, seed: 61, scale: 0.5)
        for (t, best) in trace.enumerated() { logits[t * 13 + best] += 8 }
        let greedy = CTC.greedy(scores: logits, steps: 50, classes: 13)
        let hypotheses = CTC.beamSearch(logits: logits, steps: 50, classes: 13)
        #expect(hypotheses.count == 3)
        #expect(hypotheses.first?.labels == greedy.labels)
        #expect(zip(hypotheses, hypotheses.dropFirst()).allSatisfy { $0.logProbability >= $1.logProbability })
        #expect(Set(hypotheses.map(\.labels)).count == 3)
    }
}
