import ArqamNN
import Testing
@testable import ArqamData

@Suite struct SynthTextTests {
    @Test func checkDigitMatchesAHandWorkedID() {
        // 2 9 9 0 1 0 1 1 2 3 4 5 6 · weights 2 7 6 5 4 3 2 7 6 5 4 3 2
        // = 4+63+54+0+4+0+2+7+12+15+16+15+12 = 204; 204 mod 11 = 6; 11 − 6 = 5.
        #expect(SynthText.nationalIDCheckDigit([2, 9, 9, 0, 1, 0, 1, 1, 2, 3, 4, 5, 6]) == 5)
        // Sum 0: 11 − 0 = 11 → 11 mod 10 = 1.
        #expect(SynthText.nationalIDCheckDigit(Array(repeating: 0, count: 13)) == 1)
    }

    @Test func nationalIDsHaveTheirStructure() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<300 {
            let text = SynthText.nationalID(&rng)
            let digits = text.label.compactMap { $0.wholeNumberValue }
            #expect(digits.count == 14)
            #expect(digits[0] == 2 || digits[0] == 3)
            let year = (digits[0] == 2 ? 1900 : 2000) + digits[1] * 10 + digits[2]
            let month = digits[3] * 10 + digits[4], day = digits[5] * 10 + digits[6]
            #expect((1...12).contains(month))
            #expect((1...SynthText.daysIn(month: month, year: year)).contains(day))
            #expect(SynthText.governorates.contains(digits[7] * 10 + digits[8]))
            #expect(digits[13] == SynthText.nationalIDCheckDigit(Array(digits[0..<13])))
        }
    }

    @Test func mobilesStartWithAnEgyptianPrefix() {
        var rng = SeededRandom(seed: 12)
        for _ in 0..<200 {
            let label = SynthText.mobile(&rng).label
            #expect(label.count == 11 && label.allSatisfy(\.isNumber))
            #expect(["010", "011", "012", "015"].contains(String(label.prefix(3))))
        }
    }

    @Test func datesComeInBothOrdersAndAreReal() {
        var rng = SeededRandom(seed: 13)
        var yearFirst = 0, dayFirst = 0, unpadded = 0
        for _ in 0..<400 {
            let parts = SynthText.date(&rng).label.split(separator: "/").map(String.init)
            #expect(parts.count == 3)
            let (year, month, day) = parts[0].count == 4
                ? (Int(parts[0])!, Int(parts[1])!, Int(parts[2])!) : (Int(parts[2])!, Int(parts[1])!, Int(parts[0])!)
            if parts[0].count == 4 { yearFirst += 1 } else { dayFirst += 1 }
            if parts.contains(where: { $0.count == 1 }) { unpadded += 1 }
            #expect((1930...2035).contains(year) && (1...12).contains(month))
            #expect((1...SynthText.daysIn(month: month, year: year)).contains(day))
        }
        #expect(yearFirst > 100 && dayFirst > 100 && unpadded > 20)
    }

    @Test func daysInMonthFollowTheGregorianRules() {
        #expect(SynthText.daysIn(month: 2, year: 2024) == 29)
        #expect(SynthText.daysIn(month: 2, year: 1900) == 28)
        #expect(SynthText.daysIn(month: 2, year: 2000) == 29)
        #expect(SynthText.daysIn(month: 4, year: 2023) == 30)
        #expect(SynthText.daysIn(month: 12, year: 2023) == 31)
    }

    @Test func everyKindIsDrawn() {
        var rng = SeededRandom(seed: 14)
        let kinds = Set((0..<200).map { _ in SynthText.random(&rng).kind })
        #expect(kinds == Set(SynthText.Kind.allCases))
    }

    @Test func digitsMapToTheirScript() {
        #expect(DigitScript.arabicIndic.scalar(for: "4") == 0x664)
        #expect(DigitScript.persian.scalar(for: "4") == 0x6F4)
        #expect(DigitScript.persian.scalar(for: "0") == 0x6F0)
        #expect(DigitScript.arabicIndic.scalar(for: "/") == 0x2F)
    }

    @Test func captionsAreShapedIntoPresentationForms() {
        // رقم: ر joins nothing after it (isolated FEAD), ق starts a join (initial FED7),
        // م ends it (final FEE2); visual order is reversed.
        #expect(SynthCaption.visualGlyphs("رقم") == [0xFEE2, 0xFED7, 0xFEAD])
        // ل + ا is one ligature. After ا (which joins nothing after it) it stands alone (FEFB);
        // after ب (initial FE91) it takes its final form (FEFC).
        #expect(SynthCaption.visualGlyphs("الا") == [0xFEFB, 0xFE8D])
        #expect(SynthCaption.visualGlyphs("بلا") == [0xFEFC, 0xFE91])
        // Spaces and ':' pass through.
        #expect(SynthCaption.visualGlyphs("رقم :") == [0x3A, 0x20, 0xFEE2, 0xFED7, 0xFEAD])
    }
}

/// `--persian-share`: 1 writes every string in Persian digits, 0 none, the default about a
/// quarter (and some strings mixed, as typed with two keyboards).
@Suite struct SynthPersianShareTests {
    static func scripts(share: Double) throws -> [[DigitScript]] {
        var catalog = try sharedGenerator.get().catalog
        catalog.persianShare = share
        return (0..<2000).map { index in
            var rng = SeededRandom(seed: 9).derived(UInt64(index))
            return TextStyle.random(&rng, catalog: catalog, digitHeight: 30).scripts
        }
    }

    @Test func theShareDecidesTheScript() throws {
        #expect(try Self.scripts(share: 1).allSatisfy { $0 == [.persian] })
        #expect(try Self.scripts(share: 0).allSatisfy { $0 == [.arabicIndic] })
        let mixed = try Self.scripts(share: SyntheticGenerator.defaultPersianShare)
        let persian = Double(mixed.filter { $0 == [.persian] }.count) / 2000
        let both = Double(mixed.filter { $0.count == 2 }.count) / 2000
        // 0.96 × 0.25 = 0.24 Persian only and 0.04 mixed, give or take three standard deviations.
        #expect(abs(persian - 0.24) < 0.03, "Persian only: \(persian)")
        #expect(abs(both - 0.04) < 0.015, "mixed: \(both)")
    }
}

/// How far strings lean: mostly upright, some a little, a few as far as an oblique face.
@Suite struct SynthSlantTests {
    static func slants(italic: Bool) -> [Double] {
        (0..<4000).map { index in
            var rng = SeededRandom(seed: 31).derived(UInt64(index))
            return TextStyle.slant(&rng, fontIsItalic: italic)
        }
    }

    @Test func aFewUprightStringsLeanLikeAnObliqueFace() {
        let slants = Self.slants(italic: false)
        let upright = Double(slants.filter { $0 == 0 }.count) / 4000
        // Leaning beyond 0.2: 0.35 × 0.35 × (0.16 + 0.05) / 0.61 = 0.042 of the strings.
        let steep = Double(slants.filter { abs($0) > 0.2 }.count) / 4000
        #expect(abs(upright - 0.65) < 0.03, "upright: \(upright)")
        #expect(abs(steep - 0.042) < 0.01, "steeper than 0.2: \(steep)")
        #expect(slants.allSatisfy { (-0.25...0.36).contains($0) })
        #expect(slants.max()! > 0.34 && slants.min()! < -0.23)
    }

    @Test func anItalicFontLeansOnlyALittleFurther() {
        let slants = Self.slants(italic: true)
        #expect(slants.allSatisfy { (-0.25...0.1).contains($0) })
        #expect(slants.max()! > 0.09)
    }
}
