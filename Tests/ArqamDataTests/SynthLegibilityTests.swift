import ArqamNN
import Foundation
import Testing
@testable import ArqamData

/// The legibility guard measures the strokes' cores against the paper between them, worked
/// out by hand on a 10 × 4 picture, and the generator draws damage again when it fails.
@Suite struct SynthLegibilityTests {
    /// One glyph at (2, 1): a 3 × 2 block, full ink on the left two columns and a 100/255
    /// fringe on the right one. Its box is x 2…4, y 1…2: core = the four full pixels,
    /// paper = none of the box (the fringe is neither), so the box is widened by a second
    /// glyph, one full pixel at (7, 2): box x 2…7, y 1…2 (12 pixels), core 5, fringe 2, paper 5.
    static let strokes = StrokeMask([
        GlyphBitmap(left: 2, top: 1, width: 3, height: 2, coverage: [255, 255, 100, 255, 255, 100]),
        GlyphBitmap(left: 7, top: 2, width: 1, height: 1, coverage: [255]),
    ], width: 10, height: 4)

    static func picture(paper: [Float], ink: Float) -> [Float] {
        var pixels = [Float](repeating: 250, count: 40)  // outside the box: ignored
        let core = [12, 13, 22, 23, 27], paperPixels = [15, 16, 17, 25, 26]
        for index in core { pixels[index] = ink }
        for (index, value) in zip(paperPixels, paper) { pixels[index] = value }
        pixels[14] = 0; pixels[24] = 0  // the fringe counts for neither
        return pixels
    }

    @Test func contrastIsPaperMedianMinusCoreMedian() throws {
        let pixels = Self.picture(paper: [200, 210, 190, 205, 195], ink: 60)
        let measured = try #require(Self.strokes.measure(pixels))
        #expect(measured.contrast == 200 - 60)
        // Deviations from 200: 0, 10, 10, 5, 5 → median 5, × 1.48.
        #expect(abs(measured.spread - 7.4) < 1e-4)
        #expect(Self.strokes.isLegible(pixels))
    }

    @Test func fadedOrNoisyStrokesAreNotLegible() {
        // 35 levels of contrast on quiet paper: too faint.
        #expect(!Self.strokes.isLegible(Self.picture(paper: [200, 200, 201, 199, 200], ink: 165)))
        // 60 levels but paper spread 1.48 × 20 = 29.6: under three spreads.
        #expect(!Self.strokes.isLegible(Self.picture(paper: [200, 220, 180, 230, 170], ink: 140)))
        // The same paper with 100 levels of contrast: legible.
        #expect(Self.strokes.isLegible(Self.picture(paper: [200, 220, 180, 230, 170], ink: 100)))
    }

    /// Image 1993 of seed 777777 came out one flat gray (every pixel 220) before the guard:
    /// damage erased the digits (the guard measured 169 gray levels of contrast before it, 0 after). It draws the
    /// damage again, and the digits are there.
    @Test func theGeneratorRedrawsDamageThatErasesTheDigits() throws {
        let image = try sharedGenerator.get().sample(seed: 777_777, index: 1993).image
        let sorted = image.pixels.sorted()
        let dark = sorted[sorted.count / 100], median = sorted[sorted.count / 2]
        #expect(Int(median) - Int(dark) >= 40, "1st percentile \(dark), median \(median)")
    }
}
