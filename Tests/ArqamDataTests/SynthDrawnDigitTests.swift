import Foundation
import Testing
@testable import ArqamData

@Suite struct SynthDrawnDigitTests {
    static let arabicIndic = [UInt32](0x660...0x669), persian = [UInt32](0x6F0...0x6F9)

    @Test func everyDrawnDesignDrawsEveryDigitOfBothScriptsWithInk() throws {
        let generator = try sharedGenerator.get()
        let catalog = generator.catalog
        #expect(catalog.drawnFonts.count == DrawnDigitDesign.count)
        for font in catalog.drawnFonts {
            for scalar in Self.arabicIndic + Self.persian {
                let drawn = try GlyphRasterizerFixture.render(generator: generator, scalar: scalar, font: font)
                // Drawn designs have digits only; the glyph must not have fallen back to a font.
                #expect(drawn.glyph.font == font)
                // The smallest shape, a dot ٠ (a 0.06-high square stroked by a 0.05 pen), is about
                // 0.11 digit heights across: some 19 px² at 40 px, of which the inner 3 × 3 at least
                // are more than half inked.
                let ink = drawn.bitmap.coverage.filter { $0 > 128 }.count
                #expect(ink >= 9, "design \(font) U+\(String(scalar, radix: 16)): \(ink) inked pixels")
            }
        }
    }

    /// Within one design the ten digits of a script must all look different, or the model
    /// would be taught that one shape is two digits.
    @Test func theDigitsOfADrawnDesignAreTenDifferentShapes() throws {
        let generator = try sharedGenerator.get()
        for font in generator.catalog.drawnFonts {
            for script in [Self.arabicIndic, Self.persian] {
                let shapes = try script.map { scalar in
                    let bitmap = try GlyphRasterizerFixture.render(generator: generator, scalar: scalar, font: font).bitmap
                    return [bitmap.width, bitmap.height] + bitmap.coverage.map { Int($0 / 64) }
                }
                #expect(Set(shapes).count == 10, "design \(font - generator.catalog.files.count)")
            }
        }
    }

    @Test func zeroIsSmallAndSitsAboveTheBaselineWhileFiveIsAFullerLoop() throws {
        let generator = try sharedGenerator.get()
        for font in generator.catalog.drawnFonts {
            let one = try GlyphRasterizerFixture.render(generator: generator, scalar: 0x661, font: font).bitmap
            let zero = try GlyphRasterizerFixture.render(generator: generator, scalar: 0x660, font: font).bitmap
            let five = try GlyphRasterizerFixture.render(generator: generator, scalar: 0x665, font: font).bitmap
            // Rendered 40 px tall with the baseline at y = 50 (GlyphRasterizerFixture).
            #expect(zero.height < one.height / 2 + 4)
            #expect(zero.top + zero.height < 50)
            #expect(five.height > zero.height + 3)
        }
    }

    /// Every skeleton of ٣ reaches the top at three places, of ٢ at two at most: a ٣ with
    /// two is how most fonts draw ٢ (a skeleton that taught otherwise made the model read
    /// the ٢ of Harmattan, Sharjah and Tarablus as ٣).
    @Test func threeHasThreeProngsAndTwoAtMostTwo() throws {
        func tops(_ skeleton: [SkeletonStroke]) -> Int {
            let xs = skeleton.flatMap(\.points).filter { $0.y >= 0.95 }.map(\.x).sorted()
            return zip(xs, xs.dropFirst()).filter { $1 - $0 > 0.1 }.count + (xs.isEmpty ? 0 : 1)
        }
        for scalar: UInt32 in [0x663, 0x6F3] {
            for skeleton in try #require(DigitSkeletons.variants(scalar)) { #expect(tops(skeleton) == 3) }
        }
        for scalar: UInt32 in [0x662, 0x6F2] {
            for skeleton in try #require(DigitSkeletons.variants(scalar)) { #expect(tops(skeleton) <= 2) }
        }
    }

    @Test func chordsAreCutAtCornersAndSegmentsLeaveGaps() {
        // An L through (0,1), (0,0), (1,0): one Chaikin pass keeps the ends and replaces the
        // corner by the points a quarter along each side.
        let rounded = DrawnDigitDesign.rounded([(0, 1), (0, 0), (1, 0)], closed: false, passes: 1)
        #expect(rounded.map { [$0.x, $0.y] } == [[0, 1], [0, 0.25], [0.25, 0], [1, 0]])
        // A closed unit square in segments with gap 0.1: four strokes, each 0.8 long.
        let segments = DrawnDigitDesign.segments([(0, 0), (1, 0), (1, 1), (0, 1)], closed: true, gap: 0.1)
        #expect(segments.count == 4)
        for segment in segments {
            #expect(abs(hypot(segment[1].x - segment[0].x, segment[1].y - segment[0].y) - 0.8) < 1e-12)
        }
        // A closed stroke as an open path goes round once and on over its first side.
        let path = DrawnDigitDesign.open([(0, 0), (1, 0), (1, 1)], closed: true)
        #expect(path.map { [$0.x, $0.y] } == [[0, 0], [1, 0], [1, 1], [0, 0], [1, 0]])
    }

    @Test func aFontsOnlyGeneratorHasNoDrawnDesigns() throws {
        let fontsOnly = try SyntheticGenerator(fontsDirectory: repositoryFonts, drawnShare: 0)
        #expect(fontsOnly.catalog.drawnFonts.isEmpty)
        #expect(fontsOnly.catalog.fonts.count == fontsOnly.catalog.files.count)
    }
}
