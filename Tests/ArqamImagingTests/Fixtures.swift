import Foundation

struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

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

    static let expected = Result { try FixtureTensors(contentsOf: folder.appendingPathComponent("expected.safetensors")) }
}

/// A minimal, test-only safetensors reader (section 8 of the reference): u64 LE header
/// length, JSON header, data offsets relative to the end of the header. To be replaced by
/// ArqamNN's reader once it lands.
struct FixtureTensors: Sendable {
    struct Tensor: Sendable {
        let dtype: String
        let shape: [Int]
        let bytes: ArraySlice<UInt8>
    }

    private let tensors: [String: Tensor]

    init(contentsOf url: URL) throws {
        let file = try [UInt8](Data(contentsOf: url))
        guard file.count >= 8 else { throw FixtureError(description: "\(url.path): shorter than 8 bytes") }
        let headerLength = file[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        let dataStart = 8 + headerLength
        guard dataStart <= file.count,
              let header = try JSONSerialization.jsonObject(with: Data(file[8..<dataStart])) as? [String: Any]
        else { throw FixtureError(description: "\(url.path): unreadable header") }
        var tensors: [String: Tensor] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int],
                  offsets.count == 2, dataStart + offsets[1] <= file.count
            else { throw FixtureError(description: "\(url.path): bad entry \(name)") }
            tensors[name] = Tensor(dtype: dtype, shape: shape, bytes: file[(dataStart + offsets[0])..<(dataStart + offsets[1])])
        }
        self.tensors = tensors
    }

    func uint8(_ name: String) throws -> (shape: [Int], values: [UInt8]) {
        let tensor = try self.tensor(name, dtype: "U8")
        return (tensor.shape, Array(tensor.bytes))
    }

    func float32(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let tensor = try self.tensor(name, dtype: "F32")
        let bytes = Array(tensor.bytes)
        let values = stride(from: 0, to: bytes.count, by: 4).map { offset in
            Float(bitPattern: bytes[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
        return (tensor.shape, values)
    }

    private func tensor(_ name: String, dtype: String) throws -> Tensor {
        guard let tensor = tensors[name] else { throw FixtureError(description: "no tensor \(name)") }
        guard tensor.dtype == dtype else { throw FixtureError(description: "\(name) is \(tensor.dtype), not \(dtype)") }
        return tensor
    }
}
