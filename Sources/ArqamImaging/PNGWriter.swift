import CPNG
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

func libpngMessage(_ message: [CChar]) -> String {
    let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return text.isEmpty ? "libpng gave no reason" : text
}

func systemError() -> String {
    String(cString: strerror(errno))
}

func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    let folder = (path as NSString).deletingLastPathComponent
    let leaf = (path as NSString).lastPathComponent
    var template = Array("\(folder.isEmpty ? "." : folder)/.\(leaf).XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw .unwritable(file: path, reason: systemError()) }
    let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var failure: String?
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = systemError()
                return
            }
            offset += written
        }
    }
    // mkstemp creates the file readable by its owner only; an image is an ordinary file.
    if failure == nil, fchmod(descriptor, 0o644) != 0 { failure = systemError() }
    if close(descriptor) != 0, failure == nil { failure = systemError() }
    if failure == nil, rename(temporaryPath, path) != 0 { failure = systemError() }
    if let failure {
        unlink(temporaryPath)
        throw .unwritable(file: path, reason: failure)
    }
}

