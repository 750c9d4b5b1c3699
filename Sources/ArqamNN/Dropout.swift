/// Inverted dropout, active only in training: each kept element is scaled by 1/(1 − rate)
/// so inference (identity) needs no rescaling, as Keras does.
///
/// Shapes: x, y, mask all [count]. A Keras LSTM's input dropout uses one mask per
/// sequence, the same at every time step: `timeConstantMask` spreads a [batch, features]
/// draw over [batch, steps, features].
enum Dropout {
    /// Fills `mask` with 0 (dropped, probability `rate`) or 1/(1 − rate).
    static func drawMask(_ mask: UnsafeMutablePointer<Float>, count: Int, rate: Float, random: inout SeededRandom) {
        let kept = 1 / (1 - rate)
        for index in 0 ..< count { mask[index] = random.nextFloat() < rate ? 0 : kept }
    }

    /// One [features] draw per sequence, repeated over `steps`: mask [steps, features].
    static func drawTimeConstantMask(
        _ mask: UnsafeMutablePointer<Float>, steps: Int, features: Int, rate: Float, random: inout SeededRandom
    ) {
        drawMask(mask, count: features, rate: rate, random: &random)
        for step in 1 ..< max(steps, 1) { (mask + step * features).update(from: mask, count: features) }
    }

    /// y = x ⊙ mask (in place when y == x).
    static func forward(x: UnsafePointer<Float>, mask: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0 ..< count { y[index] = x[index] * mask[index] }
    }

    /// dx = dy ⊙ mask, added to dx when `accumulate`.
    static func backward(dy: UnsafePointer<Float>, mask: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int, accumulate: Bool) {
        if accumulate {
            for index in 0 ..< count { dx[index] += dy[index] * mask[index] }
        } else {
            for index in 0 ..< count { dx[index] = dy[index] * mask[index] }
        }
    }
}
