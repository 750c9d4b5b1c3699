import CPNG
import Foundation
import Testing
@testable import ArqamImaging

/// Decodes with libpng's simplified API, which shares no code with PNGDecoder: an
/// independent reader for the round trips.
private func decodeWithSimplifiedLibpng(_ bytes: [UInt8]) -> GrayImage? {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    let begun = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
    guard begun != 0, image.format == UInt32(PNG_FORMAT_GRAY) else { return nil }
    var pixels = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height))
    let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
    png_image_free(&image)
    guard finished != 0 else { return nil }
    return GrayImage(width: Int(image.width), height: Int(image.height), pixels: pixels)
}

private func patterned(width: Int, height: Int, seed: UInt32) -> GrayImage {
    var state = seed
    var pixels = [UInt8](repeating: 0, count: width * height)
    for index in pixels.indices {
        state = state &* 1_664_525 &+ 1_013_904_223  // Numerical Recipes LCG
        pixels[index] = UInt8(truncatingIfNeeded: state >> 24)
    }
    return GrayImage(width: width, height: height, pixels: pixels)
}

private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-imaging-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Test(arguments: [(1, 1), (200, 50), (37, 150), (641, 3)])
func encodedPNGDecodesToTheSamePixels(width: Int, height: Int) throws {
    let image = patterned(width: width, height: height, seed: UInt32(width * 1000 + height))
    let bytes = try PNGWriter.encode(image)
    #expect(Array(bytes.prefix(8)) == [137, 80, 78, 71, 13, 10, 26, 10])
    // IHDR right after the signature: width, height, depth 8, colour type 0 (gray).
    #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
    #expect(Array(bytes[24..<26]) == [8, 0])
    #expect(decodeWithSimplifiedLibpng(bytes) == image)
    #expect(try PNGDecoder().decode(bytes: bytes, name: "round trip") == image)
}

@Test func writeReplacesTheFileAtomicallyAndLeavesNoTemporaryFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("out.png")
    try Data("old content".utf8).write(to: url)

    let image = patterned(width: 30, height: 20, seed: 7)
    try PNGWriter.write(image, to: url)

    let written = try [UInt8](Data(contentsOf: url))
    #expect(written == (try PNGWriter.encode(image)))
    #expect(decodeWithSimplifiedLibpng(written) == image)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.png"])
}

@Test func emptyImageIsRefusedWithAReason() {
    #expect(throws: ImageError.self) { try PNGWriter.encode(GrayImage(width: 0, height: 0, pixels: [])) }
}

@Test func writingIntoAMissingFolderFailsAndNamesTheFile() throws {
    let url = URL(fileURLWithPath: "/nonexistent-arqam-folder/out.png")
    do {
        try PNGWriter.write(GrayImage(width: 1, height: 1, pixels: [0]), to: url)
        Issue.record("writing into a missing folder succeeded")
    } catch {
        guard case .unwritable(let file, _) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(file == url.path)
        #expect(error.description.contains("out.png"))
    }
}
