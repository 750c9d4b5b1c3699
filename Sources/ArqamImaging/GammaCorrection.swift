#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libpng's gamma-aware rgb_to_gray for colour PNGs that state a file gamma (gAMA, or sRGB
/// = 45455), as TensorFlow's decode_png gets it: samples are taken to linear light through
/// one table, mixed with rounding, and brought back through another. Section 3.2 of the
/// reference gives the 8-bit case with check values; every expression here (the double
/// reciprocal, `gamma * .00001`, the 16-bit tables and their sBIT-dependent precision) is
/// the one libpng 1.6 evaluates, so that cases the fixtures do not cover match as well.
struct GammaCorrection: Sendable {
    private enum Tables: Sendable {
        case narrow(toLinear: [UInt8], fromLinear: [UInt8])
        /// Indexed by `sample >> shift`; `sameGray` serves pixels with r = g = b.
        case wide(shift: Int, toLinear: [UInt16], fromLinear: [UInt16], sameGray: [UInt8])
    }

    private let tables: Tables

    /// nil when libpng builds no gamma tables: no file gamma, or it and its reciprocal both
    /// within ±5000 of 1.0 (units of 1e-5).
    init?(fileGamma: Int32, bitDepth: Int, significantBits: Int) {
        let gamma = Int(fileGamma)
        guard gamma > 0 else { return nil }
        let screenGamma = Self.reciprocal(gamma)  // libpng assumes the output matches the file
        guard Self.isSignificant(gamma) || Self.isSignificant(screenGamma) else { return nil }
        let toLinearGamma = Self.reciprocal(gamma)
        let fromLinearGamma = Self.reciprocal(screenGamma)
        if bitDepth <= 8 {
            tables = .narrow(toLinear: Self.table8(toLinearGamma), fromLinear: Self.table8(fromLinearGamma))
        } else {
            // libpng keeps 16 − sBIT bits of the input, at most 11 when the output is 8-bit.
            var shift = significantBits > 0 && significantBits < 16 ? 16 - significantBits : 0
            shift = min(max(shift, 16 - 11), 8)
            tables = .wide(shift: shift,
                           toLinear: Self.table16(shift: shift, gamma: toLinearGamma),
                           fromLinear: Self.table16(shift: shift, gamma: fromLinearGamma),
                           sameGray: Self.table16To8(shift: shift, gamma: Self.product(gamma, screenGamma)))
        }
    }

    /// 8-bit samples (RGB, RGBA, or a palette entry).
    @inline(__always)
    func gray(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        guard case .narrow(let toLinear, let fromLinear) = tables else { return GrayConversion.mix8(r, g, b) }
        // r = g = b passes through: libpng's overall file-to-screen table is the identity here.
        if r == g && g == b { return r }
        let sum = GrayConversion.redWeight * UInt32(toLinear[Int(r)])
            + GrayConversion.greenWeight * UInt32(toLinear[Int(g)])
            + GrayConversion.blueWeight * UInt32(toLinear[Int(b)])
        return fromLinear[Int((sum + 16384) >> 15)]
    }

    /// 16-bit samples; the result is the high byte of libpng's 16-bit gray.
    @inline(__always)
    func gray16(_ r: UInt32, _ g: UInt32, _ b: UInt32) -> UInt8 {
        guard case .wide(let shift, let toLinear, let fromLinear, let sameGray) = tables else {
            return GrayConversion.mix16(r, g, b)
        }
        if r == g && g == b { return sameGray[Int(r) >> shift] }
        let sum = GrayConversion.redWeight * UInt32(toLinear[Int(r) >> shift])
            + GrayConversion.greenWeight * UInt32(toLinear[Int(g) >> shift])
            + GrayConversion.blueWeight * UInt32(toLinear[Int(b) >> shift])
        let gray16 = Int((sum + 16384) >> 15)
        return UInt8(truncatingIfNeeded: fromLinear[gray16 >> shift] >> 8)
    }

    // MARK: libpng's fixed-point helpers (png.c, floating-point build)

    static func reciprocal(_ value: Int) -> Int {
        Int(floor(1e10 / Double(value) + 0.5))
    }

    static func product(_ a: Int, _ b: Int) -> Int {
        Int(floor(Double(a) * 1e-5 * Double(b) + 0.5))
    }

    static func isSignificant(_ gamma: Int) -> Bool {
        gamma < 100_000 - 5000 || gamma > 100_000 + 5000
    }

    /// png_build_8bit_table: `floor(255 · (v/255)^(gamma·1e-5) + 0.5)`, 0 and 255 fixed.
    static func table8(_ gamma: Int) -> [UInt8] {
        guard isSignificant(gamma) else { return (0...255).map { UInt8($0) } }
        let exponent = Double(gamma) * 0.00001
        return (0...255).map { value in
            guard value > 0 && value < 255 else { return UInt8(value) }
            return UInt8(floor(255 * pow(Double(value) / 255, exponent) + 0.5))
        }
    }

    /// png_build_16bit_table, flattened: entry `v >> shift` for a 16-bit sample v.
    private static func table16(shift: Int, gamma: Int) -> [UInt16] {
        let maximum = (1 << (16 - shift)) - 1
        guard isSignificant(gamma) else {
            let half = 1 << (15 - shift)
            return (0...maximum).map { UInt16((($0 * 65535) + half) / maximum) }
        }
        let inverseMaximum = 1.0 / Double(maximum)
        let exponent = Double(gamma) * 0.00001
        return (0...maximum).map { UInt16(floor(65535 * pow(Double($0) * inverseMaximum, exponent) + 0.5)) }
    }

    /// png_build_16to8_table, flattened and reduced to its high byte: the nearest 8-bit
    /// output for each `v >> shift`.
    private static func table16To8(shift: Int, gamma: Int) -> [UInt8] {
        let maximum = (1 << (16 - shift)) - 1
        var table = [UInt8](repeating: 255, count: maximum + 1)
        var last = 0
        for output in 0..<255 {
            let boundary = gammaCorrect16(output * 257 + 128, gamma: gamma)
            let bound = (boundary * maximum + 32768) / 65535 + 1
            while last < bound && last <= maximum {
                table[last] = UInt8(output)
                last += 1
            }
        }
        return table
    }

    private static func gammaCorrect16(_ value: Int, gamma: Int) -> Int {
        guard value > 0 && value < 65535 else { return value }
        return Int(floor(65535 * pow(Double(value) / 65535, Double(gamma) * 0.00001) + 0.5))
    }
}
