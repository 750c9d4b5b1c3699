import ArqamNN
import Foundation

/// Dot-matrix print, still common on government forms: a head of `pins` pins fires round dots
/// on a grid fixed to the line (so every digit's rows line up, and a dead pin leaves the same
/// row blank in all of them), the ribbon wears, the head wobbles, ink soaks into the paper and
/// merges neighbouring dots, and some drivers strike every line twice, a little apart.
/// Lengths are in vertical pitches unless said otherwise.
struct DotMatrixPrint {
    /// Grid spacing down the digit, in digit heights.
    var pitch: Double
    /// Spacing along the line; under 1 the dots overlap, as heads print half steps.
    var across: Double
    var dot: Double
    /// Each dot up to this much fainter.
    var wear: Double
    /// Each dot up to this far off its grid point, either way.
    var jitter: Double
    /// Blur (standard deviation) of ink soaking into the paper.
    var bleed: Double
    /// Where the second pass lands, if the line is struck twice.
    var secondStrike: (x: Double, y: Double)?
    var pins: Int
    var deadPin: Int?
    var seed: UInt64

    /// 9-pin heads put 7–9 dots down a digit with big dots; 24-pin ones up to 16, finer.
    static func random(_ rng: inout SeededRandom) -> DotMatrixPrint {
        let ninePin = rng.chance(0.5)
        let pins = ninePin ? 9 : 24
        return DotMatrixPrint(
            pitch: 1 / (ninePin ? rng.uniform(7...9.5) : rng.uniform(10...16)),
            across: rng.uniform(0.5...1),
            dot: ninePin ? rng.uniform(0.9...1.3) : rng.uniform(0.8...1.3),
            wear: rng.chance(0.5) ? rng.uniform(0.1...0.6) : 0,
            jitter: rng.chance(0.5) ? rng.uniform(0.03...0.12) : 0,
            bleed: rng.chance(0.4) ? rng.uniform(0.08...0.25) : 0,
            secondStrike: rng.chance(0.15) ? ((rng.chance(0.5) ? 1 : -1) * rng.uniform(0.2...0.5), rng.uniform(-0.25...0.25)) : nil,
            pins: pins,
            deadPin: rng.chance(0.15) ? Int(rng.next() % UInt64(pins)) : nil,
            seed: rng.next())
    }

    /// How far visible ink reaches beyond the shape, in digit heights: two widths of the bleed.
    var reach: Double { pitch * reachInPitches(bleedWidths: 2) }

    /// How far ink reaches beyond the shape, in pitches, counting `bleedWidths` standard
    /// deviations of the bleed.
    func reachInPitches(bleedWidths: Double) -> Double {
        let strike = secondStrike.map { max(abs($0.x), abs($0.y)) } ?? 0
        return dot / 2 + jitter + strike + bleedWidths * bleed
    }
}

extension GlyphBitmap {
    /// The shape as dots: at each grid point whose cell holds ink (coverage of half or more
    /// anywhere in it, so that a stroke thinner than the pitch still leaves its chain of dots)
    /// a round anti-aliased dot. The grid is in canvas pixels, `down` apart vertically.
    func dotted(_ print: DotMatrixPrint, down: Double) -> GlyphBitmap {
        let across = max(1, down * print.across)
        let radius = print.dot * down / 2
        let sigma = print.bleed * down
        let strike = print.secondStrike.map { (x: $0.x * down, y: $0.y * down) }
        // Room for the blur's whole kernel (three standard deviations) around the furthest dot.
        let pad = Int((down * print.reachInPitches(bleedWidths: 3)).rounded(.up)) + 1
        // Ink amounts 0…1, the bitmap's pixel (0, 0) at canvas point (origin.x, origin.y).
        let origin = (x: Double(left - pad), y: Double(top - pad))
        var dots = SynthCanvas(width: width + 2 * pad, height: height + 2 * pad, fill: 0)
        let rows = Int((Double(top) / down).rounded(.down))...Int((Double(top + height) / down).rounded(.up))
        let columns = Int((Double(left) / across).rounded(.down))...Int((Double(left + width) / across).rounded(.up))
        for row in rows where print.deadPin.map({ (row % print.pins + print.pins) % print.pins != $0 }) ?? true {
            let y = (Double(row) + 0.5) * down
            for column in columns where holdsInk(x: (Double(column) + 0.5) * across, y: y, across: across, down: down) {
                var rng = SeededRandom(seed: print.seed).derived(UInt64(bitPattern: Int64(row)) << 32 ^ UInt64(bitPattern: Int64(column)))
                let x = (Double(column) + 0.5) * across + print.jitter * down * rng.uniform(-1...1)
                let dy = print.jitter * down * rng.uniform(-1...1)
                dots.stamp(x: x - origin.x, y: y + dy - origin.y, radius: radius, strength: 1 - print.wear * rng.nextDouble())
                if let strike {
                    dots.stamp(x: x + strike.x - origin.x, y: y + dy + strike.y - origin.y, radius: radius,
                               strength: 1 - print.wear * rng.nextDouble())
                }
            }
        }
        if sigma >= 0.3 {
            // Scaled so that a lone dot's centre keeps its ink: the ink spreads, it does not fade.
            dots.blur(sigma: sigma)
            let gain = Float(1 / (1 - exp(-radius * radius / (2 * sigma * sigma))))
            for index in dots.pixels.indices { dots.pixels[index] *= gain }
        }
        return GlyphBitmap(left: left - pad, top: top - pad, width: dots.width, height: dots.height,
                           coverage: dots.pixels.map { UInt8((255 * min($0, 1)).rounded()) })
    }

    /// Whether the cell around canvas point (x, y) holds ink.
    private func holdsInk(x: Double, y: Double, across: Double, down: Double) -> Bool {
        let (top, bottom) = (max(0, Int((y - down / 2).rounded(.down)) - self.top), min(height, Int((y + down / 2).rounded(.down)) + 1 - self.top))
        let (first, last) = (max(0, Int((x - across / 2).rounded(.down)) - left), min(width, Int((x + across / 2).rounded(.down)) + 1 - left))
        guard top < bottom, first < last else { return false }
        return (top..<bottom).contains { y in (first..<last).contains { x in coverage[y * width + x] >= 128 } }
    }
}

private extension SynthCanvas {
    /// A round anti-aliased dot centred on (x, y); overlapping dots keep the darker ink.
    mutating func stamp(x: Double, y: Double, radius: Double, strength: Double) {
        let (top, bottom) = (max(0, Int((y - radius).rounded(.down)) - 1), min(height - 1, Int((y + radius).rounded(.down)) + 1))
        let (first, last) = (max(0, Int((x - radius).rounded(.down)) - 1), min(width - 1, Int((x + radius).rounded(.down)) + 1))
        guard top <= bottom, first <= last else { return }
        for py in top...bottom {
            for px in first...last {
                let distance = ((Double(px) + 0.5 - x) * (Double(px) + 0.5 - x) + (Double(py) + 0.5 - y) * (Double(py) + 0.5 - y)).squareRoot()
                let ink = Float(strength * min(max(radius - distance + 0.5, 0), 1))
                pixels[py * width + px] = max(pixels[py * width + px], ink)
            }
        }
    }
}
