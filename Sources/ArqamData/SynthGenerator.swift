import ArqamImaging
import ArqamNN
import Foundation

/// Renders labeled images of form fields: Egyptian national IDs, mobiles, dates and numbers in
/// Arabic-Indic (and some Persian) digits, in fonts bent into new designs, with boxes, combs,
/// captions, paper, lighting and scanner damage. The model's only teacher: its variety decides
/// whether the model reads fonts and forms it never saw.
///
/// Thread-safe: `sample` may be called from any number of threads at once; each call borrows
/// one FreeType instance from an internal pool (one per concurrent caller, made on demand).
/// The image depends only on (`seed`, `index`), never on threads or call order.
public struct SyntheticGenerator: Sendable {
    let catalog: FontCatalog
    private let pool: RasterizerPool

    /// Share of strings in drawn digit designs when none is given.
    public static let defaultDrawnShare = 0.2
    /// Share of strings in Persian digits when none is given.
    public static let defaultPersianShare = 0.25

    /// Reads and checks every font in the folder; throws if the folder is missing, holds no
    /// font, or no font can draw either the Arabic-Indic or the Persian digits, or `/`.
    /// `drawnShare` of the strings are written in drawn digit designs instead of the fonts (0:
    /// the fonts only), and `persianShare` in Persian digits (1: all of them, in the fonts that
    /// have them; a folder whose fonts have one script only writes every string in it).
    public init(fontsDirectory: URL, drawnShare: Double = defaultDrawnShare,
                persianShare: Double = defaultPersianShare) throws(SyntheticDataError) {
        var files: [FontBytes] = []
        for url in try FontCatalog.fontFiles(in: fontsDirectory) { files.append(try FontBytes(url: url)) }
        let rasterizer = try GlyphRasterizer(files: files)
        var catalog = try FontCatalog.measure(folder: fontsDirectory, files: files, rasterizer: rasterizer,
                                              drawnShare: min(max(drawnShare, 0), 1))
        catalog.persianShare = min(max(persianShare, 0), 1)
        self.catalog = catalog
        pool = RasterizerPool(files: files, first: rasterizer)
    }

    /// Image number `index` of the stream `seed`, and its label (Western digits and `/`,
    /// left to right as drawn).
    public func sample(seed: UInt64, index: Int) -> (image: GrayImage, label: String) {
        var rng = SeededRandom(seed: seed).derived(UInt64(truncatingIfNeeded: index))
        let text = SynthText.random(&rng)
        return pool.withRasterizer { rasterizer in
            let placer = GlyphPlacer(catalog: catalog, rasterizer: rasterizer)
            let layout = FieldLayout.random(text: text, placer: placer, rng: &rng)
            return (draw(layout, rasterizer: rasterizer, rng: &rng), text.label)
        }
    }

    private func draw(_ field: FieldLayout, rasterizer: GlyphRasterizer, rng: inout SeededRandom) -> GrayImage {
        var layout = field
        var digits = render(layout.digits, of: layout, rasterizer: rasterizer)
        if digits.contains(where: { !layout.holds($0) }) {
            // The skew pushed a digit past the edge: draw the crop straight instead.
            layout.rotation = 0
            layout.shear = 0
            digits = render(layout.digits, of: layout, rasterizer: rasterizer)
        }
        let look = Look.random(&rng, height: layout.height, digitHeight: layout.digitHeight)
        var canvas = SynthCanvas(width: layout.width, height: layout.height, fill: look.paper)
        if let blotches = look.blotches { canvas.addBlotches(cell: blotches.cell, amplitude: blotches.amplitude, rng: &rng) }
        for line in layout.lines {
            canvas.stroke(from: layout.skew(line.from), to: layout.skew(line.to), width: line.width,
                          ink: look.formInk, opacity: look.formOpacity)
        }
        for dot in layout.dots {
            canvas.disk(center: layout.skew(dot.center), radius: dot.radius, ink: look.formInk, opacity: look.formOpacity)
        }
        for glyph in render(layout.caption, of: layout, rasterizer: rasterizer) {
            canvas.composite(glyph, ink: look.captionInk, opacity: look.formOpacity)
        }
        for glyph in digits { canvas.composite(glyph, ink: look.ink, opacity: look.inkOpacity) }
        // Toner flaking off strokes the layout already thinned, or off rings, would break digits into other shapes.
        let thinned = layout.digits.contains { min($0.embolden.x, $0.embolden.y) < 0 || !$0.face.isSolid }
        let strokes = StrokeMask(digits, width: layout.width, height: layout.height)
        let undamaged = canvas
        look.damage(&canvas, erosionAllowed: !thinned, rng: &rng)
        // Damage that leaves the digits unreadable is drawn again: no one could label such an image.
        var attempts = 1
        while !strokes.isLegible(canvas.pixels) {
            canvas = undamaged
            guard attempts < 3 else { break }
            look.damage(&canvas, erosionAllowed: !thinned, rng: &rng)
            attempts += 1
        }
        return canvas.grayImage()
    }

