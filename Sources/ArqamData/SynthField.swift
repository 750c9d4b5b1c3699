import ArqamNN
import ArqamOCR
import Foundation

/// What a form prints around the digits.
enum FieldDecoration: CaseIterable {
    case plain, underline, dottedLine, box, comb, tableCell
}

/// The geometry of one synthetic field crop, before ink, paper and damage.
struct FieldLayout {
    struct Line {
        var from: (x: Double, y: Double)
        var to: (x: Double, y: Double)
        var width: Double
    }

    struct Dot {
        var center: (x: Double, y: Double)
        var radius: Double
    }

    var width: Int
    var height: Int
    var decoration: FieldDecoration
    var digits: [PlacedGlyph]
    var caption: [PlacedGlyph] = []
    var lines: [Line] = []
    var dots: [Dot] = []
    /// Whole-crop rotation (radians) and horizontal shear about the centre: a skewed scan.
    var rotation = 0.0
    var shear = 0.0
    /// Height of the digits in crop pixels.
    var digitHeight = 0.0

    /// Digit height once the crop is resized to the model's 50-pixel-high input.
    var modelDigitHeight: Double { Self.modelPixels(digitHeight, cropHeight: height) }

    /// A length in crop pixels once the crop is resized to the model's input height.
    static func modelPixels(_ pixels: Double, cropHeight: Int) -> Double {
        pixels * Double(Preprocessing.height) / Double(cropHeight)
    }

    /// The time steps of the model are 4 columns of a 200-wide input. Most crops give a
    /// character at least 2 steps; real crops with a caption or a long ID in a wide field often
    /// give fewer, down to what CTC needs: one step per character and one more per repeated pair.
    static let comfortableModelColumnsPerCharacter = 8.5

    /// For a squeezed crop (30 %), the model columns per character it is drawn at.
    static func squeezedColumnsPerCharacter(_ label: String, rng: inout SeededRandom) -> Double? {
        guard rng.chance(0.3) else { return nil }
        let columnsPerStep = Double(Preprocessing.width) / Double(LabelRules.timeSteps)
        let ctcLimit = columnsPerStep * Double(LabelRules.stepsNeeded(label)) / Double(max(1, label.count))
        return max(ctcLimit + 1.5, rng.uniform(5...comfortableModelColumnsPerCharacter))
    }

    /// Smallest digit height in the model's input: the two 2 × 2 poolings leave such a digit
    /// two rows of the features the LSTMs read.
    static let smallestModelDigitHeight = 8.0

    /// `above` shows the foot of the line above; `wholeAbove` is a caption line cropped with
    /// its field, the digits in the lower part.
    enum CaptionPlace { case none, right, left, above, wholeAbove }

    /// A layout whose digits are at least `smallestModelDigitHeight` tall in the model's input:
    /// one squeezed smaller is drawn again (another size, margins, caption).
    static func random(text: SynthText, placer: GlyphPlacer, rng: inout SeededRandom) -> FieldLayout {
        var layout = attempt(text: text, placer: placer, rng: &rng)
        for _ in 0 ..< 8 where layout.modelDigitHeight < smallestModelDigitHeight {
            layout = attempt(text: text, placer: placer, rng: &rng)
        }
        return layout
    }

