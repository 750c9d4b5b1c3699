import Foundation

/// Pen skeletons of the Arabic-Indic and Persian digits, several per digit: the geometric
/// shapes of display, signage and LCD designs (Γ-shaped ٢, E-shaped ٤, boxed ٥, ∩-shaped ٨,
/// ring or square ٠), and a few of other families: an arc ٢, a two-pronged ٢ (beside the
/// three-pronged ٣), a ٢ with a curled top, a narrow-box, tall-oval or triangular ٥.
/// Coordinates in digit heights, x right and y up from the baseline; a digit is about 0.6
/// wide before its design's width scale.
enum DigitSkeletons {
    typealias Point = (x: Double, y: Double)

    static func variants(_ scalar: UInt32) -> [[SkeletonStroke]]? {
        switch scalar {
        case 0x660, 0x6F0: zero
        case 0x661, 0x6F1: one
        case 0x662, 0x6F2: two
        case 0x663, 0x6F3: three
        case 0x664: fourArabic
        case 0x6F4: fourPersian
        case 0x665: fiveArabic
        case 0x6F5: fivePersian
        case 0x666: sixArabic
        case 0x6F6: sixPersian
        case 0x667, 0x6F7: seven
        case 0x668, 0x6F8: eight
        case 0x669, 0x6F9: nine
        default: nil
        }
    }

    private static func line(_ points: Point...) -> SkeletonStroke { SkeletonStroke(points: points) }
    private static func loop(_ points: Point...) -> SkeletonStroke { SkeletonStroke(points: points, closed: true) }

    private static func ellipse(center: Point, radii: Point, sides: Int = 12) -> SkeletonStroke {
        SkeletonStroke(points: (0..<sides).map { side in
            let angle = 2 * Double.pi * Double(side) / Double(sides)
            return (center.x + radii.x * cos(angle), center.y + radii.y * sin(angle))
        }, closed: true)
    }

    // A dot's pen fills it: a tiny square or diamond stroked is a blob of the pen's size.
    private static let zero: [[SkeletonStroke]] = [
        [loop((0.27, 0.38), (0.33, 0.38), (0.33, 0.44), (0.27, 0.44))],
        [loop((0.3, 0.33), (0.36, 0.41), (0.3, 0.49), (0.24, 0.41))],
        [loop((0.25, 0.36), (0.35, 0.36), (0.35, 0.46), (0.25, 0.46))],
        [ellipse(center: (0.3, 0.4), radii: (0.14, 0.15))],
        [ellipse(center: (0.3, 0.36), radii: (0.11, 0.12), sides: 8)],
        [loop((0.18, 0.25), (0.42, 0.25), (0.42, 0.52), (0.18, 0.52))],
    ]

    private static let one: [[SkeletonStroke]] = [
        [line((0.3, 0), (0.3, 1))],
        [line((0.18, 0.9), (0.3, 1), (0.3, 0))],
        [line((0.33, 0), (0.28, 1))],
    ]

    private static let two: [[SkeletonStroke]] = [
        [line((0.1, 0), (0.1, 1), (0.55, 1))],
        [line((0.1, 0), (0.1, 0.8), (0.22, 1), (0.55, 1), (0.6, 1.06))],
        [line((0.12, 0), (0.12, 0.7), (0.2, 0.92), (0.4, 0.98), (0.58, 1))],
        [line((0.1, 0), (0.1, 1), (0.55, 1), (0.55, 0.86))],
        [line((0.15, 0), (0.08, 1)), line((0.08, 0.98), (0.35, 0.82), (0.58, 1))],
        [line((0.1, 0), (0.1, 1)), line((0.1, 0.62), (0.55, 0.62), (0.55, 1))],
        [line((0.1, 0), (0.1, 1), (0.42, 1), (0.55, 0.88), (0.42, 0.72), (0.28, 0.74))],
        [line((0.52, 1), (0.28, 0.88), (0.14, 0.55), (0.2, 0.2), (0.42, 0))],
    ]

    // Always three prongs: a stem with one tooth beside it is how most fonts draw ٢, and a
    // design that taught it as ٣ made the model read ٢ as ٣ in Harmattan, Sharjah, Tarablus.
    private static let three: [[SkeletonStroke]] = [
        [line((0.1, 0), (0.1, 1)), line((0.1, 0.62), (0.6, 0.62), (0.6, 1)), line((0.35, 0.62), (0.35, 1))],
        [line((0.1, 0), (0.1, 1), (0.22, 0.7), (0.35, 1), (0.48, 0.7), (0.6, 1))],
        [line((0.1, 0), (0.1, 1), (0.1, 0.68), (0.33, 0.68), (0.33, 0.98)), line((0.33, 0.68), (0.58, 0.68), (0.58, 1))],
    ]

