/// Builds PNG files byte by byte for the flavours the reference images do not cover and for
/// damaged files. Image data is stored (uncompressed deflate blocks), so every byte is known.
enum PNGCrafter {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typeAndBody = Array(type.utf8) + body
        return bigEndian(UInt32(body.count)) + typeAndBody + bigEndian(crc32(typeAndBody))
    }

    static func header(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8, interlaced: Bool = false) -> [UInt8] {
        chunk("IHDR", bigEndian(width) + bigEndian(height) + [bitDepth, colorType, 0, 0, interlaced ? 1 : 0])
    }

    /// A zlib stream of stored deflate blocks (RFC 1950/1951) holding `data`.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let count = min(65535, data.count - start)
            let isLast: UInt8 = start + count == data.count ? 1 : 0
            stream += [isLast, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            stream += data[start..<(start + count)]
            start += count
        } while start < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return stream + bigEndian(b << 16 | a)
    }

    /// A complete PNG. `scanlines` are the filtered rows, each starting with its filter-type
    /// byte, in file order (for Adam7: the passes one after another). `extra` chunks go
    /// between IHDR and IDAT.
    static func png(width: UInt32, height: UInt32, bitDepth: UInt8, colorType: UInt8, interlaced: Bool = false,
                    scanlines: [[UInt8]], extra: [[UInt8]] = []) -> [UInt8] {
        signature
            + header(width: width, height: height, bitDepth: bitDepth, colorType: colorType, interlaced: interlaced)
            + extra.joined()
            + chunk("IDAT", zlibStored(Array(scanlines.joined())))
            + chunk("IEND", [])
    }

    /// Unfiltered scanlines (filter type 0) for rows of already packed sample bytes.
    static func unfiltered(_ rows: [[UInt8]]) -> [[UInt8]] {
        rows.map { [0] + $0 }
    }

    /// Adam7 scanlines (filter type 0) for an image given as rows of samples, one sample per
    /// element, packed at `bitDepth` bits (1, 2, 4 or 8).
    static func adam7Scanlines(_ samples: [[UInt8]], bitDepth: Int) -> [[UInt8]] {
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var scanlines: [[UInt8]] = []
        for (x0, y0, dx, dy) in passes {
            for y in stride(from: y0, to: samples.count, by: dy) {
                let row = Array(stride(from: x0, to: samples[y].count, by: dx).map { samples[y][$0] })
                if !row.isEmpty { scanlines.append([0] + pack(row, bitDepth: bitDepth)) }
            }
        }
        return scanlines
    }

    static func pack(_ samples: [UInt8], bitDepth: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (samples.count * bitDepth + 7) / 8)
        for (index, sample) in samples.enumerated() {
            let bit = index * bitDepth
            bytes[bit / 8] |= sample << UInt8(8 - bitDepth - bit % 8)
        }
        return bytes
    }
}
