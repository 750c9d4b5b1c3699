import ArqamImaging
@testable import ArqamOCR
import Foundation
import Testing

@Suite struct ReadingViewsTests {
    static let steps = 50, classes = 13

    /// Logits under which exactly two strings are possible: step 0 writes `1` (class 3) with
    /// probability `one` or `2` (class 4) with `1 − one`; every other step is the blank.
    /// The other classes sit at −100, so what they add is below 1e-40.
    static func oneOrTwo(one: Double) -> [Float] {
        var logits = [Float](repeating: -100, count: steps * classes)
        for step in 0..<steps { logits[step * classes + 12] = 0 }
        logits[12] = -100
        logits[3] = Float(log(one))
        logits[4] = Float(log(1 - one))
        return logits
    }

    /// The views' storage, which the tests' arrays keep alive and never change.
    static func buffers(_ views: [[Float]]) -> [UnsafeBufferPointer<Float>] {
        views.map { view in view.withUnsafeBufferPointer { $0 } }
    }

    static func choice(_ views: [[Float]]) -> [Int] {
        Decoding.choice(views: buffers(views), temperature: 1)
    }

    static func read(_ views: [[Float]], alternatives: Int = 3, confidenceTemperature: Double = 1) -> Reading {
        Decoding.reading(views: buffers(views), temperature: 1, confidenceTemperature: confidenceTemperature,
                         options: Recognizer.Options(alternatives: alternatives))
    }

    @Test func theMeanChoosesAndTheSurestViewGivesTheConfidence() {
        // View A: "1" 0.8, "2" 0.2. Views B and C: "1" 0.3, "2" 0.7. Means: "2" 1.6 / 3 = 0.5333,
        // "1" 1.4 / 3 = 0.4667, so "2" is read, with B's 0.7; A alone, or the surest view
        // (A's 0.8 for "1"), would have read "1".
        let a = Self.oneOrTwo(one: 0.8), b = Self.oneOrTwo(one: 0.3)
        let reading = Self.read([a, b, b], alternatives: 2)
        #expect(reading.text == "2")
        #expect(abs(reading.confidence - 0.7) < 1e-6)
        #expect(reading.alternatives.map(\.text) == ["2", "1"])
        #expect(zip(reading.alternatives.map(\.confidence), [1.6 / 3, 1.4 / 3]).allSatisfy { abs($0 - $1) < 1e-6 })
        // The trace is the first view's: its step 0 wrote "1".
        #expect(reading.trace.first == 3)
    }

    @Test func theConfidenceHasATemperatureOfItsOwn() {
        // The views of the test above, the confidence at T = 2: step 0 then writes "2" with
        // 0.7^½ / (0.3^½ + 0.7^½) = 0.60436 in views B and C, 0.2^½ / (0.8^½ + 0.2^½) = 1/3 in
        // view A. What is read and the alternatives' means stay those of T = 1.
        let a = Self.oneOrTwo(one: 0.8), b = Self.oneOrTwo(one: 0.3)
        let reading = Self.read([a, b, b], alternatives: 2, confidenceTemperature: 2)
        #expect(reading.text == "2")
        #expect(abs(reading.confidence - 0.7.squareRoot() / (0.3.squareRoot() + 0.7.squareRoot())) < 1e-6)
        #expect(reading.alternatives == Self.read([a, b, b], alternatives: 2).alternatives)
        #expect(Self.choice([a, b, b]) == [4])
        // One view writes its greedy path, as `arqam read` does.
        #expect(Self.choice([a]) == [3] && Self.choice([b]) == [4])
    }

    @Test func identicalViewsReadTheMostProbableProposal() {
        for seed in [41, 42, 43, 44] as [UInt64] {
            let logits = BruteForceCTC.randomLogits(steps: Self.steps, classes: Self.classes, seed: seed)
            let single = logits.withUnsafeBufferPointer {
                Decoding.reading(logits: $0, temperature: 1, options: Recognizer.Options(alternatives: 3))
            }
            let proposals = [single.text] + single.alternatives.map(\.text)
            let exact = proposals.map { text in
                exp(CTC.logProbability(of: try! Alphabet.encode(text).get(), logits: logits, steps: Self.steps, classes: Self.classes))
            }
            let best = exact.indices.max { exact[$0] < exact[$1] }!
            let reading = Self.read([logits, logits, logits])
            #expect(reading.text == proposals[best], "seed \(seed)")
            #expect(abs(reading.confidence - exact[best]) <= 1e-9 * exact[best], "seed \(seed)")
            #expect(reading.trace == single.trace)
        }
    }

    @Test func equalMeansKeepTheOrderOfProposal() {
        let ranked = ViewScore.ranked([ViewScore(labels: [2], mean: 0.3), ViewScore(labels: [3], mean: 0.4),
                                       ViewScore(labels: [4], mean: 0.3)])
        #expect(ranked.map(\.labels) == [[3], [2], [4]])
    }

    @Test func theViewsAreThePictureAWiderMarginAndATighterCrop() {
        // 100 × 50 of paper at 180 with a dark bar: margin round(0.15 × 50) = 8 (7.5 rounds up),
        // crop int(0.02 × 100) = 2 columns and int(0.02 × 50) = 1 row from each edge.
        var picture = GrayImage(width: 100, height: 50, pixels: [UInt8](repeating: 180, count: 5000))
        for x in 30..<70 { picture[x, 25] = 20 }
        let views = ReadingViews.pictures(of: picture, count: 3)
        #expect(views[0] == picture)
        #expect(views[1] == picture.padded(by: 8, fill: 180))
        #expect(views[2] == picture.cropped(insetX: 2, insetY: 1))
        #expect(ReadingViews.pictures(of: picture, count: 2) == Array(views.prefix(2)))
        let inputs = ReadingViews.modelInputs(from: picture, count: 3)
        #expect(inputs.count == 3 * 200 * 50)
        #expect(Array(inputs.prefix(200 * 50)) == Preprocessing.modelInput(from: picture))
        #expect(Array(inputs.suffix(200 * 50)) == Preprocessing.modelInput(from: views[2]))
    }
}
