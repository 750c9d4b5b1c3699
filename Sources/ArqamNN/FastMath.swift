/// Vectorised σ and tanh for the LSTM gates, eight lanes at a time. They agree
/// with the exact functions to a few float32 ulps (Cephes expf/tanhf polynomials), far
/// inside the 1e-4 parity budget, and run several times faster than calling libm per
/// element — the gates are about 100k transcendental evaluations per image.
enum FastMath {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        // Clamped so 2ⁿ stays a normal float (exp(−87.3) ≈ 1.2e-38, exp(88.3) ≈ 2.2e38).
        var x = x
        x.replace(with: -87.3, where: x .< -87.3)
        x.replace(with: 88.3, where: x .> 88.3)
        // Adding 1.5·2²³ rounds x·log2(e) to an integer n held in the low mantissa bits.
        let magic = Vector(repeating: 12_582_912)
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = Vector(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * (r * r) + r + 1
        // 2ⁿ: n + 127 shifted into the exponent field (the magic's own bits shift out).
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self)
        return p * unsafeBitCast((bits &+ 127) &<< 23, to: Vector.self)
    }

    @inline(__always)
    static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        let large = 1 - 2 / (exp(x + x) + 1)
        // Near 0 the form above loses relative precision; Cephes' odd polynomial does not.
        let z = x * x
        var p = Vector(repeating: -5.704_988_7e-3)
        p = p * z + 2.063_908_9e-2
        p = p * z - 5.373_971_6e-2
        p = p * z + 1.333_144_2e-1
        p = p * z - 3.333_328_2e-1
        let small = p * z * x + x
        var result = large
        result.replace(with: small, where: (x .< 0.625) .& (x .> -0.625))
        return result
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }
}
