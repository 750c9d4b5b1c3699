import Testing
@testable import ArqamImaging

// Hand-worked cases for the PNG flavours the 14 reference images do not contain, by the
// rules of section 3.2 of the reference (weights 9797, 19234, 3737).

private func decode(_ bytes: [UInt8]) throws -> GrayImage {
    try PNGDecoder().decode(bytes: bytes, name: "crafted.png")
}

@Test func lowDepthGrayIsScaledTo8Bits() throws {
    // 2-bit samples 0, 1, 2, 3 packed MSB first = 0b00_01_10_11: ·85.
    let twoBit = PNGCrafter.png(width: 4, height: 1, bitDepth: 2, colorType: 0, scanlines: [[0, 0x1B]])
    #expect(try decode(twoBit).pixels == [0, 85, 170, 255])
    // 4-bit samples 0, 7, 15: ·17.
    let fourBit = PNGCrafter.png(width: 3, height: 1, bitDepth: 4, colorType: 0, scanlines: [[0, 0x07, 0xF0]])
    #expect(try decode(fourBit).pixels == [0, 119, 255])
}

@Test func grayTransparencyIsIgnored() throws {
    let tRNS = PNGCrafter.chunk("tRNS", [0, 50])  // gray 50 declared transparent
    let bytes = PNGCrafter.png(width: 2, height: 1, bitDepth: 8, colorType: 0, scanlines: [[0, 50, 51]], extra: [tRNS])
    #expect(try decode(bytes).pixels == [50, 51])
}

@Test func sixteenBitGrayAlphaKeepsTheHighByteOfGray() throws {
    // (gray 0xABCD, alpha 0), (gray 0x00FF, alpha 0xFFFF)
    let bytes = PNGCrafter.png(width: 2, height: 1, bitDepth: 16, colorType: 4,
                               scanlines: [[0, 0xAB, 0xCD, 0, 0, 0x00, 0xFF, 0xFF, 0xFF]])
    #expect(try decode(bytes).pixels == [0xAB, 0x00])
}

@Test func sixteenBitColourMixesBeforeDroppingTheLowByte() throws {
    // (65535, 0, 0): (9797·65535 + 16384) >> 15 = 19594, >> 8 = 76.
    // (0x1280, 0x34FF, 0x5601): 16-bit mix 11998 → 46, where mixing the high bytes
    // (0x12, 0x34, 0x56) would give 45. Alpha 0 is ignored.
    let bytes = PNGCrafter.png(width: 2, height: 1, bitDepth: 16, colorType: 6, scanlines: [[
        0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0,
        0x12, 0x80, 0x34, 0xFF, 0x56, 0x01, 0, 0,
    ]])
    #expect(try decode(bytes).pixels == [76, 46])
}

@Test func paletteEntriesAreMixedAndTransparencyIgnored() throws {
    // Entries red, green, blue, (10, 20, 30): ⌊9797·255 / 2^15⌋ = 76, ⌊19234·255 / 2^15⌋ = 149,
    // ⌊3737·255 / 2^15⌋ = 29, ⌊(9797·10 + 19234·20 + 3737·30) / 2^15⌋ = 18.
    let plte = PNGCrafter.chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
    let tRNS = PNGCrafter.chunk("tRNS", [0, 0, 0, 0])
    let bytes = PNGCrafter.png(width: 4, height: 1, bitDepth: 2, colorType: 3,
                               scanlines: [[0, 0b00_01_10_11]], extra: [plte, tRNS])
    #expect(try decode(bytes).pixels == [76, 149, 29, 18])
}

@Test func averageFilterIsUndone() throws {
    // Row 1 [40, 50, 60] under filter 3: each byte minus ⌊(left + above) / 2⌋:
    // 40 − ⌊(0 + 10)/2⌋ = 35, 50 − ⌊(40 + 20)/2⌋ = 20, 60 − ⌊(50 + 30)/2⌋ = 20.
    let bytes = PNGCrafter.png(width: 3, height: 2, bitDepth: 8, colorType: 0,
                               scanlines: [[0, 10, 20, 30], [3, 35, 20, 20]])
    #expect(try decode(bytes).pixels == [10, 20, 30, 40, 50, 60])
}

