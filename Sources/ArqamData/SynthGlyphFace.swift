import ArqamNN
import Foundation

/// How a glyph's shape is inked. Display and title faces print digits as outlines (only a
/// ring along the contour, paper inside) or with a drop shadow; no bending of a solid font
/// teaches the model that a ring is the digit, so the generator draws them.
enum GlyphFace {
    case solid
    /// Only a ring along the contour, `ring` digit heights wide.
    case hollow(ring: Double)
    /// A shadow cast `offset` digit heights away (y down) in `shade` of the ink, the face itself
    /// solid or, with a `ring`, hollow.
    case shadowed(offset: (x: Double, y: Double), ring: Double?, shade: Double)
    /// Dot-matrix print (`SynthDotMatrix.swift`).
    case dotMatrix(DotMatrixPrint)

    /// Mostly solid. Hollow and shadowed faces come with bolder strokes, as such fonts have:
    /// a ring inside a thin stroke would leave no paper between its sides.
    static func random(_ rng: inout SeededRandom) -> (face: GlyphFace, extraBold: Double) {
        switch rng.weighted([0.83, 0.06, 0.05, 0.06]) {
        case 0:
            return (.solid, 0)
        case 1:
            return (.hollow(ring: rng.uniform(0.03...0.06)), rng.uniform(0.04...0.09))
        case 3:
            return (.dotMatrix(DotMatrixPrint.random(&rng)), 0)
        default:
            let length = rng.uniform(0.04...0.1)
            let angle = rng.chance(0.8) ? rng.uniform(0.5...1.1) : rng.uniform(2.0...2.6)
            let ring: Double? = rng.chance(0.6) ? rng.uniform(0.03...0.05) : nil
            // Behind a solid front a dark shadow would only read as a bolder digit: keep it grey.
            let shade = ring == nil ? rng.uniform(0.25...0.55) : rng.uniform(0.5...1)
            return (.shadowed(offset: (length * cos(angle), length * sin(angle)), ring: ring, shade: shade),
                    ring == nil ? 0 : rng.uniform(0.04...0.08))
        }
    }

    /// How far the face reaches beyond the glyph's own ink, in digit heights (y down).
    var reach: (x: Double, y: Double) {
        if case .shadowed(let offset, _, _) = self { return offset }
        return (0, 0)
    }

    /// How far dots reach beyond the shape on every side, in digit heights.
    var spread: Double {
        if case .dotMatrix(let print) = self { return print.reach }
        return 0
    }

    var isSolid: Bool {
        if case .solid = self { return true }
        return false
    }
}

extension GlyphBitmap {
    /// The glyph inked in `face`. Lengths in digit heights become pixels through `digitHeight`;
    /// a ring is never thinner than `minimumRing` pixels, so that it survives the scaling to
    /// the model's input.
    func inked(_ face: GlyphFace, digitHeight: Double, minimumRing: Double) -> GlyphBitmap {
        func ringPixels(_ ring: Double) -> Int { max(1, Int(max(ring * digitHeight, minimumRing).rounded())) }
        switch face {
        case .solid:
            return self
        case .hollow(let ring):
            return hollowed(ringPixels(ring))
        case .shadowed(let offset, let ring, let shade):
            let front = ring.map { hollowed(ringPixels($0)) } ?? self
            return withShadow(dx: Int((offset.x * digitHeight).rounded()), dy: Int((offset.y * digitHeight).rounded()),
                              shade: shade, front: front)
        case .dotMatrix(let print):
            return dotted(print, down: max(1.5, print.pitch * digitHeight))
        }
    }

    /// Coverage minus its erosion by a square of half-width `radius`: the outer `radius` pixels
    /// of every stroke. A stroke thinner than twice that stays solid.
    func hollowed(_ radius: Int) -> GlyphBitmap {
        var eroded = minimum(of: coverage, radius: radius, stride: 1, count: width, lines: height, lineStride: width)
        eroded = minimum(of: eroded, radius: radius, stride: width, count: height, lines: width, lineStride: 1)
        var result = self
        for index in coverage.indices { result.coverage[index] = coverage[index] - eroded[index] }
        return result
    }

    /// `front` over an extruded shadow: the glyph's shape swept from (0, 0) to (`dx`, `dy`)
    /// pixels at `shade` of the ink, cleared wherever the glyph itself is (paper shows through
    /// a hollow front, as in 3D lettering).
    private func withShadow(dx: Int, dy: Int, shade: Double, front: GlyphBitmap) -> GlyphBitmap {
        let steps = max(abs(dx), abs(dy))
        guard steps > 0 else { return front }
        let padLeft = max(0, -dx), padTop = max(0, -dy)
        let newWidth = width + abs(dx), newHeight = height + abs(dy)
        var result = [UInt8](repeating: 0, count: newWidth * newHeight)
        for step in 1...steps {
            let sx = padLeft + Int((Double(dx * step) / Double(steps)).rounded())
            let sy = padTop + Int((Double(dy * step) / Double(steps)).rounded())
            for y in 0..<height {
                for x in 0..<width where coverage[y * width + x] > 0 {
                    let target = (y + sy) * newWidth + x + sx
                    result[target] = max(result[target], coverage[y * width + x])
                }
            }
        }
        for index in result.indices { result[index] = UInt8((Double(result[index]) * shade).rounded()) }
        for y in 0..<height {
            for x in 0..<width {
                let target = (y + padTop) * newWidth + x + padLeft
                let body = Double(coverage[y * width + x]) / 255
                let shadow = (Double(result[target]) * (1 - body)).rounded()
                result[target] = max(front.coverage[y * width + x], UInt8(shadow))
            }
        }
        return GlyphBitmap(left: left - padLeft, top: top - padTop, width: newWidth, height: newHeight, coverage: result)
    }

    /// Running minimum over `2 × radius + 1` samples along each of `lines` lines; samples
    /// outside the bitmap count as empty.
    private func minimum(of values: [UInt8], radius: Int, stride: Int, count: Int, lines: Int, lineStride: Int) -> [UInt8] {
        var result = values
        for line in 0..<lines {
            let base = line * lineStride
            for position in 0..<count {
                guard position >= radius, position + radius < count else { result[base + position * stride] = 0; continue }
                var lowest = UInt8.max
                for offset in -radius...radius { lowest = min(lowest, values[base + (position + offset) * stride]) }
                result[base + position * stride] = lowest
            }
        }
        return result
    }
}
