import ArqamNN
import Foundation

/// A glyph placed in field coordinates (pixels, y down), with its own shape changes.
struct PlacedGlyph {
    var font: Int
    var scalar: UInt32
    /// Pen position on the baseline.
    var origin: (x: Double, y: Double)
    /// Font units (y up) → pixels (y up): size, aspect, slant, tilt.
    var transform: GlyphTransform
    var embolden: StrokeWidthChange
    var warp: ShapeWarp?
    /// Applied to the rendered bitmap (finer waves: uneven strokes).
    var bitmapWarp: ShapeWarp? = nil
    /// Drawn as the polygon of its outline's points (see `GlyphRasterizer.render`).
    var angular = false
    var face = GlyphFace.solid
    /// Where its ink can reach, warp and stroke change included.
    var inkBox: Box

    mutating func move(_ dx: Double, _ dy: Double) {
        origin = (origin.x + dx, origin.y + dy)
        inkBox = inkBox.offsetBy(dx, dy)
    }
}

/// Per-string choices of how digits look: each string gets its own size, aspect, slant,
/// weight, spacing and design warp, and each glyph a little jitter around them — the
/// model must read digit designs it never saw, so the designs we have are bent every time.
struct TextStyle {
    var digitHeight: Double
    var fonts: [Int]
    var scripts: [DigitScript]
    var aspect: Double
    var slant: Double
    /// Spread of each glyph's own rotation (radians).
    var tiltSpread: Double
    var emboldenFraction: Double
    /// Strokes across the nib's x axis (vertical ones when `nibAngle` is 0) thicker (> 0) or
    /// thinner (< 0) than those across its y axis, in digit heights.
    var strokeContrast: Double
    /// The broad pen's angle (radians), 0 for an upright contrast.
    var nibAngle: Double
    var tracking: Double
    var minimumGap: Double
    var baselineSpread: Double
    var sizeSpread: Double
    var warpAmplitude: Double
    var warpWavelength: Double
    var wobbleAmplitude: Double
    var wobbleWavelength: Double
    var groupGap: Double
    /// Share of the glyphs drawn angular.
    var angularShare: Double
    var face: GlyphFace

    static func random(_ rng: inout SeededRandom, catalog: FontCatalog, digitHeight: Double) -> TextStyle {
        // A quarter Persian by default; rarely both in one string, as typed with two keyboards.
        let share = catalog.persianShare
        var scripts: [DigitScript] = rng.chance(0.04) && share > 0 && share < 1 ? [.arabicIndic, .persian]
            : [rng.chance(share) ? .persian : .arabicIndic]
        var available = catalog.fonts(drawing: scripts)
        if available.isEmpty {
            // The folder's fonts lack that script: whichever they have (a Persian-only folder
            // such as an Urdu font's makes Persian digits whatever the share).
            scripts = catalog.arabicIndicFonts.isEmpty ? [.persian] : [.arabicIndic]
            available = catalog.fonts(drawing: scripts)
        }
        // Mostly one font; sometimes each glyph from any of them, as pasted-together text looks;
        // a share in a drawn design (asked only when there are some, so that a fonts-only
        // generator draws the same images as before drawn designs existed).
        let fonts = catalog.drawnShare > 0 && rng.chance(catalog.drawnShare) ? [rng.pick(catalog.drawnFonts)]
            : rng.chance(0.1) ? available : [rng.pick(available)]
        let slanted = catalog.fonts[fonts[0]].isItalic
        // From a stream of its own, so that adding faces left every solid string as it was.
        var faceRandom = rng.derived(0xFACE)
        let (face, extraBold) = GlyphFace.random(&faceRandom)
        // Also its own stream: one string in eight written as with a broad pen held at an angle.
        var nibRandom = rng.derived(0x41B)
        let nib = nibRandom.chance(0.125) ? (angle: nibRandom.uniform(-0.8...0.8), contrast: nibRandom.uniform(0.015...0.04)) : nil
        return TextStyle(
            digitHeight: digitHeight,
            fonts: fonts,
            scripts: scripts,
            aspect: rng.chance(0.7) ? rng.logUniform(0.8...1.3) : rng.logUniform(0.65...1.55),
            slant: slant(&rng, fontIsItalic: slanted),
            tiltSpread: rng.chance(0.3) ? rng.uniform(0.005...0.03) : 0,
            emboldenFraction: rng.chance(0.6) ? rng.uniform(-0.015...0.03) : rng.uniform(-0.025...0.08) + extraBold,
            strokeContrast: nib?.contrast ?? (rng.chance(0.35) ? rng.uniform(-0.02...0.025) : 0),
            nibAngle: nib?.angle ?? 0,
            tracking: rng.chance(0.7) ? rng.uniform(-0.04...0.12) : rng.uniform(0.1...0.45),
            minimumGap: rng.uniform(0.02...0.08),
            baselineSpread: rng.chance(0.5) ? rng.uniform(0.005...0.035) : 0,
            sizeSpread: rng.chance(0.5) ? rng.uniform(0.01...0.05) : 0,
            warpAmplitude: rng.chance(0.6) ? rng.uniform(0.01...0.06) : 0,
            warpWavelength: rng.uniform(0.5...1.4),
            wobbleAmplitude: rng.chance(0.25) ? rng.uniform(0.005...0.02) : 0,
            wobbleWavelength: rng.uniform(0.35...0.8),
            groupGap: rng.uniform(0.25...0.8),
            angularShare: rng.chance(0.15) ? (rng.chance(0.7) ? 1 : 0.5) : 0,
            face: face)
    }

