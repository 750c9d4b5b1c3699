import ArqamNN
import ArqamOCR

/// Small random changes to a real image each time a batch draws it: a slightly different
/// size, position, contrast and grain. Two hundred corrected images seen fifteen times are
/// otherwise fifteen identical views, and the model learns those pixels rather than the
/// design; synthetic images need none of this (each is drawn fresh).
enum InputAugmentation {
    /// `input` is a model input (time-major, 200 steps × 50 rows, paper near 1).
    static func augmented(_ input: [Float], rng: inout SeededRandom) -> [Float] {
        let steps = Preprocessing.width, rows = Preprocessing.height
        let scaleX = rng.uniform(0.9...1.1), scaleY = rng.uniform(0.9...1.1)
        let shiftX = rng.uniform(-4...4), shiftY = rng.uniform(-2...2)
        let contrast = Float(rng.uniform(0.75...1.15)), brightness = Float(rng.uniform(-0.08...0.08))
        let grain = rng.uniform(0...1) < 0.5 ? Float(rng.uniform(0.005...0.03)) : 0
        let mean = input.reduce(0, +) / Float(input.count)
        // Sample the source at the inverse of a scale about the centre plus a shift; outside
        // the image, the nearest edge pixel (paper, mostly) fills in.
        let centreX = Double(steps - 1) / 2, centreY = Double(rows - 1) / 2
        func source(_ t: Int, _ y: Int) -> Float {
            input[min(max(t, 0), steps - 1) * rows + min(max(y, 0), rows - 1)]
        }
        var output = [Float](repeating: 0, count: input.count)
        for t in 0..<steps {
            let sx = (Double(t) - centreX - shiftX) / scaleX + centreX
            let x0 = Int(sx.rounded(.down)), fx = Float(sx - Double(x0))
            for y in 0..<rows {
                let sy = (Double(y) - centreY - shiftY) / scaleY + centreY
                let y0 = Int(sy.rounded(.down)), fy = Float(sy - Double(y0))
                let top = source(x0, y0) * (1 - fx) + source(x0 + 1, y0) * fx
                let bottom = source(x0, y0 + 1) * (1 - fx) + source(x0 + 1, y0 + 1) * fx
                let value = top * (1 - fy) + bottom * fy
                let noise = grain > 0 ? grain * Float(rng.normal()) : 0
                output[t * rows + y] = min(1, max(0, contrast * (value - mean) + mean + brightness + noise))
            }
        }
        return output
    }
}