    private static func attempt(text: SynthText, placer: GlyphPlacer, rng: inout SeededRandom) -> FieldLayout {
        let decoration = FieldDecoration.allCases[rng.weighted([0.26, 0.12, 0.08, 0.2, 0.14, 0.2])]
        // Some crops come at the model's own 200 × 50, but not long combs: squeezed into 4:1,
        // their cells would leave digits a few pixels tall.
        let direct = rng.chance(0.2) && !(decoration == .comb && text.label.count > 10)
        let height = direct ? 50 : Int(rng.logUniform(32...120).rounded())
        let h = Double(height)
        // Small print in a tall crop (a large caption beside it, generous margins) reaches the
        // model 8–16 pixels high.
        let smallInCrop = !direct && rng.chance(0.2)
        let captionPlace = [CaptionPlace.none, .right, .left, .above, .wholeAbove][rng.weighted([0.64, 0.18, 0.07, 0.05, 0.06])]
        let heightFraction = smallInCrop ? rng.uniform(0.16...0.32)
            : captionPlace == .wholeAbove && !direct ? rng.uniform(0.22...0.42)
            : decoration == .comb ? rng.uniform(0.3...0.55) : rng.uniform(0.32...0.72)
        let style = TextStyle.random(&rng, catalog: placer.catalog, digitHeight: h * heightFraction)
        let lineWidth = rng.chance(0.8) ? rng.uniform(0.7...(1.2 + h / 60)) : rng.uniform(1.5...(2 + h / 30))
        var margins = (left: rng.uniform(0.05...0.9), right: rng.uniform(0.05...0.9))
        // Room for the whole caption as often as for its first letters.
        if captionPlace == .right { margins.right += rng.uniform(1...7) }
        if captionPlace == .left { margins.left += rng.uniform(1...4) }

        // Too wide or too tall for the crop: shrink the digits and lay them out again.
        var fit = 1.0
        var layout = FieldLayout(width: 0, height: height, decoration: decoration, digits: [])
        var textBox = Box(minX: 0, minY: 0, maxX: 0, maxY: 0)
        var contentBox = textBox
        let squeeze = direct ? nil : Self.squeezedColumnsPerCharacter(text.label, rng: &rng)
        let maximumWidth = direct ? 196 : (squeeze == nil ? 9 : 14) * h
        for _ in 0..<8 {
            var sized = style
            sized.digitHeight *= fit
            layout.digits = placer.layoutText(text, style: sized, rng: &rng)
            layout.lines = []
            layout.dots = []
            contentBox = layout.decorate(style: sized, lineWidth: lineWidth, rng: &rng)
            textBox = layout.digitBox
            let needed = contentBox.width + (margins.left + margins.right) * sized.digitHeight
            let shrink = min(maximumWidth / needed, (h - 2) / textBox.height)
            if shrink >= 1 { break }
            fit *= shrink * 0.97
        }
        let digitHeight = style.digitHeight * fit
        layout.digitHeight = digitHeight

        // Crop width: content and margins, at least a typical field's aspect ratio, but not so
        // wide that the digits shrink below what the model can separate; a squeezed crop is as
        // wide as that allows. A short number's own small box is often cropped to the box
        // instead: the reader stretches it to 200 × 50, so a lone digit arrives five times as
        // wide as it was drawn.
        let columns = squeeze ?? Self.comfortableModelColumnsPerCharacter
        let widthForPitch = textBox.width * 200 / (columns * Double(max(1, layout.digits.count)))
        let smallest = contentBox.width + 2
        var desired = contentBox.width + (margins.left + margins.right) * digitHeight
        if !direct {
            let croppedToContent = text.label.count <= 4 && rng.chance(0.35)
            if !croppedToContent { desired = max(desired, rng.uniform(2.6...4.2) * h, squeeze == nil ? 0 : widthForPitch) }
        }
        let width = direct && smallest <= 200 ? 200 : min(max(desired, smallest), max(smallest, min(maximumWidth, widthForPitch)))
        layout.width = Int(width.rounded(.up))

        // Horizontal place: the spare width split at random (left-, centre- or right-aligned),
        // a side caption getting its side's share.
        let spare = Double(layout.width) - contentBox.width
        var leftShare = rng.pick([0.5, rng.uniform(0...1), rng.uniform(0...0.25), rng.uniform(0.75...1)])
        if captionPlace == .right || captionPlace == .left { leftShare = margins.left / (margins.left + margins.right) }
        let dx = spare * leftShare - contentBox.minX
        // Vertical place: digits near the middle, never touching the top or bottom; under a
        // whole caption, near the bottom.
        let slack = max(0, (h - textBox.height) / 2 - 1)
        var dy = h / 2 + rng.jitter(0.35 * slack).clamped(to: -slack...slack) - textBox.midY
        if captionPlace == .wholeAbove {
            let bottom = max(h - 1 - rng.uniform(0.1...0.5) * digitHeight, textBox.height + 1)
            dy = min(bottom, h - 1) - textBox.maxY
        }
        layout.move(dx, dy)
        textBox = textBox.offsetBy(dx, dy)
        contentBox = contentBox.offsetBy(dx, dy)

        if decoration == .tableCell { layout.addTableLines(text: textBox, lineWidth: lineWidth, rng: &rng) }
        if captionPlace != .none {
            layout.addCaption(captionPlace, text: textBox, content: contentBox, digitHeight: digitHeight,
                              placer: placer, rng: &rng)
        }
        // Skew no more than the margins allow: the digits must stay whole.
        let verticalRoom = min(textBox.minY, h - textBox.maxY)
        let horizontalRoom = min(textBox.minX, Double(layout.width) - textBox.maxX)
        let maximumRotation = max(0, verticalRoom - 1) / (Double(layout.width) / 2 + 1)
        layout.rotation = rng.jitter(0.012).clamped(to: -maximumRotation...maximumRotation)
        let maximumShear = max(0, horizontalRoom - 1) / (h / 2 + 1)
        layout.shear = rng.chance(0.3) ? rng.jitter(0.06).clamped(to: -maximumShear...maximumShear) : 0
        return layout
    }

    /// Where the digits' ink can reach.
    var digitBox: Box {
        digits.dropFirst().reduce(digits.first?.inkBox ?? Box(minX: 0, minY: 0, maxX: 0, maxY: 0)) { $0.union($1.inkBox) }
    }

    mutating func move(_ dx: Double, _ dy: Double) {
        for index in digits.indices { digits[index].move(dx, dy) }
        for index in caption.indices { caption[index].move(dx, dy) }
        for index in lines.indices {
            lines[index].from = (lines[index].from.x + dx, lines[index].from.y + dy)
            lines[index].to = (lines[index].to.x + dx, lines[index].to.y + dy)
        }
        for index in dots.indices { dots[index].center = (dots[index].center.x + dx, dots[index].center.y + dy) }
    }

    /// Maps field coordinates to the skewed crop.
    func skew(_ point: (x: Double, y: Double)) -> (x: Double, y: Double) {
        let cx = Double(width) / 2, cy = Double(height) / 2
        let x = point.x - cx + shear * (point.y - cy), y = point.y - cy
        return (cx + cos(rotation) * x - sin(rotation) * y, cy + sin(rotation) * x + cos(rotation) * y)
    }

    /// The skew as a linear map of y-up glyph coordinates.
    var glyphSkew: GlyphTransform {
        let rotate = GlyphTransform(xx: cos(rotation), xy: sin(rotation), yx: -sin(rotation), yy: cos(rotation))
        return rotate.concatenating(GlyphTransform(xx: 1, xy: -shear, yx: 0, yy: 1))
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