    /// Added to the font's own slant (x per unit of height, top to the right when positive).
    /// Most strings upright or leaning a little; a share leaning as far as an italic or an
    /// oblique face (12–20°): before, when no string leaned past 0.16, shearing the held-out
    /// images by 0.2 and 0.3 cost the model 7 and 24 points. An italic font leans already: it gets less.
    static func slant(_ rng: inout SeededRandom, fontIsItalic: Bool) -> Double {
        guard rng.chance(0.35) else { return 0 }
        return rng.chance(0.65) ? rng.uniform(-0.12...(fontIsItalic ? 0.05 : 0.16))
            : rng.uniform(-0.25...(fontIsItalic ? 0.1 : 0.36))
    }
}

/// Places glyphs: measures them through the rasterizer's cached outlines.
struct GlyphPlacer {
    let catalog: FontCatalog
    let rasterizer: GlyphRasterizer

    /// A glyph with the pen at `origin`, its digits `digitHeight` tall; nil if no font has it.
    func place(_ scalar: UInt32, font wanted: Int, digitHeight: Double, aspect: Double, slant: Double,
               tilt: Double, embolden: StrokeWidthChange, warp: ShapeWarp?, origin: (x: Double, y: Double)) -> PlacedGlyph? {
        guard let font = catalog.fallback(for: scalar, from: wanted),
              let metrics = rasterizer.metrics(font: font, scalar: scalar) else { return nil }
        let scale = digitHeight / catalog.fonts[font].digitHeight
        let shape = GlyphTransform(xx: scale * aspect, xy: scale * slant, yx: 0, yy: scale)
        let rotation = GlyphTransform(xx: cos(tilt), xy: -sin(tilt), yx: sin(tilt), yy: cos(tilt))
        let transform = rotation.concatenating(shape)
        var minX = Double.infinity, maxX = -Double.infinity, minY = Double.infinity, maxY = -Double.infinity
        for (x, y) in [(metrics.xMin, metrics.yMin), (metrics.xMin, metrics.yMax),
                       (metrics.xMax, metrics.yMin), (metrics.xMax, metrics.yMax)] {
            let p = transform.apply(x, y)
            minX = min(minX, p.x); maxX = max(maxX, p.x)
            minY = min(minY, -p.y); maxY = max(maxY, -p.y)
        }
        let reach = max(abs(embolden.x), abs(embolden.y)) / 2 + 1.5 * (warp?.amplitude ?? 0) + 0.5
        let box = Box(minX: minX - reach, minY: minY - reach, maxX: maxX + reach, maxY: maxY + reach)
        return PlacedGlyph(font: font, scalar: scalar, origin: origin, transform: transform,
                           embolden: embolden, warp: warp, inkBox: box.offsetBy(origin.x, origin.y))
    }

