import ArqamNN
import Foundation

/// Draws built only on `next()`, so that a seed gives the same images whatever the Swift
/// version: the standard library's `random(in:using:)` may change its algorithm.
extension SeededRandom {
    /// Uniform in 0..<count (multiply-high; the bias is below 2⁻⁵⁰ for the small counts used here).
    mutating func below(_ count: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(count)).high)
    }

    /// Uniform in the closed range.
    mutating func integer(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    mutating func chance(_ probability: Double) -> Bool {
        nextDouble() < probability
    }

    mutating func pick<T>(_ choices: [T]) -> T {
        choices[below(choices.count)]
    }

    /// Uniform on a log scale: sizes and scales look alike at every magnitude.
    mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
        exp(uniform(log(range.lowerBound)...log(range.upperBound)))
    }

    /// Index drawn with the given relative weights.
    mutating func weighted(_ weights: [Double]) -> Int {
        var remaining = nextDouble() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            remaining -= weight
            if remaining < 0 { return index }
        }
        return weights.count - 1
    }

    /// Normal with the given spread, clipped to ±3 spreads so a rare draw cannot wreck a layout.
    mutating func jitter(_ spread: Double) -> Double {
        max(-3, min(3, normal())) * spread
    }
}
