import CFreeType
import Foundation

/// A glyph's coverage (0 = none, 255 = full ink), placed on the canvas with its top-left
/// pixel at (`left`, `top`).
struct GlyphBitmap {
    var left: Int
    var top: Int
    var width: Int
    var height: Int
    var coverage: [UInt8]
}

/// A glyph's box and advance in font units, y up (the font's own coordinates).
struct GlyphMetrics {
    var advance: Double
    var xMin: Double
    var xMax: Double
    var yMin: Double
    var yMax: Double
}

/// Linear map from font units (y up) to pixels (y up): x' = xx·x + xy·y, y' = yx·x + yy·y.
struct GlyphTransform {
    var xx: Double, xy: Double, yx: Double, yy: Double

    static func scale(_ scale: Double) -> GlyphTransform { GlyphTransform(xx: scale, xy: 0, yx: 0, yy: scale) }

    /// `self` applied after `other`.
    func concatenating(_ other: GlyphTransform) -> GlyphTransform {
        GlyphTransform(xx: xx * other.xx + xy * other.yx, xy: xx * other.xy + xy * other.yy,
                       yx: yx * other.xx + yy * other.yx, yy: yx * other.xy + yy * other.yy)
    }

    func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        (xx * x + xy * y, yx * x + yy * y)
    }
}

/// A smooth displacement (pixels), sums of sines along each axis. On an outline's points it
/// makes a new design of the same digit; on a rendered bitmap, wobbly strokes.
struct ShapeWarp {
    var amplitude: Double
    var wavenumber: Double
    var phases: (Double, Double, Double, Double)

    func displacement(_ x: Double, _ y: Double) -> (dx: Double, dy: Double) {
        (amplitude * (sin(wavenumber * y + phases.0) + 0.5 * sin(1.7 * wavenumber * x + phases.1)),
         amplitude * (sin(wavenumber * x + phases.2) + 0.5 * sin(1.7 * wavenumber * y + phases.3)))
    }
}

/// One thread's FreeType: a library, a face per font over the shared font bytes, and the
/// glyph outlines loaded so far. FreeType objects must not be used by two threads at once,
/// so a rasterizer is only ever used by the one `sample` call that took it from the pool.
final class GlyphRasterizer: @unchecked Sendable {
    private struct Key: Hashable {
        var font: Int
        var scalar: UInt32
    }

    /// An unscaled outline copied out of FreeType, reused for every rendering of the glyph.
    struct StoredOutline {
        var points: [FT_Vector]
        var tags: [CChar]
        var contours: [Int16]
        var flags: Int32
        var metrics: GlyphMetrics
    }

    private let files: [FontBytes]
    private var library: FT_Library?
    private var faces: [FT_Face?] = []
    private var outlines: [Key: StoredOutline?] = [:]
    private var scratchPoints: [FT_Vector] = []
    private var scratchTags: [CChar] = []
    private var scratchContours: [Int16] = []

    init(files: [FontBytes]) throws(SyntheticDataError) {
        self.files = files
        var library: FT_Library?
        let status = FT_Init_FreeType(&library)
        guard status == 0, library != nil else { throw .freeTypeFailed(code: status) }
        self.library = library
        for file in files {
            var face: FT_Face?
            let base = UnsafePointer(file.base.baseAddress!.assumingMemoryBound(to: FT_Byte.self))
            let error = FT_New_Memory_Face(library, base, FT_Long(file.count), 0, &face)
            guard error == 0, face != nil else {
                throw .unreadableFont(file.url, reason: "FreeType error \(error) (not a TrueType/OpenType font?)")
            }
            faces.append(face)
        }
    }

    deinit {
        for face in faces { FT_Done_Face(face) }
        FT_Done_FreeType(library)
    }

    var freeTypeLibrary: FT_Library? { library }

    func unitsPerEm(font: Int) -> Double { Double(faces[font]?.pointee.units_per_EM ?? 1000) }

    func isBold(font: Int) -> Bool { (faces[font]?.pointee.style_flags ?? 0) & arqam_ft_style_bold != 0 }

    func isItalic(font: Int) -> Bool { (faces[font]?.pointee.style_flags ?? 0) & arqam_ft_style_italic != 0 }

    func hasGlyph(font: Int, scalar: UInt32) -> Bool {
        FT_Get_Char_Index(faces[font], FT_ULong(scalar)) != 0
    }

    /// Box and advance of a glyph in font units, nil when the font lacks it.
    func metrics(font: Int, scalar: UInt32) -> GlyphMetrics? {
        outline(font: font, scalar: scalar)?.metrics
    }

