/// Winograd F(4×4, 3×3)'s kernel side and bookkeeping: the kernel transform U = G·g·Gᵀ
/// and its adjoint, scratch sizing and the per-point matrix products M[ξ] = V[ξ]·U[ξ].
/// The input and output transforms live in `Winograd4x4.swift`.
extension Winograd4x4 {
    /// Transform points per tile, ξ = (tileSize + 2)·row + column.
    static var points: Int { (tileSize + 2) * (tileSize + 2) }

    /// Floats of scratch for `rows` tile rows: V, M and the tile outputs.
    func scratchCount(rows: Int) -> Int {
        let tiles = rows * tileColumns
        return Self.points * tiles * (inChannels + outChannels) + tiles * Self.tileSize * Self.tileSize * outChannels
    }

    /// M[ξ] = V[ξ]·U[ξ] for every point ξ: V [points, tiles, inChannels], U [points,
    /// inChannels, outChannels], M [points, tiles, outChannels].
    func multiply(v: UnsafePointer<Float>, u: UnsafePointer<Float>, tiles: Int, into m: UnsafeMutablePointer<Float>) {
        for xi in 0 ..< Self.points {
            BLAS.gemm(m: tiles, n: outChannels, k: inChannels, a: v + xi * tiles * inChannels, lda: inChannels,
                      b: u + xi * inChannels * outChannels, ldb: outChannels, beta: 0, c: m + xi * tiles * outChannels, ldc: outChannels)
        }
    }

    /// U = G·g·Gᵀ for an HWIO kernel [3, 3, cin, cout], computed in Double; `flipped`
    /// transforms the kernel of the input gradient instead, g′[a][b][cout][cin] = g[2−a][2−b][cin][cout].
    static func transformKernel(_ kernel: UnsafePointer<Float>, inChannels: Int, outChannels: Int, flipped: Bool = false,
                                into u: UnsafeMutablePointer<Float>) {
        let g = kernelTransform, side = tileSize + 2
        let (rows, columns) = flipped ? (outChannels, inChannels) : (inChannels, outChannels)
        func tap(_ a: Int, _ b: Int, _ row: Int, _ column: Int) -> Double {
            flipped
                ? Double(kernel[((2 - a) * 3 + (2 - b)) * inChannels * outChannels + column * outChannels + row])
                : Double(kernel[(a * 3 + b) * inChannels * outChannels + row * outChannels + column])
        }
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                for x in 0 ..< side {
                    for y in 0 ..< side {
                        var sum = 0.0
                        for a in 0 ..< 3 {
                            for b in 0 ..< 3 { sum += g[x * 3 + a] * tap(a, b, row, column) * g[y * 3 + b] }
                        }
                        u[(x * side + y) * rows * columns + row * columns + column] = Float(sum)
                    }
                }
            }
        }
    }

    /// dKernel [3, 3, cin, cout] += Gᵀ·dU·G for dU [points, cin, cout], the gradient
    /// with respect to U = G·g·Gᵀ.
    static func kernelGradient(_ dU: UnsafePointer<Float>, inChannels: Int, outChannels: Int, into dKernel: UnsafeMutablePointer<Float>) {
        let g = kernelTransform.map(Float.init), side = tileSize + 2
        let plane = inChannels * outChannels
        for a in 0 ..< 3 {
            for b in 0 ..< 3 {
                let target = dKernel + (a * 3 + b) * plane
                for x in 0 ..< side where g[x * 3 + a] != 0 {
                    for y in 0 ..< side where g[y * 3 + b] != 0 {
                        let weight = g[x * 3 + a] * g[y * 3 + b], source = dU + (x * side + y) * plane
                        for index in 0 ..< plane { target[index] += weight * source[index] }
                    }
                }
            }
        }
    }
}
