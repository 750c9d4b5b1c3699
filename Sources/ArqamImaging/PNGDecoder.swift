import CPNG
import Foundation

/// Reads any PNG (every colour type and depth, palette, alpha, Adam7) as 8-bit gray,
/// pixel for pixel what `tf.io.decode_png(channels=1)` gives.
public struct PNGDecoder: Sendable {
    /// Images with more pixels than this are refused from their header, before any
    /// pixel memory is allocated.
    public var maxPixels: Int = 50_000_000

    public init(maxPixels: Int = 50_000_000) {
        self.maxPixels = maxPixels
    }

    public func decode(contentsOf url: URL) throws(ImageError) -> GrayImage {
        let path = url.path
        return try decode(bytes: try readFile(at: path), name: path)
    }

    /// `name` is what errors call the data (a file name, usually).
    public func decode(bytes: [UInt8], name: String) throws(ImageError) -> GrayImage {
        try checkHeader(bytes, name: name)
        let reader = UnsafeMutablePointer<arqam_png_reader>.allocate(capacity: 1)
        reader.initialize(to: arqam_png_reader())
        defer {
            arqam_png_close(reader)
            reader.deallocate()
        }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ImageError) -> GrayImage in
            try check(arqam_png_open(reader, buffer.baseAddress, buffer.count), reader, name)
            return try readPixels(reader, name: name)
        }
    }

    private static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    /// Signature and IHDR size, checked on the bytes themselves before libpng sees them.
    private func checkHeader(_ bytes: [UInt8], name: String) throws(ImageError) {
        guard !bytes.isEmpty else { throw .empty(file: name) }
        guard bytes.prefix(8).elementsEqual(Self.signature.prefix(bytes.count)) else { throw .notPNG(file: name) }
        guard bytes.count >= 24, bytes[12..<16].elementsEqual("IHDR".utf8) else { return }
        let width = bigEndianUInt32(bytes, at: 16)
        let height = bigEndianUInt32(bytes, at: 20)
        // Sizes outside 1 ... 2^31 − 1 are invalid: libpng reports those as corrupt.
        let validSize = 1...Int(Int32.max)
        if validSize.contains(width), validSize.contains(height), width * height > maxPixels {
            throw .tooLarge(file: name, width: width, height: height, maxPixels: maxPixels)
        }
    }

    private func readPixels(_ reader: UnsafeMutablePointer<arqam_png_reader>, name: String) throws(ImageError) -> GrayImage {
        let header = reader.pointee
        let width = Int(header.width), height = Int(header.height)
        guard width * height <= maxPixels else {
            throw .tooLarge(file: name, width: width, height: height, maxPixels: maxPixels)
        }
        guard let colorType = SampleLayout.ColorType(rawValue: Int(header.color_type)) else {
            throw .corrupt(file: name, detail: "unknown colour type \(header.color_type)")
        }
        let layout = SampleLayout(colorType: colorType, bitDepth: Int(header.bit_depth))
        let rowBytes = layout.rowBytes(width: width)
        var raw = [UInt8](repeating: 0, count: rowBytes * height)
        let code = raw.withUnsafeMutableBufferPointer { arqam_png_read_rows(reader, $0.baseAddress, rowBytes) }
        try check(code, reader, name)

        let isColour = colorType == .rgb || colorType == .rgba || colorType == .palette
        // Gray files are never gamma-converted: TensorFlow asks libpng for no gamma correction,
        // and only rgb_to_gray consults the file gamma.
        let gamma = isColour && header.has_gamma != 0
            ? GammaCorrection(fileGamma: header.gamma, bitDepth: layout.bitDepth, significantBits: Int(header.significant_bits))
            : nil
        let palette = withUnsafeBytes(of: header.palette_rgb) { [UInt8]($0) }
        let pixels = raw.withUnsafeBufferPointer { rawPixels in
            GrayConversion.gray(raw: rawPixels, width: width, height: height, rowBytes: rowBytes,
                                layout: layout, paletteRGB: palette, gamma: gamma)
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    private func check(_ code: Int32, _ reader: UnsafeMutablePointer<arqam_png_reader>, _ name: String) throws(ImageError) {
        switch code {
        case Int32(ARQAM_PNG_OK):
            return
        case Int32(ARQAM_PNG_TRUNCATED):
            throw .truncated(file: name)
        case Int32(ARQAM_PNG_OUT_OF_MEMORY):
            throw .unreadable(file: name, reason: "out of memory while decoding; lower PNGDecoder.maxPixels or free memory")
        case Int32(ARQAM_PNG_LAYOUT_MISMATCH):
            throw .corrupt(file: name, detail: "libpng's row size disagrees with the header")
        default:
            let message = withUnsafeBytes(of: reader.pointee.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw .corrupt(file: name, detail: message.isEmpty ? "libpng gave no reason" : message)
        }
    }
}

private func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> Int {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
}