    /// Renders a glyph whose origin (pen position on the baseline) lands at `origin` in
    /// canvas pixels (y down): outline → `transform` → stroke width change → shape warp →
    /// anti-aliased coverage. `angular` treats every curve control point as an on-curve
    /// corner: the design's polygon, like the angular digits of display and LCD-style fonts.
    func render(font: Int, scalar: UInt32, transform: GlyphTransform, origin: (x: Double, y: Double),
                embolden: StrokeWidthChange, warp: ShapeWarp?, angular: Bool = false) -> GlyphBitmap? {
        guard let stored = outline(font: font, scalar: scalar), !stored.points.isEmpty else { return nil }
        scratchPoints.removeAll(keepingCapacity: true)
        scratchPoints.append(contentsOf: stored.points)
        scratchTags.removeAll(keepingCapacity: true)
        scratchTags.append(contentsOf: stored.tags)
        if angular {
            for index in scratchTags.indices { scratchTags[index] = (scratchTags[index] & ~3) | 1 }
        }
        scratchContours.removeAll(keepingCapacity: true)
        scratchContours.append(contentsOf: stored.contours)
        let library = self.library
        return FT_Outline.over(points: &scratchPoints, tags: &scratchTags, contours: &scratchContours,
                               flags: stored.flags) { outline, points in
            // Font units → 26.6 pixels, in 16.16 fixed point.
            let fixed = 64.0 * 65536.0
            var matrix = FT_Matrix(xx: FT_Fixed(transform.xx * fixed), xy: FT_Fixed(transform.xy * fixed),
                                   yx: FT_Fixed(transform.yx * fixed), yy: FT_Fixed(transform.yy * fixed))
            FT_Outline_Transform(&outline, &matrix)
            if embolden.x != 0 || embolden.y != 0 {
                if embolden.nibAngle != 0 { Self.rotate(&outline, by: -embolden.nibAngle) }
                FT_Outline_EmboldenXY(&outline, FT_Pos(embolden.x * 64), FT_Pos(embolden.y * 64))
                if embolden.nibAngle != 0 { Self.rotate(&outline, by: embolden.nibAngle) }
            }
            if let warp {
                for index in points.indices {
                    let x = Double(points[index].x) / 64, y = Double(points[index].y) / 64
                    let shift = warp.displacement(x, y)
                    points[index].x += FT_Pos(shift.dx * 64)
                    points[index].y += FT_Pos(shift.dy * 64)
                }
            }
            // Canvas y runs down, outline y up.
            FT_Outline_Translate(&outline, FT_Pos(origin.x * 64), FT_Pos(-origin.y * 64))
            return rasterize(&outline, library: library)
        }
    }

    private static func rotate(_ outline: inout FT_Outline, by angle: Double) {
        let c = FT_Fixed(cos(angle) * 65536), s = FT_Fixed(sin(angle) * 65536)
        var matrix = FT_Matrix(xx: c, xy: -s, yx: s, yy: c)
        FT_Outline_Transform(&outline, &matrix)
    }

    private func rasterize(_ outline: inout FT_Outline, library: FT_Library?) -> GlyphBitmap? {
        var box = FT_BBox()
        FT_Outline_Get_CBox(&outline, &box)
        let left = Int((Double(box.xMin) / 64).rounded(.down))
        let right = Int((Double(box.xMax) / 64).rounded(.up))
        let bottom = Int((Double(box.yMin) / 64).rounded(.down))
        let top = Int((Double(box.yMax) / 64).rounded(.up))
        let width = right - left, height = top - bottom
        guard width > 0, height > 0, width < 4096, height < 4096 else { return nil }
        FT_Outline_Translate(&outline, FT_Pos(-left * 64), FT_Pos(-bottom * 64))
        var coverage = [UInt8](repeating: 0, count: width * height)
        let status = coverage.withUnsafeMutableBufferPointer { buffer in
            var bitmap = FT_Bitmap()
            bitmap.rows = UInt32(height)
            bitmap.width = UInt32(width)
            bitmap.pitch = Int32(width)
            bitmap.buffer = buffer.baseAddress
            bitmap.num_grays = 256
            bitmap.pixel_mode = UInt8(FT_PIXEL_MODE_GRAY.rawValue)
            return FT_Outline_Get_Bitmap(library, &outline, &bitmap)
        }
        guard status == 0 else { return nil }
        // Bitmap row 0 is the outline's top pixel row; canvas rows count down from y = -top.
        return GlyphBitmap(left: left, top: -top, width: width, height: height, coverage: coverage)
    }

    private func outline(font: Int, scalar: UInt32) -> StoredOutline? {
        let key = Key(font: font, scalar: scalar)
        if let cached = outlines[key] { return cached }
        let loaded = loadOutline(font: font, scalar: scalar)
        outlines[key] = loaded
        return loaded
    }

