import ArqamNN
import Testing
@testable import ArqamData

@Suite struct SynthGlyphFaceTests {
    /// A `size`×`size` bitmap, full ink on the square [`from`, `to`) on both axes.
    static func square(size: Int, from: Int, to: Int) -> GlyphBitmap {
        var coverage = [UInt8](repeating: 0, count: size * size)
        for y in from..<to { for x in from..<to { coverage[y * size + x] = 255 } }
        return GlyphBitmap(left: 3, top: -7, width: size, height: size, coverage: coverage)
    }

    /// A 6×6 block inside a 10×10 bitmap, hollowed by radius 1: worked out by hand, the block's
    /// outer ring of pixels stays and its 4×4 inside turns to paper.
    @Test func hollowingKeepsTheOuterRingOfAThickStroke() {
        let hollow = Self.square(size: 10, from: 2, to: 8).hollowed(1)
        for y in 0..<10 {
            for x in 0..<10 {
                let inBlock = (2..<8).contains(x) && (2..<8).contains(y)
                let inside = (3..<7).contains(x) && (3..<7).contains(y)
                #expect(hollow.coverage[y * 10 + x] == (inBlock && !inside ? 255 : 0), "(\(x), \(y))")
            }
        }
        #expect(hollow.left == 3 && hollow.top == -7 && hollow.width == 10)
    }

    /// A stroke two pixels wide has no inside at radius 1: it is all ring and stays as it was.
    @Test func aStrokeThinnerThanTwoRingsStaysSolid() {
        let thin = Self.square(size: 8, from: 3, to: 5)
        #expect(thin.hollowed(1).coverage == thin.coverage)
    }

    /// One inked pixel with a shadow 2 right and 1 down: the sweep steps to (1, 1) and (2, 1)
    /// (1 × 1/2 = 0.5 rounds away from zero), the front stays at (0, 0) and the bitmap grows
    /// right and down by the offset.
    @Test func aShadowIsTheShapeSweptAlongItsOffsetBehindTheFront() {
        let dot = GlyphBitmap(left: 5, top: 9, width: 1, height: 1, coverage: [255])
        let face = GlyphFace.shadowed(offset: (x: 0.2, y: 0.1), ring: nil, shade: 0.5)
        let inked = dot.inked(face, digitHeight: 10, minimumRing: 1)
        #expect(inked.width == 3 && inked.height == 2 && inked.left == 5 && inked.top == 9)
        #expect(inked.coverage == [255, 0, 0, 0, 128, 128])
    }

    /// Cast up and to the left, the bitmap grows that way: its corner moves, the front does not.
    @Test func aShadowCastUpAndLeftMovesTheBitmapsCorner() {
        let dot = GlyphBitmap(left: 5, top: 9, width: 1, height: 1, coverage: [200])
        let inked = dot.inked(.shadowed(offset: (x: -0.1, y: -0.1), ring: nil, shade: 1), digitHeight: 10, minimumRing: 1)
        #expect(inked.left == 4 && inked.top == 8)
        #expect(inked.coverage == [200, 0, 0, 200])
    }

    /// Where the front has ink the shadow is cleared: a hollow front shows paper inside, not
    /// shadow, as in 3D lettering.
    @Test func paperShowsInsideAHollowFrontInsteadOfTheShadow() {
        let block = Self.square(size: 10, from: 2, to: 8)
        let inked = block.inked(.shadowed(offset: (x: 0.1, y: 0.1), ring: 0.1, shade: 1), digitHeight: 10, minimumRing: 1)
        #expect(inked.width == 11 && inked.height == 11)
        // Inside the block (4, 4) is paper; just past its bottom-right corner (8, 8) is shadow.
        #expect(inked.coverage[4 * 11 + 4] == 0)
        #expect(inked.coverage[8 * 11 + 8] == 255)
        #expect(inked.coverage[2 * 11 + 2] == 255)
    }

    /// A ring of 0.01 digit heights on a 10-pixel digit would be a tenth of a pixel: the
    /// minimum ring widens it to the same ring as radius 2.
    @Test func aRingIsNeverThinnerThanTheMinimum() {
        let block = Self.square(size: 12, from: 1, to: 11)
        #expect(block.inked(.hollow(ring: 0.01), digitHeight: 10, minimumRing: 2).coverage == block.hollowed(2).coverage)
    }

    static func print(across: Double = 1, dot: Double, wear: Double = 0, bleed: Double = 0,
                      pins: Int = 9, deadPin: Int? = nil) -> DotMatrixPrint {
        DotMatrixPrint(pitch: 0.25, across: across, dot: dot, wear: wear, jitter: 0, bleed: bleed, secondStrike: nil,
                       pins: pins, deadPin: deadPin, seed: 1)
    }

    /// A solid block of ink whose top left pixel is canvas pixel (left, 0).
    static func block(left: Int = 0, width: Int = 20, height: Int = 20) -> GlyphBitmap {
        GlyphBitmap(left: left, top: 0, width: width, height: height, coverage: [UInt8](repeating: 255, count: width * height))
    }

