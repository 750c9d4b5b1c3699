import ArqamNN
import Foundation
import Testing
@testable import ArqamData

@Suite struct SynthFontTests {
    @Test func theShippedFontsServeEveryRole() throws {
        let catalog = try sharedGenerator.get().catalog
        // Assets/fonts: Noto Naskh, Sans and Kufi Arabic (×2), Amiri (×3), DejaVu Sans (×2).
        #expect(catalog.files.count == 11)
        #expect(catalog.fonts.count == 11 + DrawnDigitDesign.count)
        #expect(catalog.arabicIndicFonts.count == 11)
        #expect(catalog.persianFonts.count == 11)
        #expect(!catalog.captionFonts.isEmpty)
        // Sized by their digits: every font's digits 1–9 are a sensible part of its em.
        for font in catalog.fonts.prefix(catalog.files.count) {
            #expect(font.digitHeight > 0.3 * font.unitsPerEm && font.digitHeight < 1.2 * font.unitsPerEm, "\(font.name)")
        }
    }

    @Test func slashFallsBackToAFontThatHasIt() throws {
        let generator = try sharedGenerator.get()
        let catalog = generator.catalog
        let naskh = try #require(catalog.fonts.firstIndex { $0.name == "NotoNaskhArabic-Regular.ttf" })
        let naskhBold = try #require(catalog.fonts.firstIndex { $0.name == "NotoNaskhArabic-Bold.ttf" })
        // fc-query shows no U+002F in the Noto Arabic fonts.
        #expect(!catalog.fonts[naskh].covers(0x2F))
        let fallback = try #require(catalog.fallback(for: 0x2F, from: naskh))
        #expect(catalog.fonts[fallback].covers(0x2F))
        #expect(!catalog.fonts[fallback].isBold)
        let boldFallback = try #require(catalog.fallback(for: 0x2F, from: naskhBold))
        #expect(catalog.fonts[boldFallback].isBold)
        // A font that has the glyph keeps it.
        #expect(catalog.fallback(for: 0x664, from: naskh) == naskh)
    }

    @Test func aSlashAskedOfANotoFontIsDrawnWithInk() throws {
        let generator = try sharedGenerator.get()
        let naskh = try #require(generator.catalog.fonts.firstIndex { $0.name == "NotoNaskhArabic-Regular.ttf" })
        let bitmaps = try GlyphRasterizerFixture.render(generator: generator, scalar: 0x2F, font: naskh)
        #expect(bitmaps.glyph.font != naskh)
        #expect(bitmaps.bitmap.coverage.filter { $0 > 128 }.count > 20)
        // A slash is taller than wide.
        #expect(bitmaps.bitmap.height > bitmaps.bitmap.width)
    }

    @Test func missingOrUnusableFontFoldersAreNamed() throws {
        let nowhere = URL(fileURLWithPath: "/nonexistent/arqam-fonts")
        #expect(throws: SyntheticDataError.fontsFolderMissing(nowhere)) { try SyntheticGenerator(fontsDirectory: nowhere) }

        let empty = try temporaryFolder("fonts-empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: SyntheticDataError.noFontFiles(empty)) { try SyntheticGenerator(fontsDirectory: empty) }

        let kufiOnly = try temporaryFolder("fonts-kufi")
        defer { try? FileManager.default.removeItem(at: kufiOnly) }
        try FileManager.default.copyItem(at: repositoryFonts.appendingPathComponent("NotoKufiArabic-Regular.ttf"),
                                         to: kufiOnly.appendingPathComponent("NotoKufiArabic-Regular.ttf"))
        #expect(throws: SyntheticDataError.noSlashFont(kufiOnly)) { try SyntheticGenerator(fontsDirectory: kufiOnly) }

        let bogus = try temporaryFolder("fonts-bogus")
        defer { try? FileManager.default.removeItem(at: bogus) }
        try Data("not a font".utf8).write(to: bogus.appendingPathComponent("Broken.ttf"))
        #expect {
            try SyntheticGenerator(fontsDirectory: bogus)
        } throws: { error in
            guard case .unreadableFont(let file, _) = error as? SyntheticDataError else { return false }
            return file.lastPathComponent == "Broken.ttf"
        }
    }

    @Test func aFolderWhoseFontsHaveOnlyPersianDigitsWritesThemInEveryString() throws {
        // NafeesWeb (Debian's fonts-nafees, an Urdu Naskh) maps ۰–۹ and `/` but none of ٠–٩.
        let nafees = repositoryRoot.appendingPathComponent("Tests/Fixtures/fonts/nafees", isDirectory: true)
        let generator = try SyntheticGenerator(fontsDirectory: nafees, drawnShare: 0, persianShare: 0.25)
        #expect(generator.catalog.arabicIndicFonts.isEmpty)
        #expect(generator.catalog.persianFonts == [0])
        var rng = SeededRandom(seed: 12)
        for _ in 0..<200 {
            let style = TextStyle.random(&rng, catalog: generator.catalog, digitHeight: 30)
            #expect(style.scripts == [.persian])
        }
        for index in 0..<20 {
            let sample = generator.sample(seed: 12, index: index)
            let pixels = sample.image.pixels
            #expect(Int(pixels.max()!) - Int(pixels.min()!) > 40, "image \(index) has no ink")
        }
    }

    @Test func theDefaultFontsFolderIsTheRepositorysOrTheVariables() throws {
        let found = try SyntheticGenerator.defaultFontsDirectory()
        if let variable = ProcessInfo.processInfo.environment["ARQAM_FONTS"], !variable.isEmpty {
            #expect(found.path == URL(fileURLWithPath: variable).path)
        } else {
            #expect(found.standardizedFileURL.path == repositoryFonts.standardizedFileURL.path)
        }
    }
}

/// Places and renders one glyph through the generator's own rasterizer pool.
enum GlyphRasterizerFixture {
    static func render(generator: SyntheticGenerator, scalar: UInt32, font: Int) throws -> (glyph: PlacedGlyph, bitmap: GlyphBitmap) {
        let rasterizer = try GlyphRasterizer(files: generator.catalog.files)
        let placer = GlyphPlacer(catalog: generator.catalog, rasterizer: rasterizer)
        let glyph = try #require(placer.place(scalar, font: font, digitHeight: 40, aspect: 1, slant: 0, tilt: 0,
                                              embolden: .none, warp: nil, origin: (10, 50)))
        let bitmap = try #require(rasterizer.render(font: glyph.font, scalar: scalar, transform: glyph.transform,
                                                    origin: glyph.origin, embolden: .none, warp: nil))
        return (glyph, bitmap)
    }
}
