import Foundation
import Testing
@testable import ArqamImaging

// Bad input must end in an ImageError (or, for damage that still decodes, an image) —
// never a crash or a hang.

/// Numerical Recipes' 32-bit LCG: a fixed, seedable stream for the fuzz cases.
private struct LCG {
    var state: UInt32
    mutating func next(below bound: Int) -> Int {
        state = state &* 1_664_525 &+ 1_013_904_223
        return Int(state >> 8) % bound
    }
}

private func outcome(_ bytes: [UInt8], name: String = "damaged.png") -> Result<GrayImage, ImageError> {
    Result { () throws(ImageError) in try PNGDecoder().decode(bytes: bytes, name: name) }
}

@Test(arguments: Fixtures.stems)
func everyNinetySeventhTruncationIsReportedAsTruncated(stem: String) throws {
    let bytes = try Fixtures.imageBytes(stem)
    for length in stride(from: 0, to: bytes.count, by: 97) {
        switch outcome(Array(bytes.prefix(length)), name: stem) {
        case .failure(.empty) where length == 0, .failure(.truncated):
            continue
        case let other:
            Issue.record("\(stem) cut to \(length) of \(bytes.count) bytes: \(other)")
        }
    }
}

/// Chunk bodies (not lengths or types) of a PNG: where flipped bytes reach zlib and the filters.
private func chunkBodies(_ bytes: [UInt8]) -> [(body: Range<Int>, crc: Int)] {
    var chunks: [(body: Range<Int>, crc: Int)] = []
    var offset = 8
    while offset + 12 <= bytes.count {
        let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        let body = (offset + 8)..<(offset + 8 + length)
        guard body.upperBound + 4 <= bytes.count else { break }
        chunks.append((body, body.upperBound))
        offset = body.upperBound + 4
    }
    return chunks
}

@Test(arguments: Fixtures.stems)
func randomByteFlipsNeverCrash(stem: String) throws {
    let original = try Fixtures.imageBytes(stem)
    let chunks = chunkBodies(original).filter { !$0.body.isEmpty }
    var random = LCG(state: 20_241_125)
    for trial in 0..<40 {
        var bytes = original
        for _ in 0...random.next(below: 4) {
            bytes[random.next(below: bytes.count)] ^= UInt8(1 + random.next(below: 255))
        }
        // Half the trials damage one chunk body and repair its CRC, so the damage gets
        // past the CRC check into zlib, the filters and the header fields.
        if trial % 2 == 1 {
            bytes = original
            let chunk = chunks[random.next(below: chunks.count)]
            for _ in 0...random.next(below: 4) {
                bytes[chunk.body.lowerBound + random.next(below: chunk.body.count)] ^= UInt8(1 + random.next(below: 255))
            }
            let crc = PNGCrafter.bigEndian(PNGCrafter.crc32(bytes[(chunk.body.lowerBound - 4)..<chunk.body.upperBound]))
            bytes.replaceSubrange(chunk.crc..<(chunk.crc + 4), with: crc)
        }
        if case .success(let image) = outcome(bytes) {
            #expect(image.pixels.count == image.width * image.height)
        }
    }
}

@Test func hugeDimensionsAreRefusedFromTheHeader() {
    // A valid IHDR (correct CRC) claiming 100,000 × 100,000 = 10^10 pixels, then 1 byte of data.
    let bytes = PNGCrafter.png(width: 100_000, height: 100_000, bitDepth: 8, colorType: 0, scanlines: [[0]])
    #expect(throws: ImageError.tooLarge(file: "huge.png", width: 100_000, height: 100_000, maxPixels: 50_000_000)) {
        try PNGDecoder().decode(bytes: bytes, name: "huge.png")
    }
    // The header alone, without image data, is refused the same way.
    #expect(throws: ImageError.tooLarge(file: "huge.png", width: 100_000, height: 100_000, maxPixels: 50_000_000)) {
        try PNGDecoder().decode(bytes: Array(bytes.prefix(33)), name: "huge.png")
    }
}