    private func render(_ glyphs: [PlacedGlyph], of layout: FieldLayout, rasterizer: GlyphRasterizer) -> [GlyphBitmap] {
        let skew = layout.glyphSkew
        return glyphs.compactMap { glyph in
            let bitmap = rasterizer.render(font: glyph.font, scalar: glyph.scalar,
                                           transform: skew.concatenating(glyph.transform),
                                           origin: layout.skew(glyph.origin), embolden: glyph.embolden, warp: glyph.warp,
                                           angular: glyph.angular)
            guard let bitmap else { return nil }
            let wobbled = glyph.bitmapWarp.map { bitmap.warped(by: $0) } ?? bitmap
            // A ring at least 1.3 pixels of the model's 50-pixel-high input.
            return wobbled.inked(glyph.face, digitHeight: layout.digitHeight, minimumRing: 1.3 * Double(layout.height) / 50)
        }
    }
}

extension FieldLayout {
    /// Whether a glyph's ink lies inside the crop (its anti-aliased fringe may touch the edge).
    func holds(_ glyph: GlyphBitmap) -> Bool {
        var inkLeft = glyph.width, inkRight = -1, inkTop = glyph.height, inkBottom = -1
        for y in 0..<glyph.height {
            for x in 0..<glyph.width where glyph.coverage[y * glyph.width + x] > 64 {
                inkLeft = min(inkLeft, x); inkRight = max(inkRight, x)
                inkTop = min(inkTop, y); inkBottom = max(inkBottom, y)
            }
        }
        guard inkRight >= 0 else { return true }
        return glyph.left + inkLeft >= 0 && glyph.left + inkRight < width
            && glyph.top + inkTop >= 0 && glyph.top + inkBottom < height
    }
}

/// Ink, paper and damage of one image.
struct Look {
    var paper: Float
    var ink: Float
    var inkOpacity: Float
    var formInk: Float
    var captionInk: Float
    var formOpacity: Float
    var blotches: (cell: Double, amplitude: Float)?
    var clean: Bool
    var height: Int
    /// Digit height in crop pixels: damage that would erase small digits is toned down.
    var digitHeight: Double

    /// Digit height in the model's input, and how much of the full damage such digits take
    /// (1 from 20 pixels up): blur, erosion and thresholding that a large digit survives
    /// erase the strokes of a small one.
    var modelDigitHeight: Double { FieldLayout.modelPixels(digitHeight, cropHeight: height) }
    var damageScale: Double { min(1, modelDigitHeight / 20) }

    /// Dark ink on light paper always; sometimes grey on grey (faded print, dim photo), never
    /// light on dark.
    static func random(_ rng: inout SeededRandom, height: Int, digitHeight: Double) -> Look {
        let clean = rng.chance(0.07)
        let paper = Float(clean ? rng.uniform(232...255) : rng.chance(0.8) ? rng.uniform(195...255) : rng.uniform(150...200))
        let lowContrast = !clean && rng.chance(0.15)
        let ink = lowContrast ? paper - Float(rng.uniform(55...100)) : Float(rng.uniform(0...Double(min(110, paper - 90))))
        let formInk = rng.chance(0.5) ? ink : Float(rng.uniform(Double(ink)...Double(paper - 45)))
        let scale = Double(height) / 50
        return Look(
            paper: paper,
            ink: ink,
            inkOpacity: Float(rng.uniform(0.85...1)),
            formInk: formInk,
            captionInk: rng.chance(0.6) ? formInk : ink,
            formOpacity: Float(rng.uniform(0.7...1)),
            blotches: !clean && rng.chance(0.5)
                ? (rng.uniform(2...25) * scale, Float(rng.uniform(3...18))) : nil,
            clean: clean,
            height: height,
            digitHeight: digitHeight)
    }

    func damage(_ canvas: inout SynthCanvas, erosionAllowed: Bool, rng: inout SeededRandom) {
        if clean {
            if rng.chance(0.3) { canvas.blur(sigma: rng.uniform(0.3...0.5)) }
            return
        }
        if rng.chance(0.15) { canvas.bleed(Float(rng.uniform(0.3...1))) }
        else if erosionAllowed, rng.chance(0.12), modelDigitHeight >= 18 { canvas.bleed(-Float(rng.uniform(0.2...0.5))) }
        let lit = rng.chance(0.4)
        if lit { canvas.illuminate(strength: Float(rng.uniform(0.05...0.35)), vignette: rng.chance(0.3), rng: &rng) }
        if rng.chance(0.45) { canvas.blur(sigma: rng.uniform(0.3...max(0.35, (0.6 + Double(height) / 80) * damageScale))) }
        if rng.chance(0.25) { canvas.resample(factor: rng.uniform(min(0.74, max(0.3, 14 / Double(height), 11 / digitHeight))...0.75)) }
        if rng.chance(0.75) {
            canvas.addNoise(sigma: Float(rng.uniform(1...12)),
                            speckDensity: rng.chance(0.15) ? rng.uniform(0.0003...0.003) : 0, rng: &rng)
        }
        // One threshold over uneven light turns the dark side of the paper black and swallows the
        // digits there: an image no one could label.
        if rng.chance(0.05), modelDigitHeight >= 16, !lit {
            canvas.binarize(threshold: ink + (paper - ink) * Float(rng.uniform(0.35...0.65)), paper: paper, ink: ink)
        }
        if rng.chance(0.2) { canvas.compressLikeJPEG(quality: rng.integer(12...60)) }
    }
}
