/// Why a picture could not be read or written. Every case names the file (its path, or the
/// name the caller gave for bytes in memory) and its description says what to do next.
public enum ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    case missing(file: String)
    case isDirectory(file: String)
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case notPNG(file: String)
    case truncated(file: String)
    /// CRC mismatch, bad zlib stream, invalid header field…: `detail` is libpng's message.
    case corrupt(file: String, detail: String)
    case tooLarge(file: String, width: Int, height: Int, maxPixels: Int)
    case unencodable(file: String, reason: String)
    case unwritable(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let file):
            "\(file): no such file; check the path."
        case .isDirectory(let file):
            "\(file): is a folder, not a PNG file; give the path of an image inside it."
        case .unreadable(let file, let reason):
            "\(file): cannot be read (\(reason))."
        case .empty(let file):
            "\(file): the file is empty (0 bytes); re-export or re-copy the image."
        case .notPNG(let file):
            "\(file): not a PNG file (it does not start with the PNG signature); convert it to PNG first."
        case .truncated(let file):
            "\(file): the PNG data ends too early (truncated file); re-copy or re-download it."
        case .corrupt(let file, let detail):
            "\(file): the PNG is damaged (\(detail)); re-export or re-copy the image."
        case .tooLarge(let file, let width, let height, let maxPixels):
            "\(file): \(width) × \(height) pixels is more than the limit of \(maxPixels); scale the image down first."
        case .unencodable(let file, let reason):
            "\(file): cannot be encoded as PNG (\(reason))."
        case .unwritable(let file, let reason):
            "\(file): cannot be written (\(reason)); check that the folder exists and is writable."
        }
    }
}
