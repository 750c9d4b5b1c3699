import ArqamNN
import Foundation

/// What forms print around the digits: guide lines, boxes, combs, table rules, captions.
/// None of it may touch a digit (a line through a digit changes what it says), but all of it
/// may run off the crop's edges, as it does in real crops.
extension FieldLayout {
    /// Draws the decoration around digits laid out on baseline 0 and returns the box the crop
    /// must contain (digits, and the box or comb that holds them).
    mutating func decorate(style: TextStyle, lineWidth: Double, rng: inout SeededRandom) -> Box {
        let size = style.digitHeight
        let text = digitBox
        switch decoration {
        case .plain, .tableCell:
            return text
        case .underline, .dottedLine:
            let y = text.maxY + rng.uniform(0.08...0.35) * size + lineWidth / 2
            let start = text.minX - rng.uniform(0...1.2) * size, end = text.maxX + rng.uniform(0...1.2) * size
            if decoration == .underline {
                lines.append(Line(from: (start, y), to: (end, y), width: lineWidth))
            } else {
                addDots(from: start, to: end, y: y, lineWidth: lineWidth, rng: &rng)
            }
            return text
        case .box:
            let padX = rng.uniform(0.15...0.7) * size, padY = rng.uniform(0.12...0.45) * size
            let frame = Box(minX: text.minX - padX, minY: text.minY - padY, maxX: text.maxX + padX, maxY: text.maxY + padY)
            addRectangle(frame, lineWidth: lineWidth)
            // A crop cut inside the frame keeps only its long sides.
            return rng.chance(0.25) ? text.union(Box(minX: text.minX, minY: frame.minY, maxX: text.maxX, maxY: frame.maxY)) : frame
        case .comb:
            return placeInCells(style: style, lineWidth: lineWidth, rng: &rng)
        }
    }

    /// One character per cell: a full grid, a comb (a base line with ticks) or separate boxes.
    private mutating func placeInCells(style: TextStyle, lineWidth: Double, rng: inout SeededRandom) -> Box {
        let size = style.digitHeight
        let spareCells = rng.chance(0.25) ? rng.integer(1...3) : 0
        let spareBefore = rng.integer(0...spareCells)
        let widest = digits.map(\.inkBox.width).max() ?? size
        let pitch = widest + rng.uniform(0.25...0.8) * size + lineWidth
        for index in digits.indices {
            let room = max(0, (pitch - digits[index].inkBox.width) / 2 - 0.08 * size - lineWidth)
            let center = (Double(spareBefore + index) + 0.5) * pitch + rng.jitter(0.03 * pitch).clamped(to: -room...room)
            digits[index].move(center - digits[index].inkBox.midX, 0)
        }
        let text = digitBox
        let padY = rng.uniform(0.15...0.45) * size
        let cells = digits.count + spareCells
        let frame = Box(minX: 0, minY: text.minY - padY, maxX: Double(cells) * pitch, maxY: text.maxY + padY)
        switch rng.weighted([0.45, 0.3, 0.25]) {
        case 0:
            addRectangle(frame, lineWidth: lineWidth)
            for cell in 1..<cells {
                let x = Double(cell) * pitch
                lines.append(Line(from: (x, frame.minY), to: (x, frame.maxY), width: lineWidth * rng.uniform(0.6...1)))
            }
        case 1:
            lines.append(Line(from: (frame.minX, frame.maxY), to: (frame.maxX, frame.maxY), width: lineWidth))
            let tick = frame.height * rng.uniform(0.25...0.6)
            for cell in 0...cells {
                let x = Double(cell) * pitch
                lines.append(Line(from: (x, frame.maxY - tick), to: (x, frame.maxY), width: lineWidth))
            }
        default:
            let gap = pitch * rng.uniform(0.06...0.16)
            for cell in 0..<cells {
                let x = Double(cell) * pitch
                addRectangle(Box(minX: x + gap / 2, minY: frame.minY, maxX: x + pitch - gap / 2, maxY: frame.maxY),
                             lineWidth: lineWidth)
            }
        }
        return frame
    }

    private mutating func addRectangle(_ frame: Box, lineWidth: Double) {
        let corners = [(frame.minX, frame.minY), (frame.maxX, frame.minY), (frame.maxX, frame.maxY), (frame.minX, frame.maxY)]
        for side in 0..<4 {
            lines.append(Line(from: corners[side], to: corners[(side + 1) % 4], width: lineWidth))
        }
    }

