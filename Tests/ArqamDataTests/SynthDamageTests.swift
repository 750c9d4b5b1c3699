import ArqamNN
import Testing
@testable import ArqamData

@Suite struct SynthDamageTests {
    /// Damage may blur, speckle and darken paper, but never turn a stretch of it into ink: where
    /// that happens on a field, the digits under it are gone and the label is a lie (a global
    /// threshold over uneven lighting did that). On 3,000 random looks of a blank page, fewer
    /// than 3 % of the pixels may end up as dark as the ink. Faint-ink looks (paper and ink
    /// under 90 apart) are left out: strong light may darken their paper to the ink's level
    /// while the digits, darkened as much, keep their contrast.
    @Test func damageNeverTurnsPaperIntoInk() {
        var worst = (share: 0.0, look: 0)
        for index in 0..<3000 {
            var rng = SeededRandom(seed: 0xDA3A6E).derived(UInt64(index))
            let look = Look.random(&rng, height: 50, digitHeight: 30)
            guard look.paper - look.ink >= 90 else { continue }
            var canvas = SynthCanvas(width: 200, height: 50, fill: look.paper)
            look.damage(&canvas, erosionAllowed: true, rng: &rng)
            let share = Double(canvas.pixels.filter { $0 <= look.ink + 10 }.count) / Double(canvas.pixels.count)
            if share > worst.share { worst = (share, index) }
        }
        #expect(worst.share < 0.03, "look \(worst.look): \(worst.share) of the page turned to ink")
    }
}
