import CPNG
import Foundation

/// Writes 8-bit gray PNGs through libpng.
public enum PNGWriter {
    /// The PNG file bytes of `image` (colour type 0, depth 8, not interlaced).
    public static func encode(_ image: GrayImage) throws(ImageError) -> [UInt8] {
        try encode(image, name: "image in memory")
    }

    /// Writes `image` to `url` atomically: the bytes go to a temporary file in the same
    /// folder, which is then renamed over `url`, so a reader never sees half a file.
    public static func write(_ image: GrayImage, to url: URL) throws(ImageError) {
        let path = url.path
        let bytes = try encode(image, name: path)
        try writeFileAtomically(bytes, to: path)
    }

    static func encode(_ image: GrayImage, name: String) throws(ImageError) -> [UInt8] {
        guard image.width > 0, image.height > 0 else {
            throw .unencodable(file: name, reason: "a PNG needs at least 1 × 1 pixels, this image is \(image.width) × \(image.height)")
        }
        guard let width = UInt32(exactly: image.width), let height = UInt32(exactly: image.height) else {
            throw .unencodable(file: name, reason: "\(image.width) × \(image.height) pixels exceeds the PNG size limit")
        }
        var sink = arqam_png_sink(data: nil, count: 0, capacity: 0)
        defer { arqam_png_sink_free(&sink) }
        var message = [CChar](repeating: 0, count: Int(ARQAM_PNG_MESSAGE_CAPACITY))
        let code = image.pixels.withUnsafeBufferPointer { pixels in
            arqam_png_encode_gray8(pixels.baseAddress, width, height, &sink, &message)
        }
        guard code == Int32(ARQAM_PNG_OK), let data = sink.data else {
            throw .unencodable(file: name, reason: code == Int32(ARQAM_PNG_OUT_OF_MEMORY) ? "out of memory" : libpngMessage(message))
        }
        return Array(UnsafeBufferPointer(start: data, count: sink.count))
    }
}

private func libpngMessage(_ message: [CChar]) -> String {
    let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return text.isEmpty ? "libpng gave no reason" : text
}
