/// How the samples of one untransformed PNG row are laid out (IHDR colour type and depth).
struct SampleLayout: Sendable {
    enum ColorType: Int, Sendable {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6
    }

    let colorType: ColorType
    let bitDepth: Int

    var channels: Int {
        switch colorType {
        case .gray, .palette: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    func rowBytes(width: Int) -> Int {
        (width * channels * bitDepth + 7) / 8
    }
}

/// PNG samples → 8-bit gray exactly as `tf.io.decode_png(channels=1)` (libpng's
/// rgb_to_gray with TF's 0.299 / 0.587 in 15-bit fixed point), per section 3.2 of the
/// reference: alpha and tRNS dropped, 16-bit gray keeps the high byte, 8-bit colour mixes
/// with truncation, 16-bit colour mixes with rounding before taking the high byte.
enum GrayConversion {
    static let redWeight: UInt32 = 9797      // ⌊29900 · 32768 / 100000⌋
    static let greenWeight: UInt32 = 19234   // ⌊58700 · 32768 / 100000⌋
    /// 32768 − both = 3737, as libpng computes it (the reference README's "13737" is a typo:
    /// the three weights must sum to 32768).
    static let blueWeight: UInt32 = 32768 - redWeight - greenWeight

    @inline(__always)
    static func mix8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let sum = redWeight * UInt32(r) + greenWeight * UInt32(g) + blueWeight * UInt32(b)
        return UInt8(truncatingIfNeeded: sum >> 15)
    }

    @inline(__always)
    static func mix16(_ r: UInt32, _ g: UInt32, _ b: UInt32) -> UInt8 {
        let gray16 = (redWeight * r + greenWeight * g + blueWeight * b + 16384) >> 15
        return UInt8(truncatingIfNeeded: gray16 >> 8)
    }

    /// Converts `height` rows of `rowBytes` raw bytes each into width × height gray pixels.
    /// `paletteRGB` holds 256 RGB triples; `gamma` is the file gamma when the gamma path applies.
    static func gray(
        raw: UnsafeBufferPointer<UInt8>, width: Int, height: Int, rowBytes: Int,
        layout: SampleLayout, paletteRGB: [UInt8], gamma: GammaCorrection?
    ) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height)
        let paletteGray = layout.colorType == .palette ? paletteGrays(paletteRGB, gamma: gamma) : []
        pixels.withUnsafeMutableBufferPointer { output in
            for y in 0..<height {
                let row = UnsafeBufferPointer(rebasing: raw[(y * rowBytes)..<((y + 1) * rowBytes)])
                let out = UnsafeMutableBufferPointer(rebasing: output[(y * width)..<((y + 1) * width)])
                convertRow(row, into: out, layout: layout, paletteGray: paletteGray, gamma: gamma)
            }
        }
        return pixels
    }

    private static func paletteGrays(_ rgb: [UInt8], gamma: GammaCorrection?) -> [UInt8] {
        (0..<256).map { index in
            let (r, g, b) = (rgb[3 * index], rgb[3 * index + 1], rgb[3 * index + 2])
            return gamma?.gray(r, g, b) ?? mix8(r, g, b)
        }
    }

    private static func convertRow(
        _ row: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>,
        layout: SampleLayout, paletteGray: [UInt8], gamma: GammaCorrection?
    ) {
        let width = out.count
        let depth = layout.bitDepth
        switch (layout.colorType, depth) {
        case (.gray, 8), (.grayAlpha, 8), (.gray, 16), (.grayAlpha, 16):
            // The gray sample, or its high (first, big-endian) byte, starts every pixel.
            let stride = layout.channels * depth / 8
            for x in 0..<width { out[x] = row[x * stride] }
        case (.gray, _):
            let mask = (1 << depth) - 1
            let scale = 255 / mask  // 1-bit ·255, 2-bit ·85, 4-bit ·17
            for x in 0..<width { out[x] = UInt8(packedSample(row, x, depth) * scale) }
        case (.palette, _):
            paletteGray.withUnsafeBufferPointer { grays in
                for x in 0..<width { out[x] = grays[packedSample(row, x, depth)] }
            }
        case (.rgb, 8), (.rgba, 8):
            let stride = layout.channels
            for x in 0..<width {
                let (r, g, b) = (row[x * stride], row[x * stride + 1], row[x * stride + 2])
                out[x] = gamma?.gray(r, g, b) ?? mix8(r, g, b)
            }
        default:  // .rgb / .rgba, 16-bit big-endian samples
            let stride = layout.channels * 2
            for x in 0..<width {
                let base = x * stride
                let r = UInt32(row[base]) << 8 | UInt32(row[base + 1])
                let g = UInt32(row[base + 2]) << 8 | UInt32(row[base + 3])
                let b = UInt32(row[base + 4]) << 8 | UInt32(row[base + 5])
                out[x] = gamma?.gray16(r, g, b) ?? mix16(r, g, b)
            }
        }
    }

    /// Sample `x` of a row packed MSB first at 1, 2, 4 or 8 bits.
    @inline(__always)
    private static func packedSample(_ row: UnsafeBufferPointer<UInt8>, _ x: Int, _ depth: Int) -> Int {
        let bit = x * depth
        let shift = 8 - depth - (bit & 7)
        return Int(row[bit >> 3] >> UInt8(shift)) & ((1 << depth) - 1)
    }
}
