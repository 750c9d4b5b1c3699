import ArqamImaging
import Foundation

/// An axis-aligned box in pixels (y down).
struct Box {
    var minX: Double, minY: Double, maxX: Double, maxY: Double

    var width: Double { maxX - minX }
    var height: Double { maxY - minY }
    var midX: Double { (minX + maxX) / 2 }
    var midY: Double { (minY + maxY) / 2 }

    func union(_ other: Box) -> Box {
        Box(minX: min(minX, other.minX), minY: min(minY, other.minY),
            maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }

    func offsetBy(_ dx: Double, _ dy: Double) -> Box {
        Box(minX: minX + dx, minY: minY + dy, maxX: maxX + dx, maxY: maxY + dy)
    }

    func insetBy(_ amount: Double) -> Box {
        Box(minX: minX + amount, minY: minY + amount, maxX: maxX - amount, maxY: maxY - amount)
    }
}

/// The picture being drawn: intensities 0 (black) … 255 (white) as floats, so that layers,
/// lighting and noise add up before one final rounding.
struct SynthCanvas {
    let width: Int
    let height: Int
    var pixels: [Float]

    init(width: Int, height: Int, fill: Float) {
        self.width = width
        self.height = height
        pixels = [Float](repeating: fill, count: width * height)
    }

    /// Lays ink of intensity `ink` over the picture where the glyph covers it.
    mutating func composite(_ glyph: GlyphBitmap, ink: Float, opacity: Float) {
        let x0 = max(0, glyph.left), x1 = min(width, glyph.left + glyph.width)
        let y0 = max(0, glyph.top), y1 = min(height, glyph.top + glyph.height)
        guard x0 < x1, y0 < y1 else { return }
        let scale = opacity / 255
        glyph.coverage.withUnsafeBufferPointer { coverage in
            pixels.withUnsafeMutableBufferPointer { pixels in
                for y in y0..<y1 {
                    let source = (y - glyph.top) * glyph.width - glyph.left
                    let target = y * width
                    for x in x0..<x1 {
                        let alpha = Float(coverage[source + x]) * scale
                        if alpha > 0 { pixels[target + x] += (ink - pixels[target + x]) * alpha }
                    }
                }
            }
        }
    }

    /// An anti-aliased straight stroke with round ends.
    mutating func stroke(from start: (x: Double, y: Double), to end: (x: Double, y: Double),
                         width lineWidth: Double, ink: Float, opacity: Float) {
        let half = max(lineWidth, 1) / 2
        let strength = Float(min(lineWidth, 1)) * opacity
        let x0 = max(0, Int((min(start.x, end.x) - half - 1).rounded(.down)))
        let x1 = min(width - 1, Int((max(start.x, end.x) + half + 1).rounded(.up)))
        let y0 = max(0, Int((min(start.y, end.y) - half - 1).rounded(.down)))
        let y1 = min(height - 1, Int((max(start.y, end.y) + half + 1).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let dx = end.x - start.x, dy = end.y - start.y
        let lengthSquared = max(dx * dx + dy * dy, 1e-12)
        pixels.withUnsafeMutableBufferPointer { pixels in
            for y in y0...y1 {
                let py = Double(y) + 0.5
                for x in x0...x1 {
                    let px = Double(x) + 0.5
                    let t = max(0, min(1, ((px - start.x) * dx + (py - start.y) * dy) / lengthSquared))
                    let ex = px - (start.x + t * dx), ey = py - (start.y + t * dy)
                    let coverage = Float(max(0, min(1, half + 0.5 - (ex * ex + ey * ey).squareRoot())))
                    if coverage > 0 { pixels[y * width + x] += (ink - pixels[y * width + x]) * coverage * strength }
                }
            }
        }
    }

    mutating func disk(center: (x: Double, y: Double), radius: Double, ink: Float, opacity: Float) {
        stroke(from: center, to: center, width: 2 * radius, ink: ink, opacity: opacity)
    }

    /// Clamped to 0…255 and rounded (half up) to 8-bit gray.
    func grayImage() -> GrayImage {
        GrayImage(width: width, height: height,
                  pixels: pixels.map { UInt8(max(0, min(255, $0)) + 0.5) })
    }
}
