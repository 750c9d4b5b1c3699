import Foundation
import Testing
@testable import ArqamData

/// A broad pen at an angle: the stroke width change turns with the nib. Checked on ١, one
/// vertical stroke, 40 pixels tall: widening across x makes it wider; turned by a quarter
/// turn, the same change acts across y, exactly as swapping the two amounts does.
@Suite struct SynthNibTests {
    static func ink(_ change: StrokeWidthChange) throws -> (total: Int, width: Int) {
        let generator = try sharedGenerator.get()
        let font = try #require(generator.catalog.arabicIndicFonts.first)
        let rasterizer = try GlyphRasterizer(files: generator.catalog.files)
        let placed = try GlyphRasterizerFixture.render(generator: generator, scalar: 0x661, font: font).glyph
        let bitmap = try #require(rasterizer.render(font: placed.font, scalar: 0x661, transform: placed.transform,
                                                    origin: placed.origin, embolden: change, warp: nil))
        let total = bitmap.coverage.reduce(0) { $0 + Int($1) }
        // Widest row of solid ink: the stroke's width across x.
        let rowWidths = (0..<bitmap.height).map { y in
            (0..<bitmap.width).filter { bitmap.coverage[y * bitmap.width + $0] > 128 }.count
        }
        return (total, rowWidths.max() ?? 0)
    }

    @Test func aQuarterTurnedNibSwapsTheAxes() throws {
        let upright = try Self.ink(StrokeWidthChange(width: 1, contrast: 2))
        let plain = try Self.ink(.none)
        let turned = try Self.ink(StrokeWidthChange(width: 1, contrast: 2, nibAngle: .pi / 2))
        let swapped = try Self.ink(StrokeWidthChange(width: 1, contrast: -2))
        #expect(upright.width >= plain.width + 2, "x widened by 3 pixels: \(plain.width) → \(upright.width)")
        #expect(turned.width < plain.width, "a quarter turn thins the vertical stroke: \(plain.width) → \(turned.width)")
        #expect(abs(turned.width - swapped.width) <= 1)
        #expect(abs(Double(turned.total - swapped.total)) <= 0.02 * Double(swapped.total),
                "turned \(turned.total) vs swapped \(swapped.total)")
    }
}
