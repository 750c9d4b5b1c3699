import ArqamNN
import Testing
@testable import ArqamTraining

@Suite struct InputAugmentationTests {
    /// A page with one dark vertical stroke at time step 100 (rows 10–39), paper 1, ink 0.
    static let stroke: [Float] = (0..<200).flatMap { t in (0..<50).map { y in t == 100 && (10..<40).contains(y) ? 0 : 1 } }

    static func darkest(_ input: [Float]) -> (step: Int, value: Float) {
        let columns = (0..<200).map { t in input[t * 50 ..< (t + 1) * 50].reduce(0, +) }
        let step = columns.indices.min { columns[$0] < columns[$1] }!
        return (step, input[step * 50 + 25])
    }

    @Test func theSameRandomStreamGivesTheSameImage() {
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5), c = SeededRandom(seed: 6)
        let first = InputAugmentation.augmented(Self.stroke, rng: &a)
        #expect(first == InputAugmentation.augmented(Self.stroke, rng: &b))
        #expect(first != InputAugmentation.augmented(Self.stroke, rng: &c))
    }

    /// Scale 0.9–1.1 about step 99.5 and a shift of at most 4 steps move step 100 by at most
    /// 0.5 · 0.1 + 4 < 5 steps; contrast and brightness keep ink dark and paper light.
    @Test func theStrokeStaysNearItsPlaceAndDark() {
        for seed in 0..<50 as Range<UInt64> {
            var random = SeededRandom(seed: seed)
            let augmented = InputAugmentation.augmented(Self.stroke, rng: &random)
            #expect(augmented.allSatisfy { (0...1).contains($0) })
            let darkest = Self.darkest(augmented)
            #expect(abs(darkest.step - 100) <= 5, "seed \(seed): stroke at \(darkest.step)")
            #expect(darkest.value < 0.8, "seed \(seed)")
            #expect(augmented[0 * 50 + 25] > 0.75, "seed \(seed): paper at the left edge")
        }
    }
}
