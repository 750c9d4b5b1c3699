import Foundation
import Testing
@testable import ArqamImaging

/// `<stem>/gray` in expected.safetensors is tf.io.decode_png(channels=1) of each image.
@Test(arguments: Fixtures.stems)
func decodedGrayEqualsTensorFlowBitForBit(stem: String) throws {
    let expected = try Fixtures.expected.get().uint8("\(stem)/gray")
    let image = try PNGDecoder().decode(contentsOf: Fixtures.image(stem))
    #expect([image.height, image.width] == expected.shape)
    let differing = zip(image.pixels, expected.values).filter { $0 != $1 }.count
    #expect(image.pixels.count == expected.values.count)
    #expect(differing == 0, "\(stem): \(differing) pixels differ from TensorFlow")
}

@Test func decodingBytesInMemoryEqualsDecodingTheFile() throws {
    let stem = "palette4_trns_w237_h61"
    let fromFile = try PNGDecoder().decode(contentsOf: Fixtures.image(stem))
    let fromBytes = try PNGDecoder().decode(bytes: Fixtures.imageBytes(stem), name: stem)
    #expect(fromFile == fromBytes)
}

/// Check values from section 3.2 of the reference, for γ = 45455 (sRGB).
@Test func srgbGammaTablesMatchTheReferenceCheckValues() {
    let toLinearGamma = GammaCorrection.reciprocal(45455)
    #expect(toLinearGamma == 219_998)
    let toLinear = GammaCorrection.table8(toLinearGamma)
    let fromLinear = GammaCorrection.table8(GammaCorrection.reciprocal(toLinearGamma))
    let probes = [1, 10, 64, 128, 200, 254]
    #expect(probes.map { toLinear[$0] } == [0, 0, 12, 56, 149, 253])
    #expect(probes.map { fromLinear[$0] } == [21, 59, 136, 186, 228, 255])
    #expect(toLinear.reduce(0) { $0 + Int($1) } == 20443)
    #expect(fromLinear.reduce(0) { $0 + Int($1) } == 44824)
}
