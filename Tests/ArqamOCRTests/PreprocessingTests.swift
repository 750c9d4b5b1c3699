import ArqamNN
import ArqamImaging
import Foundation
import Testing
@testable import ArqamOCR

private let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

private let stems = [
    "gray8_w200_h50", "rgb8_w640_h120", "gray_alpha8_w300_h60", "rgba8_w150_h37",
    "palette4_trns_w237_h61", "gray16_w50_h200", "rgb16_w320_h80", "gray8_adam7_w412_h97",
    "rgb8_adam7_w120_h640", "gray1_w180_h45", "rgb8_srgb_w260_h64", "gray8_w1_h1",
    "gradient_rgb8_w37_h150", "noise_gray8_w300_h60",
]

private let expected = Result { try SafeTensorsFile(contentsOf: fixtures.appendingPathComponent("expected.safetensors")) }

/// `<stem>/input` in expected.safetensors is TensorFlow's model input for each image.
@Test(arguments: stems)
func modelInputEqualsTensorFlowBitForBit(stem: String) throws {
    let reference = try expected.get().float32("\(stem)/input")
    #expect(reference.shape == [Preprocessing.width, Preprocessing.height])
    let image = try PNGDecoder().decode(contentsOf: fixtures.appendingPathComponent("images/\(stem).png"))
    let input = Preprocessing.modelInput(from: image)
    #expect(input.count == reference.scalars.count)
    let differing = zip(input, reference.scalars).filter { $0.bitPattern != $1.bitPattern }.count
    let maxAbsDiff = zip(input, reference.scalars).map { abs($0 - $1) }.max() ?? 0
    #expect(maxAbsDiff <= 1e-6, "\(stem): max abs diff \(maxAbsDiff)")
    #expect(differing == 0, "\(stem): \(differing) of \(input.count) values not bit-identical, max abs diff \(maxAbsDiff)")
}

@Test func modelInputIsTransposedSoTimeRunsAlongColumns() {
    // A 200 × 50 image is not resized: input[t * 50 + y] is pixel (x = t, y).
    var image = GrayImage(width: 200, height: 50, pixels: Array(repeating: 0, count: 10_000))
    image[3, 7] = 255  // (x, y)
    let input = Preprocessing.modelInput(from: image)
    #expect(input[3 * 50 + 7] == 255 * GrayImage.unitScale)
    #expect(input.filter { $0 != 0 }.count == 1)
}
