import ArqamNN
import CFreeType
import Foundation

/// One pen stroke of a digit's skeleton: points in digit heights (x right, y up, baseline 0,
/// digit height 1). A closed stroke returns to its first point.
struct SkeletonStroke {
    var points: [(x: Double, y: Double)]
    var closed = false
}

/// Digit designs drawn from pen skeletons instead of taken from a font: squared, segmented,
/// rounded and geometric shapes (seven-segment displays, ring zeros, boxy signage digits)
/// that no bending of the five font families reaches. Each design fixes one skeleton per
/// digit, a pen width, caps and joins, how much corners are rounded and whether strokes
/// break into segments; the layout then bends it like any font.
struct DrawnDigitDesign: Sendable {
    /// How many designs the generator draws from.
    static let count = 96
    /// Outline units per digit height (the designs' "em").
    static let unitsPerHeight = 1000.0

    enum Pen: CaseIterable { case round, square, flat }

    var index: Int
    var widthScale: Double
    /// Pen width in digit heights.
    var strokeWidth: Double
    var pen: Pen
    /// Corner-rounding passes (0: sharp corners).
    var smoothing: Int
    /// Gap left at each corner in digit heights: strokes drawn as separate segments.
    var segmentGap: Double
    /// Height of the loop of ٥ and ۵ (digit heights).
    var loopHeight: Double

    init(index: Int) {
        var rng = SeededRandom(seed: 0xD1A9_0000).derived(UInt64(index))
        self.index = index
        // Narrow and bold together would close the gaps between the teeth of ٣.
        widthScale = rng.uniform(0.85...1.35)
        strokeWidth = rng.chance(0.7) ? rng.uniform(0.07...0.13) : rng.uniform(0.05...0.16)
        pen = rng.pick(Pen.allCases)
        smoothing = rng.chance(0.45) ? 0 : rng.integer(1...3)
        segmentGap = smoothing == 0 && rng.chance(0.35) ? rng.uniform(0.02...0.06) : 0
        loopHeight = rng.uniform(0.55...1)
    }

    /// The strokes of `scalar` in this design, in outline units; nil for anything but a digit.
    func strokes(for scalar: UInt32) -> [SkeletonStroke]? {
        guard let variants = DigitSkeletons.variants(scalar) else { return nil }
        var rng = SeededRandom(seed: 0xD1A9_0001).derived(UInt64(index) << 32 | UInt64(scalar))
        let isLoopDigit = scalar == 0x665 || scalar == 0x6F5
        let chosen = rng.pick(variants)
        return chosen.flatMap { stroke -> [SkeletonStroke] in
            var points = stroke.points.map { point in
                (x: (point.x + rng.jitter(0.025)) * widthScale,
                 y: (isLoopDigit ? point.y * loopHeight / 0.7 : point.y) + rng.jitter(0.025))
            }
            if smoothing > 0 { points = Self.rounded(points, closed: stroke.closed, passes: smoothing) }
            let pieces = segmentGap > 0 ? Self.segments(points, closed: stroke.closed, gap: segmentGap) : [Self.open(points, closed: stroke.closed)]
            return pieces.map { SkeletonStroke(points: $0.map { (x: $0.x * Self.unitsPerHeight, y: $0.y * Self.unitsPerHeight) }) }
        }
    }

    /// Chaikin corner cutting: each pass replaces a corner by two points a quarter along its sides.
    static func rounded(_ points: [(x: Double, y: Double)], closed: Bool, passes: Int) -> [(x: Double, y: Double)] {
        var current = points
        for _ in 0..<passes where current.count > 2 {
            let sides = closed ? current.count : current.count - 1
            var next: [(x: Double, y: Double)] = closed ? [] : [current[0]]
            for side in 0..<sides {
                let a = current[side], b = current[(side + 1) % current.count]
                // An open stroke keeps its two ends; only its corners are cut.
                if closed || side > 0 { next.append((0.75 * a.x + 0.25 * b.x, 0.75 * a.y + 0.25 * b.y)) }
                if closed || side < sides - 1 { next.append((0.25 * a.x + 0.75 * b.x, 0.25 * a.y + 0.75 * b.y)) }
            }
            if !closed { next.append(current[current.count - 1]) }
            current = next
        }
        return current
    }