    /// A printed guide of dots or short dashes, small and regular so they cannot pass for ٠.
    private mutating func addDots(from start: Double, to end: Double, y: Double, lineWidth: Double, rng: inout SeededRandom) {
        let radius = max(0.45, lineWidth * rng.uniform(0.45...0.75))
        let spacing = radius * rng.uniform(3...7)
        let dashes = rng.chance(0.35)
        var x = start
        while x < end {
            if dashes {
                lines.append(Line(from: (x, y), to: (x + spacing * 0.5, y), width: lineWidth * 0.8))
            } else {
                dots.append(Dot(center: (x, y), radius: radius))
            }
            x += spacing
        }
    }

    /// Rules of the table the crop was cut from, in the margins only.
    mutating func addTableLines(text: Box, lineWidth: Double, rng: inout SeededRandom) {
        let width = Double(self.width), height = Double(self.height)
        if text.minY > 3, rng.chance(0.7) {
            let y = rng.uniform(0...min(0.15 * height, text.minY - 2))
            lines.append(Line(from: (-5, y), to: (width + 5, y), width: lineWidth))
        }
        if height - text.maxY > 3, rng.chance(0.7) {
            let y = height - rng.uniform(0...min(0.15 * height, height - text.maxY - 2))
            lines.append(Line(from: (-5, y), to: (width + 5, y), width: lineWidth))
        }
        if text.minX > 4, rng.chance(0.4) {
            let x = rng.uniform(0...(text.minX / 2))
            lines.append(Line(from: (x, -5), to: (x, height + 5), width: lineWidth))
        }
        if width - text.maxX > 4, rng.chance(0.4) {
            let x = width - rng.uniform(0...((width - text.maxX) / 2))
            lines.append(Line(from: (x, -5), to: (x, height + 5), width: lineWidth))
        }
    }

    /// An Arabic caption beside the field (often cut by the crop's edge) or the bottom of the
    /// line of text above it.
    mutating func addCaption(_ place: CaptionPlace, text: Box, content: Box, digitHeight: Double,
                             placer: GlyphPlacer, rng: inout SeededRandom) {
        guard !placer.catalog.captionFonts.isEmpty else { return }
        let font = rng.pick(placer.catalog.captionFonts)
        let ending = rng.pick(["", " :", ":"])
        let phrase = rng.pick(SynthCaption.phrases) + ending
        let size = digitHeight * (place == .wholeAbove ? rng.uniform(0.6...1) : rng.uniform(0.65...1.4))
        var glyphs: [PlacedGlyph] = []
        var pen = 0.0
        for scalar in SynthCaption.visualGlyphs(phrase) {
            guard var glyph = placer.place(scalar, font: font, digitHeight: size, aspect: 1, slant: 0, tilt: 0,
                                           embolden: .none, warp: nil, origin: (0, 0)) else { continue }
            glyph.move(pen, 0)
            pen += placer.advance(glyph)
            if scalar != 0x20 { glyphs.append(glyph) }
        }
        guard let first = glyphs.first else { return }
        let box = glyphs.dropFirst().reduce(first.inkBox) { $0.union($1.inkBox) }
        let baseline = digits.map(\.origin.y).reduce(0, +) / Double(max(1, digits.count))
        // Wide enough that no letter (an alef is a ١ to the eye) passes for one more digit; wider
        // on the left, where a caption shows its first letter, most often the alef of "ال".
        let gap = (place == .left ? rng.uniform(0.9...2) : rng.uniform(0.5...1.2)) * digitHeight
        let shift: (x: Double, y: Double)
        switch place {
        case .none:
            return
        case .right:
            shift = (content.maxX + gap - box.minX, baseline + rng.jitter(0.05 * digitHeight))
        case .left:
            shift = (content.minX - gap - box.maxX, baseline + rng.jitter(0.05 * digitHeight))
        case .above:
            // Only the lower part of the line above shows; it must end well above the digits.
            let lowest = text.minY - 0.15 * digitHeight - rng.uniform(0...0.2) * digitHeight
            guard lowest > 2 else { return }
            shift = (rng.uniform(-0.5...0.8) * Double(width) - box.minX, lowest - box.maxY)
        case .wholeAbove:
            // A form's caption over its field starts at the field's right edge (Arabic reads
            // from the right).
            let lowest = text.minY - rng.uniform(0.25...0.6) * digitHeight
            guard lowest > 2 else { return }
            shift = (content.maxX - rng.uniform(0...0.15) * Double(width) - box.maxX, lowest - box.maxY)
        }
        let moved = box.offsetBy(shift.x, shift.y)
        // Too little of it inside the crop to be worth drawing.
        guard moved.maxX > 2, moved.minX < Double(width) - 2, moved.maxY > 1 else { return }
        if place == .right || place == .left {
            guard moved.minY > -0.5 * moved.height, moved.maxY < Double(height) + 0.5 * moved.height else { return }
        }
        caption = glyphs.map { glyph in
            var glyph = glyph
            glyph.move(shift.x, shift.y)
            return glyph
        }
    }
}