    /// Pen advance of a glyph at the given size, in pixels.
    func advance(_ glyph: PlacedGlyph) -> Double {
        guard let metrics = rasterizer.metrics(font: glyph.font, scalar: glyph.scalar) else { return 0 }
        return metrics.advance * glyph.transform.xx
    }

    /// The label's glyphs in a row on baseline y = 0, starting at x = 0.
    func layoutText(_ text: SynthText, style: TextStyle, rng: inout SeededRandom) -> [PlacedGlyph] {
        var glyphs: [PlacedGlyph] = []
        var pen = 0.0
        let height = style.digitHeight
        for (offset, character) in text.label.enumerated() {
            let script = rng.pick(style.scripts)
            let font = rng.pick(style.fonts)
            let size = height * (1 + rng.jitter(style.sizeSpread))
            let warp: ShapeWarp? = style.warpAmplitude > 0
                ? ShapeWarp(amplitude: style.warpAmplitude * height * rng.uniform(0.6...1.2),
                              wavenumber: 2 * .pi / (style.warpWavelength * height),
                              phases: (rng.uniform(0...6.3), rng.uniform(0...6.3), rng.uniform(0...6.3), rng.uniform(0...6.3)))
                : nil
            guard var glyph = place(script.scalar(for: character), font: font, digitHeight: size,
                                    aspect: style.aspect * (1 + rng.jitter(0.03)),
                                    slant: style.slant + rng.jitter(0.02),
                                    tilt: rng.jitter(style.tiltSpread),
                                    embolden: StrokeWidthChange(width: (style.emboldenFraction + rng.jitter(0.004)) * height,
                                                                contrast: style.strokeContrast * height, nibAngle: style.nibAngle),
                                    warp: warp, origin: (0, rng.jitter(style.baselineSpread * height))) else {
                // FontCatalog admits only fonts whose digits load, and makes sure `/` has a font.
                preconditionFailure("no font draws U+\(String(script.scalar(for: character), radix: 16))")
            }
            glyph.angular = style.angularShare > 0 && rng.chance(style.angularShare)
            glyph.face = style.face
            let shadow = style.face.reach
            glyph.inkBox = glyph.inkBox.union(glyph.inkBox.offsetBy(shadow.x * height, shadow.y * height))
                .insetBy(-style.face.spread * height)
            if style.wobbleAmplitude > 0 {
                let wobble = ShapeWarp(amplitude: style.wobbleAmplitude * height,
                                       wavenumber: 2 * .pi / (style.wobbleWavelength * height),
                                       phases: (rng.uniform(0...6.3), rng.uniform(0...6.3), rng.uniform(0...6.3), rng.uniform(0...6.3)))
                glyph.bitmapWarp = wobble
                glyph.inkBox = glyph.inkBox.insetBy(-1.5 * wobble.amplitude - 1)
            }
            glyph.move(pen, 0)
            if let previous = glyphs.last {
                // Never let two digits touch: a merged pair reads as another digit.
                let overlap = previous.inkBox.maxX + style.minimumGap * height - glyph.inkBox.minX
                if overlap > 0 { glyph.move(overlap, 0) }
            }
            pen = glyph.origin.x + advance(glyph) + style.tracking * height + rng.jitter(0.03 * height)
            if text.gapsAfter.contains(offset) { pen += style.groupGap * height }
            glyphs.append(glyph)
        }
        return glyphs
    }
}

/// How much FreeType's emboldening widens strokes, in pixels: `x` widens vertical strokes,
/// `y` horizontal ones; negative values thin them. With a `nibAngle` (radians) the two axes
/// turn by it: strokes along one diagonal come out thick and along the other thin, as a
/// broad pen held at an angle writes.
struct StrokeWidthChange {
    var x: Double
    var y: Double
    var nibAngle = 0.0

    static let none = StrokeWidthChange(x: 0, y: 0)

    init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// `width` on both axes, `contrast` added to strokes across the nib's x axis and taken
    /// from those across its y axis.
    init(width: Double, contrast: Double, nibAngle: Double = 0) {
        x = width + contrast
        y = width - contrast
        self.nibAngle = nibAngle
    }
}