    private static let fourArabic: [[SkeletonStroke]] = [
        [line((0.55, 1), (0.1, 1), (0.1, 0), (0.55, 0)), line((0.1, 0.5), (0.45, 0.5))],
        [line((0.55, 1), (0.1, 1), (0.4, 0.5), (0.1, 0), (0.55, 0))],
        [line((0.55, 0.95), (0.3, 1), (0.12, 0.85), (0.3, 0.55), (0.1, 0.3), (0.25, 0.02), (0.58, 0.05))],
        [line((0.55, 1), (0.12, 1), (0.12, 0.55), (0.45, 0.55)), line((0.12, 0.55), (0.12, 0), (0.58, 0))],
    ]

    private static let fourPersian: [[SkeletonStroke]] = [
        [line((0.1, 0), (0.1, 1), (0.55, 1)), line((0.1, 0.6), (0.5, 0.6), (0.5, 0.72))],
        [line((0.1, 0), (0.1, 1), (0.4, 0.97), (0.2, 0.8), (0.55, 0.68), (0.6, 0.8))],
        [line((0.1, 0), (0.1, 1)), line((0.1, 1), (0.35, 0.85), (0.1, 0.72)), line((0.1, 0.72), (0.45, 0.6), (0.58, 0.72))],
    ]

    // Loops are drawn 0.7 tall here; each design stretches them to its own loop height.
    private static let fiveArabic: [[SkeletonStroke]] = [
        [loop((0.08, 0), (0.55, 0), (0.55, 0.7), (0.08, 0.7))],
        [ellipse(center: (0.31, 0.35), radii: (0.25, 0.35))],
        [loop((0.3, 0.7), (0.08, 0.42), (0.12, 0.05), (0.3, 0), (0.5, 0.05), (0.55, 0.42))],
        [loop((0.15, 0), (0.48, 0), (0.58, 0.12), (0.58, 0.58), (0.48, 0.7), (0.15, 0.7), (0.05, 0.58), (0.05, 0.12))],
        [loop((0.17, 0), (0.43, 0), (0.43, 0.7), (0.17, 0.7))],
        [ellipse(center: (0.3, 0.35), radii: (0.15, 0.35))],
        // Blunt at the top: a square pen's mitre at a sharp apex would rise above the other
        // digits, and a design's digit height is its tallest digit's, so all the rest would shrink.
        [loop((0.04, 0), (0.56, 0), (0.34, 0.7), (0.26, 0.7))],
    ]

    private static let fivePersian: [[SkeletonStroke]] = [
        [loop((0.3, 0.5), (0.14, 0.62), (0.04, 0.4), (0.1, 0.08), (0.3, 0), (0.5, 0.08), (0.56, 0.4), (0.46, 0.62))],
        [loop((0.05, 0), (0.55, 0), (0.55, 0.6), (0.3, 0.42), (0.05, 0.6))],
        [loop((0.3, 0.45), (0.1, 0.65), (0.05, 0.3), (0.3, 0), (0.55, 0.3), (0.5, 0.65))],
    ]

    private static let sixArabic: [[SkeletonStroke]] = [
        [line((0.08, 1), (0.52, 1), (0.52, 0))],
        [line((0.05, 0.85), (0.15, 1), (0.52, 1), (0.52, 0))],
        [line((0.05, 0.9), (0.3, 1), (0.5, 0.9), (0.5, 0))],
        [line((0.05, 1), (0.52, 1), (0.35, 0))],
    ]

    private static let sixPersian: [[SkeletonStroke]] = [
        [line((0.55, 0.9), (0.3, 1), (0.12, 0.85), (0.3, 0.65), (0.55, 0.6), (0.1, 0))],
        [line((0.55, 1), (0.1, 1), (0.1, 0.62), (0.55, 0.62), (0.1, 0))],
        [line((0.5, 1), (0.15, 0.8), (0.5, 0.6), (0.15, 0))],
    ]

    private static let seven: [[SkeletonStroke]] = [
        [line((0.05, 1), (0.3, 0), (0.55, 1))],
        [line((0.05, 1), (0.05, 0), (0.55, 0), (0.55, 1))],
        [line((0.05, 1), (0.12, 0.15), (0.3, 0), (0.48, 0.15), (0.55, 1))],
    ]

    private static let eight: [[SkeletonStroke]] = [
        [line((0.05, 0), (0.3, 1), (0.55, 0))],
        [line((0.05, 0), (0.05, 1), (0.55, 1), (0.55, 0))],
        [line((0.05, 0), (0.12, 0.85), (0.3, 1), (0.48, 0.85), (0.55, 0))],
    ]

    private static let nine: [[SkeletonStroke]] = [
        [loop((0.1, 0.55), (0.52, 0.55), (0.52, 1), (0.1, 1)), line((0.52, 1), (0.52, 0))],
        [ellipse(center: (0.3, 0.78), radii: (0.21, 0.21)), line((0.51, 0.78), (0.51, 0))],
        [line((0.52, 0.55), (0.1, 0.55), (0.1, 1), (0.52, 1), (0.52, 0))],
    ]
}