    /// A closed stroke as an open path that runs once round and on over its first side: the
    /// stroker then joins the seam like any other corner, and one outline's windings never cancel.
    static func open(_ points: [(x: Double, y: Double)], closed: Bool) -> [(x: Double, y: Double)] {
        closed && points.count > 1 ? points + [points[0], points[1]] : points
    }

    /// Each side as its own stroke, shortened by `gap` at both ends (sides too short are kept whole).
    static func segments(_ points: [(x: Double, y: Double)], closed: Bool, gap: Double) -> [[(x: Double, y: Double)]] {
        guard points.count > 1 else { return [points] }
        let ends = closed ? points + [points[0]] : points
        return zip(ends, ends.dropFirst()).map { a, b in
            let length = hypot(b.x - a.x, b.y - a.y)
            guard length > 3 * gap else { return [a, b] }
            let t = gap / length
            return [(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t), (b.x - (b.x - a.x) * t, b.y - (b.y - a.y) * t)]
        }
    }
}

extension GlyphRasterizer {
    /// The outline of a drawn digit: its skeleton stroked by FreeType with the design's pen.
    func strokedOutline(design: DrawnDigitDesign, scalar: UInt32) -> StoredOutline? {
        guard let strokes = design.strokes(for: scalar), !strokes.isEmpty else { return nil }
        var points = strokes.flatMap { $0.points.map { FT_Vector(x: FT_Pos($0.x.rounded()), y: FT_Pos($0.y.rounded())) } }
        var tags = [CChar](repeating: 1, count: points.count)
        var contours: [Int16] = []
        var end = -1
        for stroke in strokes {
            end += stroke.points.count
            contours.append(Int16(end))
        }
        var stroker: FT_Stroker?
        guard FT_Stroker_New(freeTypeLibrary, &stroker) == 0, let stroker else { return nil }
        defer { FT_Stroker_Done(stroker) }
        let (cap, join): (FT_Stroker_LineCap, FT_Stroker_LineJoin) = switch design.pen {
        case .round: (FT_STROKER_LINECAP_ROUND, FT_STROKER_LINEJOIN_ROUND)
        case .square: (FT_STROKER_LINECAP_SQUARE, FT_STROKER_LINEJOIN_MITER_FIXED)
        case .flat: (FT_STROKER_LINECAP_BUTT, FT_STROKER_LINEJOIN_BEVEL)
        }
        let radius = design.strokeWidth * DrawnDigitDesign.unitsPerHeight / 2
        FT_Stroker_Set(stroker, FT_Fixed(radius), cap, join, 2 << 16)
        let parsed = FT_Outline.over(points: &points, tags: &tags, contours: &contours) { skeleton, _ in
            FT_Stroker_ParseOutline(stroker, &skeleton, 1)
        }
        guard parsed == 0 else { return nil }
        var pointCount: FT_UInt = 0, contourCount: FT_UInt = 0
        guard FT_Stroker_GetCounts(stroker, &pointCount, &contourCount) == 0, pointCount > 0 else { return nil }
        var outPoints = [FT_Vector](repeating: FT_Vector(), count: Int(pointCount))
        var outTags = [CChar](repeating: 0, count: Int(pointCount))
        var outContours = [Int16](repeating: 0, count: Int(contourCount))
        FT_Outline.over(points: &outPoints, tags: &outTags, contours: &outContours) { stroked, _ in
            // Export appends after the outline's points: start it empty over the full arrays.
            stroked.n_points = 0
            stroked.n_contours = 0
            FT_Stroker_Export(stroker, &stroked)
        }
        let xs = outPoints.map { Double($0.x) }, ys = outPoints.map { Double($0.y) }
        let xMax = xs.max() ?? 0
        return StoredOutline(points: outPoints, tags: outTags, contours: outContours, flags: 0,
                             metrics: GlyphMetrics(advance: xMax + 0.08 * DrawnDigitDesign.unitsPerHeight, xMin: xs.min() ?? 0,
                                                   xMax: xMax, yMin: ys.min() ?? 0, yMax: ys.max() ?? 0))
    }
}