@Test func impossibleDimensionsAreReportedAsCorrupt() {
    // 2^32 − 1 on each side is beyond the PNG limit of 2^31 − 1, and 0 is not a size.
    for (width, height) in [(UInt32.max, UInt32.max), (0, 10)] {
        let bytes = PNGCrafter.png(width: width, height: height, bitDepth: 8, colorType: 0, scanlines: [[0]])
        guard case .failure(.corrupt) = outcome(bytes) else {
            Issue.record("\(width) × \(height) was not reported as corrupt")
            continue
        }
    }
}

@Test func thePixelLimitIsInclusive() throws {
    let bytes = try Fixtures.imageBytes("gray8_w200_h50")  // 10,000 pixels
    #expect(try PNGDecoder(maxPixels: 10_000).decode(bytes: bytes, name: "a.png").width == 200)
    #expect(throws: ImageError.tooLarge(file: "a.png", width: 200, height: 50, maxPixels: 9_999)) {
        try PNGDecoder(maxPixels: 9_999).decode(bytes: bytes, name: "a.png")
    }
}

private func idatChunk(_ bytes: [UInt8]) -> (body: Range<Int>, crc: Int)? {
    chunkBodies(bytes).first { bytes[($0.body.lowerBound - 4)..<$0.body.lowerBound].elementsEqual("IDAT".utf8) }
}

@Test func crcMismatchIsReportedAsCorruptWithLibpngsReason() throws {
    var bytes = try Fixtures.imageBytes("gray8_w200_h50")
    let idat = try #require(idatChunk(bytes))
    bytes[idat.crc + 2] ^= 0x40
    #expect(throws: ImageError.corrupt(file: "bad-crc.png", detail: "IDAT: CRC error")) {
        try PNGDecoder().decode(bytes: bytes, name: "bad-crc.png")
    }
}

@Test func damagedImageDataIsReportedAsCorrupt() throws {
    // libpng inflates IDAT data as it arrives, so zlib notices the damage before the CRC.
    var bytes = try Fixtures.imageBytes("gray8_w200_h50")
    let idat = try #require(idatChunk(bytes))
    bytes[idat.body.lowerBound + 10] ^= 0x40
    guard case .failure(.corrupt(let file, let detail)) = outcome(bytes, name: "bad-data.png") else {
        Issue.record("damaged image data was not reported as corrupt")
        return
    }
    #expect(file == "bad-data.png")
    #expect(detail.hasPrefix("IDAT: "))
}

@Test func nonPNGDataIsNamedAsSuch() {
    let jpegStart: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46]
    #expect(throws: ImageError.notPNG(file: "photo.jpg")) { try PNGDecoder().decode(bytes: jpegStart, name: "photo.jpg") }
    let almostSignature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 11]
    #expect(throws: ImageError.notPNG(file: "x")) { try PNGDecoder().decode(bytes: almostSignature, name: "x") }
    // A prefix of the signature is the start of a PNG that was cut short.
    #expect(throws: ImageError.truncated(file: "x")) { try PNGDecoder().decode(bytes: [137, 80], name: "x") }
}

@Test func fileProblemsAreNamedAndExplained() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-decoder-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = folder.appendingPathComponent("empty.png")
    try Data().write(to: empty)
    let missing = folder.appendingPathComponent("missing.png")

    #expect(throws: ImageError.empty(file: empty.path)) { try PNGDecoder().decode(contentsOf: empty) }
    #expect(throws: ImageError.isDirectory(file: folder.path)) { try PNGDecoder().decode(contentsOf: folder) }
    #expect(throws: ImageError.missing(file: missing.path)) { try PNGDecoder().decode(contentsOf: missing) }
    #expect(ImageError.missing(file: missing.path).description.contains("missing.png"))
}
