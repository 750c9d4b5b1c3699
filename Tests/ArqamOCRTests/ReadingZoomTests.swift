import ArqamImaging
@testable import ArqamOCR
import Foundation
import Testing

@Suite struct ReadingZoomTests {
    static let blank = Alphabet.blank

    /// 50 blank steps with `classes` written at `steps`.
    static func trace(_ written: [Int: Int]) -> [Int] {
        (0..<50).map { written[$0] ?? blank }
    }

    @Test func theSpanIsTheWrittenStepsWidenedByACharacterAndAHalf() {
        // Three characters at steps 10, 14 and 18: 8 steps of 4 columns over 2 gaps, 16 columns
        // a character. Step centres 42 and 74 of 200 columns, widened by 24: 18 … 98, at twice
        // the scale in a 400-wide picture: 36 ..< 196.
        let three = Self.trace([10: 3, 14: 4, 18: 5])
        #expect(ReadingZoom.span(of: three, width: 400) == 36 ..< 196)
        // A class held over steps 10 and 11 writes one character; the blank between the two
        // 3s at 16 and 18 makes them two: 4 characters over 8 steps, 32 / 3 columns each, so
        // the span is 42 − 16 … 74 + 16 at the picture's own scale.
        let held = Self.trace([10: 3, 11: 3, 14: 4, 16: 3, 18: 3])
        #expect(ReadingZoom.span(of: held, width: 200) == 26 ..< 90)
        // One character is at least 2 steps wide: 8 columns, 12 on each side of step 20's centre.
        #expect(ReadingZoom.span(of: Self.trace([20: 7]), width: 200) == 70 ..< 94)
        // Near the edges the span stops at the picture; `[UNK]` writes nothing.
        #expect(ReadingZoom.span(of: Self.trace([0: 3, 49: 4]), width: 200) == 0 ..< 200)
        #expect(ReadingZoom.span(of: Self.trace([20: Alphabet.unknown]), width: 200).isEmpty)
    }

    /// Paper 220 with dark rows: each (rows, columns) block is ink 20.
    static func page(width: Int, height: Int, ink blocks: [(rows: Range<Int>, columns: Range<Int>)]) -> GrayImage {
        var picture = GrayImage(width: width, height: height, pixels: [UInt8](repeating: 220, count: width * height))
        for block in blocks {
            for y in block.rows { for x in block.columns { picture[x, y] = 20 } }
        }
        return picture
    }

    @Test func theBandIsTheInkiestRowsBetweenTheRules() {
        // 100 columns: the box's rules at rows 20 and 80 cross the whole span; a caption at rows
        // 5–12 inks 10 columns; the digits at rows 40–59 ink 30. Paper median 220, 3rd
        // percentile 20: ink is darker than 220 − 90. The digits' band, 20 rows, gets 6 rows of
        // margin each side.
        let picture = Self.page(width: 100, height: 100, ink: [
            (20 ..< 21, 0 ..< 100), (80 ..< 81, 0 ..< 100), (5 ..< 13, 10 ..< 20),
            (40 ..< 60, 20 ..< 30), (40 ..< 60, 50 ..< 60), (40 ..< 60, 70 ..< 80),
        ])
        #expect(ReadingZoom.band(in: picture, columns: 0 ..< 100) == 34 ..< 66)
        // A digit's thin middle (rows 48–49 with a sliver of ink) stays in its band; a gap of
        // three rows splits it, and the inkier part wins.
        let waist = Self.page(width: 100, height: 100, ink: [
            (40 ..< 48, 20 ..< 60), (48 ..< 50, 20 ..< 21), (50 ..< 60, 20 ..< 60),
        ])
        #expect(ReadingZoom.band(in: waist, columns: 0 ..< 100) == 34 ..< 66)
        let split = Self.page(width: 100, height: 100, ink: [(40 ..< 46, 20 ..< 60), (49 ..< 60, 20 ..< 60)])
        // Rows 49–59: 11 rows, margin 3.3 → 45 ..< 64.
        #expect(ReadingZoom.band(in: split, columns: 0 ..< 100) == 45 ..< 64)
        // Blank paper has no band.
        #expect(ReadingZoom.band(in: Self.page(width: 10, height: 10, ink: []), columns: 0 ..< 10).isEmpty)
    }

    @Test func theZoomedPictureIsTheSpanAndTheBand() {
        // Twelve strokes 5 columns wide at rows 40–59, 60 of the span's 160 columns: digits, not a rule.
        let picture = Self.page(width: 400, height: 100, ink: (0..<12).map { (40 ..< 60, 60 + 10 * $0 ..< 65 + 10 * $0) })
        let zoomed = ReadingZoom.picture(of: picture, trace: Self.trace([10: 3, 14: 4, 18: 5]))
        #expect(zoomed == picture.region(columns: 36 ..< 196, rows: 34 ..< 66))
        // A reading that wrote nothing leaves the picture as it is.
        #expect(ReadingZoom.picture(of: picture, trace: Self.trace([:])) == picture)
    }

    @Test func aReadingFramesTheDigitsItFound() throws {
        // A sample form value on three times its width and twice its height of its own paper:
        // the shipped model's first reading of the large picture finds the digits, and the
        // zoomed picture holds the sample again, with little of the added paper.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sample = try PNGDecoder().decode(contentsOf: root.appendingPathComponent("Assets/samples/000002.png"))
        let large = sample.padded(by: sample.width, fill: sample.borderMedian).region(columns: 0 ..< 3 * sample.width,
                                                                                       rows: sample.width - sample.height / 2 ..< sample.width + 3 * sample.height / 2)
        let recognizer = try Recognizer(weightsURL: root.appendingPathComponent("Weights/arqam.safetensors"), threads: 2)
        let first = recognizer.read(image: large)
        let zoomed = ReadingZoom.picture(of: large, trace: first.trace)
        #expect(zoomed.width < 2 * sample.width && zoomed.width >= sample.width * 3 / 4, "\(zoomed.width) of \(sample.width)")
        #expect(zoomed.height < 2 * sample.height, "\(zoomed.height) of \(sample.height)")
        let reading = recognizer.read(image: large, options: Recognizer.Options(zoom: true))
        #expect(reading.text == "28005183299155")
        #expect(reading.trace == first.trace)
    }
}
