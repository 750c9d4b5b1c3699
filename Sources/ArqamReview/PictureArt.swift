/// The model's 200 × 50 input drawn in text: braille, 2 × 4 dots a cell, or ASCII shades.
///
/// Each dot is on where there is ink. Like chafa, a cell with contrast of its own is split
/// at the middle of its own range, so a faint stroke next to a dark one still shows; a flat
/// cell follows the picture-wide threshold, so paper noise stays blank.
struct PictureArt {
    /// Text cells per model time step: 1 draws 50 columns, 2 draws 100, 3 draws 150.
    let cellsPerStep: Int

    var columns: Int { ModelPicture.steps * cellsPerStep }
    private var dotsWide: Int { columns * 2 }
    /// Square dots (a cell is about twice as tall as wide) keep the picture's 4 : 1 shape.
    private var dotsTall: Int { dotsWide * ModelPicture.height / ModelPicture.width }
    var rows: Int { (dotsTall + 3) / 4 }

    static func rows(cellsPerStep: Int) -> Int { PictureArt(cellsPerStep: cellsPerStep).rows }

    func lines(_ picture: ModelPicture, charset: Charset) -> [[Character]] {
        let ink = inkDots(picture)
        let global = Self.otsuThreshold(ink)
        let range = Self.spread(ink)
        var lines: [[Character]] = []
        for row in 0..<rows {
            var line: [Character] = []
            line.reserveCapacity(columns)
            var cell = [Float](repeating: 0, count: 8)
            for column in 0..<columns {
                for dy in 0..<4 {
                    for dx in 0..<2 {
                        let y = row * 4 + dy
                        cell[dy * 2 + dx] = y < dotsTall ? ink[y * dotsWide + column * 2 + dx] : 0
                    }
                }
                let on = Self.threshold(cell, global: global, minimumContrast: range * 0.25)
                line.append(charset == .unicode ? Self.braille(on) : Self.shade(on))
            }
            lines.append(line)
        }
        return lines
    }

    /// Ink per dot, 0 (paper) … 1 (ink), by averaging the pixels each dot covers. Ink is the
    /// darker side when the picture is mostly light, the lighter side otherwise.
    private func inkDots(_ picture: ModelPicture) -> [Float] {
        let mean = picture.values.reduce(0, +) / Float(picture.values.count)
        let darkInk = mean >= 0.5
        var dots = [Float](repeating: 0, count: dotsWide * dotsTall)
        for dotY in 0..<dotsTall {
            let y0 = dotY * ModelPicture.height / dotsTall
            let y1 = max(y0 + 1, (dotY + 1) * ModelPicture.height / dotsTall)
            for dotX in 0..<dotsWide {
                let x0 = dotX * ModelPicture.width / dotsWide
                let x1 = max(x0 + 1, (dotX + 1) * ModelPicture.width / dotsWide)
                var sum: Float = 0
                for x in x0..<x1 {
                    for y in y0..<y1 { sum += picture[x, y] }
                }
                let value = sum / Float((x1 - x0) * (y1 - y0))
                dots[dotY * dotsWide + dotX] = darkInk ? 1 - value : value
            }
        }
        return dots
    }

    /// Which of a cell's eight dots (row-major, two a row) are ink.
    static func threshold(_ cell: [Float], global: Float, minimumContrast: Float) -> [Bool] {
        let low = cell.min() ?? 0, high = cell.max() ?? 0
        guard high - low >= minimumContrast else {
            let mean = cell.reduce(0, +) / Float(cell.count)
            return Array(repeating: mean > global, count: cell.count)
        }
        let local = (low + high) / 2
        // Paper noise never becomes ink, however much contrast the cell has.
        let floor = global * 0.5
        return cell.map { $0 > local && $0 > floor }
    }

    /// Otsu's threshold over 256 bins: the split that best separates ink from paper.
    static func otsuThreshold(_ values: [Float]) -> Float {
        var histogram = [Int](repeating: 0, count: 256)
        for value in values { histogram[min(255, max(0, Int(value * 255)))] += 1 }
        let total = Double(values.count)
        let weightedTotal = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.element) }
        var backgroundCount = 0.0, backgroundSum = 0.0, best = 0.0, threshold = 127
        for level in 0..<256 {
            backgroundCount += Double(histogram[level])
            backgroundSum += Double(level * histogram[level])
            let foregroundCount = total - backgroundCount
            guard backgroundCount > 0, foregroundCount > 0 else { continue }
            let meanBackground = backgroundSum / backgroundCount
            let meanForeground = (weightedTotal - backgroundSum) / foregroundCount
            let between = backgroundCount * foregroundCount * (meanBackground - meanForeground) * (meanBackground - meanForeground)
            if between > best {
                best = between
                threshold = level
            }
        }
        return (Float(threshold) + 0.5) / 255
    }

    /// The range between the 2nd and 98th percentiles, robust to a few stray pixels; from a
    /// 256-bin histogram, so to within 1/256.
    static func spread(_ values: [Float]) -> Float {
        guard !values.isEmpty else { return 0 }
        var histogram = [Int](repeating: 0, count: 256)
        for value in values { histogram[min(255, max(0, Int(value * 255)))] += 1 }
        func percentile(_ fraction: Int) -> Float {
            let target = values.count * fraction / 100
            var seen = 0
            for (level, count) in histogram.enumerated() {
                seen += count
                if seen > target { return Float(level) / 255 }
            }
            return 1
        }
        return percentile(98) - percentile(2)
    }

    /// Unicode braille: dots 1–3 and 7 down the left column, 4–6 and 8 down the right.
    static func braille(_ on: [Bool]) -> Character {
        let bits: [UInt32] = [0x01, 0x08, 0x02, 0x10, 0x04, 0x20, 0x40, 0x80]
        var pattern: UInt32 = 0
        for (index, isOn) in on.enumerated() where isOn { pattern |= bits[index] }
        return Character(Unicode.Scalar(0x2800 + pattern) ?? " ")
    }

    /// ASCII by how many of the eight dots are ink.
    static func shade(_ on: [Bool]) -> Character {
        let ramp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "@"]
        return ramp[on.count { $0 }]
    }
}