@Test(arguments: [1, 2, 4, 8])
func adam7InterlacedGrayEqualsTheSamePixelsStoredPlainly(bitDepth: Int) throws {
    let (width, height) = (13, 11)  // not multiples of 8: some passes have short rows
    let maximum = (1 << bitDepth) - 1
    let samples = (0..<height).map { y in (0..<width).map { x in UInt8((x * 7 + y * 3) % (maximum + 1)) } }
    let interlaced = PNGCrafter.png(width: UInt32(width), height: UInt32(height), bitDepth: UInt8(bitDepth), colorType: 0,
                                    interlaced: true, scanlines: PNGCrafter.adam7Scanlines(samples, bitDepth: bitDepth))
    let plain = PNGCrafter.png(width: UInt32(width), height: UInt32(height), bitDepth: UInt8(bitDepth), colorType: 0,
                               scanlines: PNGCrafter.unfiltered(samples.map { PNGCrafter.pack($0, bitDepth: bitDepth) }))
    let expected = samples.joined().map { UInt8(Int($0) * 255 / maximum) }
    #expect(try decode(interlaced).pixels == expected)
    #expect(try decode(plain).pixels == expected)
}

private func rgbPixel(_ extra: [[UInt8]]) -> [UInt8] {
    PNGCrafter.png(width: 2, height: 1, bitDepth: 8, colorType: 2, scanlines: [[0, 64, 128, 200, 90, 90, 90]], extra: extra)
}

private func gAMA(_ gamma: UInt32) -> [UInt8] {
    PNGCrafter.chunk("gAMA", PNGCrafter.bigEndian(gamma))
}

@Test func fileGammaSelectsTheLinearLightMix() throws {
    // (64, 128, 200) plain: ⌊(9797·64 + 19234·128 + 3737·200) / 2^15⌋ = 117.
    // With γ = 45455: toLinear = 12, 56, 149 (reference check values); the rounded mix is 53,
    // and fromLinear[53] = ⌊255·(53/255)^0.45455 + 0.5⌋ = 125. Gray pixels (90, 90, 90) pass as 90.
    #expect(try decode(rgbPixel([])).pixels == [117, 90])
    #expect(try decode(rgbPixel([gAMA(100_000)])).pixels == [117, 90])
    #expect(try decode(rgbPixel([gAMA(45455)])).pixels == [125, 90])
    #expect(try decode(rgbPixel([PNGCrafter.chunk("sRGB", [0])])).pixels == [125, 90])
}

@Test func gammaNearOneIsIgnoredLikeLibpngDoes() throws {
    // 104000 and its reciprocal 96154 are both within libpng's ±5000 threshold.
    #expect(try decode(rgbPixel([gAMA(104_000)])).pixels == [117, 90])
}

@Test func grayFilesAreNeverGammaConverted() throws {
    let bytes = PNGCrafter.png(width: 2, height: 1, bitDepth: 8, colorType: 0, scanlines: [[0, 64, 200]], extra: [gAMA(45455)])
    #expect(try decode(bytes).pixels == [64, 200])
}

@Test func unrecognisedICCProfileLeavesTheGammaAlone() throws {
    // A profile libpng cannot use (too short) is dropped with a warning; a gAMA chunk still counts.
    let iCCP = PNGCrafter.chunk("iCCP", Array("junk".utf8) + [0, 0] + PNGCrafter.zlibStored(Array(repeating: 7, count: 40)))
    #expect(try decode(rgbPixel([iCCP])).pixels == [117, 90])
    #expect(try decode(rgbPixel([gAMA(45455), iCCP])).pixels == [125, 90])
}
