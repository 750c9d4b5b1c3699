import Foundation

/// A small, fast generator whose stream depends only on its seed, on every platform
/// and Swift version (xoshiro256**, seeded through SplitMix64): training, dropout,
/// initialisation and synthetic data must be reproducible from a number.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitmix = seed
        func next() -> UInt64 {
            splitmix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitmix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// An independent stream for a sub-task (a worker, an image, a layer), so that work
    /// split across threads draws the same numbers whatever the split.
    public func derived(_ stream: UInt64) -> SeededRandom {
        var copy = self
        return SeededRandom(seed: copy.next() ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    /// Uniform in [0, 1), 24 random bits.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1), 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [range.lowerBound, range.upperBound).
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextDouble()
    }

    /// Standard normal (Box–Muller; one value per call keeps the stream simple to replay).
    public mutating func normal() -> Double {
        let u1 = max(nextDouble(), Double.leastNonzeroMagnitude)
        let u2 = nextDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
