@testable import ArqamOCR
import Testing

@Suite struct CTCGreedyTests {
    /// One-hot-ish scores for a given per-step class sequence (13 classes).
    static func scores(for trace: [Int], classes: Int = 13) -> [Float] {
        trace.flatMap { best in (0..<classes).map { $0 == best ? 0.9 : 0.01 } }
    }

    @Test func mergesRepeatsAndDropsBlankAndUnknown() {
        // Classes 1 1 - 1 [UNK] 1 3 3 - (- = blank 12): 1 is written, its repeat merged, written again after the
        // blank and again after [UNK] (previous is updated at every step), then 3 once.
        let trace = [1, 1, 12, 1, 0, 1, 3, 3, 12]
        let decoding = CTC.greedy(scores: Self.scores(for: trace), steps: trace.count, classes: 13)
        #expect(decoding.trace == trace)
        #expect(decoding.labels == [1, 1, 1, 3])
        #expect(decoding.text == "///1")
    }

    @Test func exactTiesTakeTheFirstIndex() {
        // Step 0 ties classes 4 and 7 → 4; step 1 ties 7 and the blank → 7.
        var scores = [Float](repeating: 0, count: 2 * 13)
        scores[4] = 0.5
        scores[7] = 0.5
        scores[13 + 7] = 0.5
        scores[13 + 12] = 0.5
        let decoding = CTC.greedy(scores: scores, steps: 2, classes: 13)
        #expect(decoding.trace == [4, 7])
        #expect(decoding.text == "25")
    }

    @Test func allBlankWritesNothing() {
        let decoding = CTC.greedy(scores: Self.scores(for: [12, 12, 12]), steps: 3, classes: 13)
        #expect(decoding.labels.isEmpty && decoding.text.isEmpty)
    }
}