    /// Fonts past the files are drawn designs (`DrawnDigitDesign`), numbered from 0.
    private func loadOutline(font: Int, scalar: UInt32) -> StoredOutline? {
        guard font < faces.count else { return strokedOutline(design: DrawnDigitDesign(index: font - faces.count), scalar: scalar) }
        guard let face = faces[font] else { return nil }
        let glyphIndex = FT_Get_Char_Index(face, FT_ULong(scalar))
        guard glyphIndex != 0, FT_Load_Glyph(face, glyphIndex, arqam_ft_load_no_scale) == 0,
              let slot = face.pointee.glyph, slot.pointee.format == FT_GLYPH_FORMAT_OUTLINE else { return nil }
        let outline = slot.pointee.outline
        let pointCount = Int(outline.n_points), contourCount = Int(outline.n_contours)
        let metrics = slot.pointee.metrics
        let stored = StoredOutline(
            points: pointCount > 0 ? Array(UnsafeBufferPointer(start: outline.points, count: pointCount)) : [],
            tags: pointCount > 0 ? Array(UnsafeBufferPointer(start: outline.tags, count: pointCount)) : [],
            contours: contourCount > 0 ? Array(UnsafeBufferPointer(start: outline.contours, count: contourCount)).map { Int16($0) } : [],
            flags: outline.flags,
            metrics: GlyphMetrics(advance: Double(metrics.horiAdvance),
                                  xMin: Double(metrics.horiBearingX),
                                  xMax: Double(metrics.horiBearingX + metrics.width),
                                  yMin: Double(metrics.horiBearingY - metrics.height),
                                  yMax: Double(metrics.horiBearingY)))
        return stored
    }
}

/// Idle rasterizers, one per thread that has called `sample` at the same time so far.
final class RasterizerPool: @unchecked Sendable {
    private let files: [FontBytes]
    private let lock = NSLock()
    private var idle: [GlyphRasterizer]

    init(files: [FontBytes], first: GlyphRasterizer) {
        self.files = files
        idle = [first]
    }

    func withRasterizer<T>(_ body: (GlyphRasterizer) -> T) -> T {
        let rasterizer = lock.withLock { idle.popLast() } ?? makeRasterizer()
        defer { lock.withLock { idle.append(rasterizer) } }
        return body(rasterizer)
    }

    private func makeRasterizer() -> GlyphRasterizer {
        do {
            return try GlyphRasterizer(files: files)
        } catch {
            // The same bytes opened without error when the generator was made; only an
            // exhausted machine gets here.
            preconditionFailure("FreeType could not reopen fonts it opened before: \(error)")
        }
    }
}

extension FT_Outline {
    /// An outline whose points, tags and contour ends are the three arrays (all of them,
    /// borrowed for `body` only); `body` also gets the points to move them.
    static func over<T>(points: inout [FT_Vector], tags: inout [CChar], contours: inout [Int16], flags: Int32 = 0,
                        _ body: (inout FT_Outline, UnsafeMutableBufferPointer<FT_Vector>) -> T) -> T {
        points.withUnsafeMutableBufferPointer { pointBuffer in
            tags.withUnsafeMutableBufferPointer { tagBuffer in
                contours.withUnsafeMutableBufferPointer { contourBuffer in
                    var outline = FT_Outline()
                    outline.n_points = numericCast(pointBuffer.count)
                    outline.n_contours = numericCast(contourBuffer.count)
                    outline.points = pointBuffer.baseAddress
                    outline.tags = tagBuffer.baseAddress
                    outline.contours = contourBuffer.baseAddress
                    outline.flags = flags
                    return body(&outline, pointBuffer)
                }
            }
        }
    }
}

extension GlyphBitmap {
    /// The bitmap resampled through `warp` (bilinear), grown by the warp's reach on every side.
    /// The displacement is a sum of one-axis terms, so it comes from two small tables.
    func warped(by warp: ShapeWarp) -> GlyphBitmap {
        let pad = Int((1.5 * warp.amplitude).rounded(.up)) + 1
        let newWidth = width + 2 * pad, newHeight = height + 2 * pad
        let a = warp.amplitude, k = warp.wavenumber
        let shiftAlongRows = (0..<newHeight).map { a * sin(k * Double($0) + warp.phases.0) }
        let shiftAlongColumns = (0..<newWidth).map { 0.5 * a * sin(1.7 * k * Double($0) + warp.phases.1) }
        let liftAlongColumns = (0..<newWidth).map { a * sin(k * Double($0) + warp.phases.2) }
        let liftAlongRows = (0..<newHeight).map { 0.5 * a * sin(1.7 * k * Double($0) + warp.phases.3) }
        var result = [UInt8](repeating: 0, count: newWidth * newHeight)
        coverage.withUnsafeBufferPointer { source in
            func value(_ x: Int, _ y: Int) -> Double {
                x >= 0 && x < width && y >= 0 && y < height ? Double(source[y * width + x]) : 0
            }
            for y in 0..<newHeight {
                for x in 0..<newWidth {
                    let sx = Double(x - pad) + shiftAlongRows[y] + shiftAlongColumns[x]
                    let sy = Double(y - pad) + liftAlongColumns[x] + liftAlongRows[y]
                    let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                    guard x0 >= -1, x0 < width, y0 >= -1, y0 < height else { continue }
                    let fx = sx - Double(x0), fy = sy - Double(y0)
                    let top = value(x0, y0) * (1 - fx) + value(x0 + 1, y0) * fx
                    let bottom = value(x0, y0 + 1) * (1 - fx) + value(x0 + 1, y0 + 1) * fx
                    result[y * newWidth + x] = UInt8(min(255, (top * (1 - fy) + bottom * fy).rounded()))
                }
            }
        }
        return GlyphBitmap(left: left - pad, top: top - pad, width: newWidth, height: newHeight, coverage: result)
    }
}
