import ArqamNN
import Foundation

/// The oracle fixtures in Tests/Fixtures (made with TensorFlow; see REFERENCE.md there).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The 14 reference image stems, in `images/labels.json` order.
    static let stems = [
        "gray8_w200_h50", "rgb8_w640_h120", "gray_alpha8_w300_h60", "rgba8_w150_h37",
        "palette4_trns_w237_h61", "gray16_w50_h200", "rgb16_w320_h80", "gray8_adam7_w412_h97",
        "rgb8_adam7_w120_h640", "gray1_w180_h45", "rgb8_srgb_w260_h64", "gray8_w1_h1",
        "gradient_rgb8_w37_h150", "noise_gray8_w300_h60",
    ]

    static func image(_ stem: String) -> URL {
        folder.appendingPathComponent("images").appendingPathComponent("\(stem).png")
    }

    static func imageBytes(_ stem: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: image(stem)))
    }

    static let expected = Result { try SafeTensorsFile(contentsOf: folder.appendingPathComponent("expected.safetensors")) }
}