    /// Ink at canvas pixel (x, y), 0 outside the bitmap.
    static func ink(_ bitmap: GlyphBitmap, _ x: Int, _ y: Int) -> UInt8 {
        let (column, row) = (x - bitmap.left, y - bitmap.top)
        guard (0..<bitmap.width).contains(column), (0..<bitmap.height).contains(row) else { return 0 }
        return bitmap.coverage[row * bitmap.width + column]
    }

    /// A 20×20 square of ink at canvas (0, 0) as dots 5 pixels apart, 3 wide: the head's grid
    /// points are at 2.5, 7.5, 12.5, 17.5 on both axes, so pixels 2, 7, 12, 17 are dot centres
    /// (full ink) and pixels 5, 10, 15, midway, 2.5 from each dot of radius 1.5, are paper.
    @Test func dotMatrixPrintIsAGridOfRoundDots() {
        let dots = Self.block().dotted(Self.print(dot: 0.6), down: 5)
        let centres = [2, 7, 12, 17]
        for y in centres { for x in centres { #expect(Self.ink(dots, x, y) == 255, "dot at (\(x), \(y))") } }
        for y in centres { for x in [5, 10, 15] { #expect(Self.ink(dots, x, y) == 0, "between dots at (\(x), \(y))") } }
        #expect(dots.coverage.filter { $0 > 0 }.count < 20 * 20 / 2)
    }

    /// The grid belongs to the print head, not to the glyph: the same square moved by one
    /// pixel keeps its dots where they were (and gains a column at 22.5 for its pixel at 20).
    @Test func theGridIsFixedToTheLineNotToTheGlyph() {
        let dots = Self.block(left: 1).dotted(Self.print(dot: 0.6), down: 5)
        for x in [2, 7, 12, 17, 22] { #expect(Self.ink(dots, x, 7) == 255, "dot at (\(x), 7)") }
        #expect(Self.ink(dots, 5, 7) == 0)
    }

    /// A dead pin leaves its row blank: pins 0–3 fire rows 0–3, 4–7, …; pin 1 is dead, so the
    /// rows at 7.5 (row 1) and 27.5 (row 5) print nothing and the others print as before.
    @Test func aDeadPinLeavesTheSameRowBlankInEveryGlyph() {
        let dots = Self.block(width: 10, height: 40).dotted(Self.print(dot: 0.6, pins: 4, deadPin: 1), down: 5)
        for y in [2, 12, 17, 22, 32, 37] { #expect(Self.ink(dots, 2, y) == 255, "row at \(y)") }
        for y in [7, 27] { #expect(Self.ink(dots, 2, y) == 0, "dead row at \(y)") }
    }

    /// A stroke one pixel wide, thinner than the grid, still prints: one dot per row, in the
    /// column whose cell (5 to 10) holds it. Worn dots are fainter, never stronger.
    @Test func aStrokeThinnerThanTheGridStillLeavesItsDots() {
        var line = [UInt8](repeating: 0, count: 20 * 20)
        for y in 0..<20 { line[y * 20 + 9] = 255 }
        let bitmap = GlyphBitmap(left: 0, top: 0, width: 20, height: 20, coverage: line)
        let dots = bitmap.dotted(Self.print(dot: 0.6), down: 5)
        for y in [2, 7, 12, 17] {
            #expect(Self.ink(dots, 7, y) == 255)
            #expect(Self.ink(dots, 12, y) == 0 && Self.ink(dots, 2, y) == 0)
        }
        let worn = bitmap.dotted(Self.print(dot: 0.6, wear: 0.6), down: 5)
        #expect(zip(worn.coverage, dots.coverage).allSatisfy { $0 <= $1 })
        #expect(worn.coverage.max()! >= 102 && worn.coverage != dots.coverage)
    }

    /// Ink soaking into the paper joins neighbouring dots. Midway between two dots is paper when
    /// dry (above); with a bleed of 0.3 pitches (σ 1.5 pixels) a lone dot's centre would keep
    /// 1 − e^(−1.5² / (2 · 1.5²)) = 39 % of its ink, the gain restores it, and the same sums
    /// worked out for this grid give 192 of 255 midway and a full centre.
    @Test func bleedingInkMergesNeighbouringDots() {
        let wet = Self.block().dotted(Self.print(dot: 0.6, bleed: 0.3), down: 5)
        #expect((185...199).contains(Self.ink(wet, 5, 7)), "midway: \(Self.ink(wet, 5, 7))")
        #expect(Self.ink(wet, 7, 7) == 255)
    }

    /// Over many strings, a few in a hundred are hollow, shadowed or dot-matrix; most stay solid.
    @Test func mostStringsAreSolidAndSomeHollowShadowedOrDotted() {
        var counts = [0, 0, 0, 0]
        for index in 0..<4000 {
            var rng = SeededRandom(seed: 77).derived(UInt64(index))
            switch GlyphFace.random(&rng).face {
            case .solid: counts[0] += 1
            case .hollow: counts[1] += 1
            case .shadowed: counts[2] += 1
            case .dotMatrix: counts[3] += 1
            }
        }
        #expect((3180...3460).contains(counts[0]), "\(counts)")
        #expect((160...320).contains(counts[1]) && (120...280).contains(counts[2]) && (160...320).contains(counts[3]), "\(counts)")
    }
}
