import Foundation

/// Softmax over the last axis: `p[k] = exp(z[k] − max z) / Σ_j exp(z[j] − max z)`.
/// Shapes: z, p [rows, classes].
enum Softmax {
    static func forward(z: UnsafePointer<Float>, p: UnsafeMutablePointer<Float>, rows: Int, classes: Int) {
        for row in 0 ..< rows {
            let (input, output) = (z + row * classes, p + row * classes)
            var largest = input[0]
            for k in 1 ..< classes { largest = max(largest, input[k]) }
            var sum: Float = 0
            for k in 0 ..< classes {
                output[k] = Foundation.exp(input[k] - largest)
                sum += output[k]
            }
            for k in 0 ..< classes { output[k] /= sum }
        }
    }

    /// dz = p ⊙ (dp − Σ_k p[k]·dp[k]), per row.
    static func backward(p: UnsafePointer<Float>, dp: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>, rows: Int, classes: Int) {
        for row in 0 ..< rows {
            let offset = row * classes
            var dot: Float = 0
            for k in 0 ..< classes { dot += p[offset + k] * dp[offset + k] }
            for k in 0 ..< classes { dz[offset + k] = p[offset + k] * (dp[offset + k] - dot) }
        }
    }
}
