@testable import ArqamReview
import Testing

@Suite("Picture art")
struct StationArtTests {
    /// Unicode braille numbers dots 1-2-3-7 down the left column and 4-5-6-8 down the right
    /// (U+2800 + bits 0x01 0x02 0x04 0x40 / 0x08 0x10 0x20 0x80).
    @Test func brailleDotsFollowTheUnicodeNumbering() {
        let none = [Bool](repeating: false, count: 8)
        #expect(PictureArt.braille(none) == "\u{2800}")
        var topLeft = none
        topLeft[0] = true
        #expect(PictureArt.braille(topLeft) == "\u{2801}")
        var bottomRight = none
        bottomRight[7] = true
        #expect(PictureArt.braille(bottomRight) == "\u{2880}")
        var leftColumn = none
        for row in 0..<4 { leftColumn[row * 2] = true }
        #expect(PictureArt.braille(leftColumn) == "\u{2847}")
        #expect(PictureArt.braille([Bool](repeating: true, count: 8)) == "\u{28FF}")
    }

    @Test func aCellWithContrastSplitsAtItsOwnMiddle() {
        // A faint stroke (0.5) beside paper (0.1): local middle 0.3, above the floor 0.5 × 0.4.
        let on = PictureArt.threshold([0.1, 0.5, 0.1, 0.5, 0.1, 0.5, 0.1, 0.5], global: 0.4, minimumContrast: 0.2)
        #expect(on == [false, true, false, true, false, true, false, true])
    }

    @Test func aFlatCellFollowsThePictureWideThreshold() {
        #expect(PictureArt.threshold([Float](repeating: 0.8, count: 8), global: 0.4, minimumContrast: 0.2)
            == [Bool](repeating: true, count: 8))
        #expect(PictureArt.threshold([0.05, 0.1, 0.05, 0.1, 0.05, 0.1, 0.05, 0.1], global: 0.4, minimumContrast: 0.2)
            == [Bool](repeating: false, count: 8))
    }

    /// Otsu on two equal clusters at 0.2 and 0.8 puts the split between them.
    @Test func otsuSeparatesTwoClusters() {
        let threshold = PictureArt.otsuThreshold([Float](repeating: 0.2, count: 50) + [Float](repeating: 0.8, count: 50))
        #expect(threshold > 0.2 && threshold < 0.8)
    }

    /// One cell per model step at 1 cell a step: 50 columns, 25 dot rows → 7 text rows;
    /// at 2: 100 columns, 13 rows; the art keeps the picture's 4 : 1 shape.
    @Test(arguments: [(1, 50, 7), (2, 100, 13), (3, 150, 19)])
    func sizeFollowsTheCellsPerStep(cellsPerStep: Int, columns: Int, rows: Int) {
        let lines = PictureArt(cellsPerStep: cellsPerStep).lines(samplePicture(), charset: .unicode)
        #expect(lines.count == rows)
        #expect(lines.allSatisfy { $0.count == columns })
    }

    @Test func asciiArtUsesOnlyASCII() {
        let lines = PictureArt(cellsPerStep: 2).lines(samplePicture(), charset: .ascii)
        #expect(lines.joined().allSatisfy { $0.isASCII })
        #expect(lines.joined().contains("@"))
    }

    @Test(arguments: [("UTF-8", "xterm-256color" as String?, Charset.unicode), ("utf8", nil, .unicode), ("ANSI_X3.4-1968", "xterm", .ascii),
                      ("UTF-8", "linux", .ascii), ("ISO-8859-1", "xterm", .ascii)])
    func charsetFromLocaleAndTerminal(codeset: String, term: String?, expected: Charset) {
        #expect(Charset.detect(codeset: codeset, term: term) == expected)
    }
}
