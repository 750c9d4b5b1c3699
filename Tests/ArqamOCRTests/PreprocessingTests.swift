import ArqamImaging
import Foundation
import Testing
@testable import ArqamOCR

/// A minimal, test-only reader for the F32 tensors of a safetensors file (section 8 of the
/// reference). To be replaced by ArqamNN's reader once it lands.
private func readFloatTensors(_ url: URL) throws -> [String: (shape: [Int], values: [Float])] {
    let file = try [UInt8](Data(contentsOf: url))
    let headerLength = file[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
    let dataStart = 8 + headerLength
    let header = try #require(try JSONSerialization.jsonObject(with: Data(file[8..<dataStart])) as? [String: Any])
    var tensors: [String: (shape: [Int], values: [Float])] = [:]
    for (name, value) in header {
        guard let entry = value as? [String: Any], entry["dtype"] as? String == "F32",
              let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int] else { continue }
        let bytes = file[(dataStart + offsets[0])..<(dataStart + offsets[1])]
        let values = stride(from: bytes.startIndex, to: bytes.endIndex, by: 4).map { offset in
            Float(bitPattern: bytes[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
        tensors[name] = (shape, values)
    }
    return tensors
}

private let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

private let stems = [
    "gray8_w200_h50", "rgb8_w640_h120", "gray_alpha8_w300_h60", "rgba8_w150_h37",
    "palette4_trns_w237_h61", "gray16_w50_h200", "rgb16_w320_h80", "gray8_adam7_w412_h97",
    "rgb8_adam7_w120_h640", "gray1_w180_h45", "rgb8_srgb_w260_h64", "gray8_w1_h1",
    "gradient_rgb8_w37_h150", "noise_gray8_w300_h60",
]

private let expected = Result { try readFloatTensors(fixtures.appendingPathComponent("expected.safetensors")) }

/// `<stem>/input` in expected.safetensors is TensorFlow's model input for each image.
@Test(arguments: stems)
func modelInputEqualsTensorFlowBitForBit(stem: String) throws {
    let reference = try #require(try expected.get()["\(stem)/input"])
    #expect(reference.shape == [Preprocessing.width, Preprocessing.height])
    let image = try PNGDecoder().decode(contentsOf: fixtures.appendingPathComponent("images/\(stem).png"))
    let input = Preprocessing.modelInput(from: image)
    #expect(input.count == reference.values.count)
    let differing = zip(input, reference.values).filter { $0.bitPattern != $1.bitPattern }.count
    let maxAbsDiff = zip(input, reference.values).map { abs($0 - $1) }.max() ?? 0
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
