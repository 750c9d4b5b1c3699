import ArqamNN
import Foundation
import Testing

/// The independent oracle of the CTC tests: enumerate all `classes^steps` alignments, collapse
/// each (merge repeats, then drop blanks — `[UNK]` is an ordinary class here), and add up the
/// path probabilities (products in probability space) per collapsed label.
enum BruteForceCTC {
    static func collapse(_ path: [Int], blank: Int) -> [Int] {
        var labels: [Int] = []
        var previous: Int?
        for k in path {
            if k != previous && k != blank { labels.append(k) }
            previous = k
        }
        return labels
    }

    /// The probability of every label that some alignment spells; `probabilities[t][k]`.
    static func distribution(_ probabilities: [[Double]]) -> [[Int]: Double] {
        let steps = probabilities.count
        let classes = probabilities.first?.count ?? 0
        var result: [[Int]: Double] = [:]
        var path = [Int](repeating: 0, count: steps)
        let pathCount = Int(pow(Double(classes), Double(steps)))
        for index in 0..<pathCount {
            var rest = index
            var probability = 1.0
            for t in 0..<steps {
                path[t] = rest % classes
                rest /= classes
                probability *= probabilities[t][path[t]]
            }
            result[collapse(path, blank: classes - 1), default: 0] += probability
        }
        return result
    }

    /// `softmax(logits[t] / temperature)` per step, in Double.
    static func softmax(_ logits: [Float], steps: Int, classes: Int, temperature: Double = 1) -> [[Double]] {
        (0..<steps).map { t in
            let row = (0..<classes).map { Double(logits[t * classes + $0]) / temperature }
            let largest = row.max() ?? 0
            let exps = row.map { exp($0 - largest) }
            let sum = exps.reduce(0, +)
            return exps.map { $0 / sum }
        }
    }

    /// The step distributions the Keras `ctc_batch_cost` convention scores: softmax(log(p + 1e-7)),
    /// i.e. `(p + 1e-7) / Σ (p + 1e-7)` (reference README, section 6).
    static func kerasDistributions(_ logits: [Float], steps: Int, classes: Int) -> [[Double]] {
        softmax(logits, steps: steps, classes: classes).map { row in
            let shifted = row.map { $0 + 1e-7 }
            let sum = shifted.reduce(0, +)
            return shifted.map { $0 / sum }
        }
    }

    static func randomLogits(steps: Int, classes: Int, seed: UInt64, scale: Double = 2) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<(steps * classes)).map { _ in Float(scale * random.normal()) }
    }
}

@Suite struct CTCBruteForceTests {
    @Test func collapseMergesRepeatsBeforeDroppingBlanks() {
        // blank = 3: "1 1 - 1" → 1 1 (the blank separates); "1 0 1" keeps [UNK] (class 0) like any class.
        #expect(BruteForceCTC.collapse([1, 1, 3, 1], blank: 3) == [1, 1])
        #expect(BruteForceCTC.collapse([1, 0, 1], blank: 3) == [1, 0, 1])
        #expect(BruteForceCTC.collapse([3, 3, 3], blank: 3) == [])
        #expect(BruteForceCTC.collapse([2, 2, 1, 1, 3], blank: 3) == [2, 1])
    }

    @Test func distributionSumsToOne() {
        // Every alignment spells exactly one label, so the label probabilities add up to 1.
        let logits = BruteForceCTC.randomLogits(steps: 5, classes: 4, seed: 7)
        let distribution = BruteForceCTC.distribution(BruteForceCTC.softmax(logits, steps: 5, classes: 4))
        #expect(abs(distribution.values.reduce(0, +) - 1) < 1e-12)
    }
}
