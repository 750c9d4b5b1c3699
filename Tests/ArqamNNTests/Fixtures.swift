import Foundation
@testable import ArqamNN

/// The oracle fixtures in Tests/Fixtures (made by TensorFlow/Keras, see REFERENCE.md there).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    static func file(_ name: String) throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: url(name))
    }

    /// The 14 test image stems, in `labels.json` order.
    static let stems = [
        "gray8_w200_h50", "rgb8_w640_h120", "gray_alpha8_w300_h60", "rgba8_w150_h37",
        "palette4_trns_w237_h61", "gray16_w50_h200", "rgb16_w320_h80", "gray8_adam7_w412_h97",
        "rgb8_adam7_w120_h640", "gray1_w180_h45", "rgb8_srgb_w260_h64", "gray8_w1_h1",
        "gradient_rgb8_w37_h150", "noise_gray8_w300_h60",
    ]

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-nn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    var result: Float = 0
    for index in a.indices { result = max(result, abs(a[index] - b[index])) }
    return result
}

func maxAbs(_ a: [Float]) -> Float { a.reduce(0) { max($0, abs($1)) } }
