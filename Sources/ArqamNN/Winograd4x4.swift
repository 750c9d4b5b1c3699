/// A 3×3 `same` correlation by Winograd's F(4×4, 3×3) (Lavin & Gray 2016, points 0, ±1,
/// ±2, ∞): each 4×4 block of outputs ("tile") comes from a 6×6 block of inputs through
///
///     Y = Aᵀ [ U ⊙ V ] A,   U = G·g·Gᵀ (kernel, once per weights),   V = Bᵀ·d·B (input)
///
/// so the channel sums become 36 matrix products [tiles × inChannels]·[inChannels ×
/// outChannels], 4× fewer multiplications than im2col (F(2×2, 3×3): 2.25×), and per
/// output less V and M to move. The larger transform coefficients (up to 8) cost float32
/// precision: errors of a few 1e-6 of the outputs' scale, against about 1e-7 for direct
/// sums. Used for the CRNN's Conv2 forward,
/// whose 4×4 tiles hold four of pool2's 2×2 windows, its input gradient (the same map
/// with the flipped kernel) and its kernel gradient (the map's adjoint).
///
/// Shapes: input [inputHeight, inputWidth, inChannels] (zero outside), output tiles cover
/// [4·tileRows, 4·tileColumns, outChannels]; U [36, inChannels, outChannels].
struct Winograd4x4 {
    typealias V = FastMath.Vector
    static let tileSize = 4
    static let kernelTransform: [Double] = [1.0 / 4, 0, 0, -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6,
                                            1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 24, -1.0 / 12, 1.0 / 6, 0, 0, 1]

    var inputHeight: Int
    var inputWidth: Int
    var inChannels: Int
    var outChannels: Int
    var tileRows: Int
    var tileColumns: Int

    /// Computes the tiles of tile rows `rows` and returns their outputs grouped in 2×2
    /// windows, [2·rows.count, 2·tileColumns, 4, outChannels]: windows row-major (the
    /// layout of a 2×2 pooling's output), each window's outputs in the order (0,0), (0,1),
    /// (1,0), (1,1).
    func run(
        input: UnsafePointer<Float>, u: UnsafePointer<Float>, rows: Range<Int>,
        scratch: UnsafeMutablePointer<Float>
    ) -> UnsafeMutablePointer<Float> {
        let tiles = rows.count * tileColumns
        let v = scratch, m = scratch + 36 * tiles * inChannels, windows = m + 36 * tiles * outChannels
        transformInput(input, rows: rows, into: v)
        multiply(v: v, u: u, tiles: tiles, into: m)
        transformOutput(m, rows: rows.count, into: windows)
        return windows
    }

    /// One row (or column) of Bᵀ·d with Bᵀ = [[4,0,−5,0,1,0], [0,−4,−4,1,1,0],
    /// [0,4,−4,−1,1,0], [0,−2,−1,2,1,0], [0,2,−1,−2,1,0], [0,4,0,−5,0,1]].
    @inline(__always)
    private static func inputTransform(_ d: UnsafePointer<V>, stride: Int, into e: UnsafeMutablePointer<V>, eStride: Int) {
        let (d0, d1, d2, d3, d4, d5) = (d[0], d[stride], d[2 * stride], d[3 * stride], d[4 * stride], d[5 * stride])
        e[0] = 4 * d0 - 5 * d2 + d4
        e[eStride] = d3 + d4 - 4 * (d1 + d2)
        e[2 * eStride] = 4 * (d1 - d2) + d4 - d3
        e[3 * eStride] = 2 * (d3 - d1) + d4 - d2
        e[4 * eStride] = 2 * (d1 - d3) + d4 - d2
        e[5 * eStride] = 4 * d1 - 5 * d3 + d5
    }

    /// V[ξ][tile][c] = (Bᵀ·d·B)[ξ], ξ = 6·row + column.
    private func transformInput(_ input: UnsafePointer<Float>, rows: Range<Int>, into v: UnsafeMutablePointer<Float>) {
        let tiles = rows.count * tileColumns
        let planeStride = tiles * inChannels
        withUnsafeTemporaryAllocation(of: V.self, capacity: 72) { registers in
            let (d, e) = (registers.baseAddress!, registers.baseAddress! + 36)
            for tileRow in rows {
                for tileColumn in 0 ..< tileColumns {
                    let tile = (tileRow - rows.lowerBound) * tileColumns + tileColumn
                    let (top, left) = (4 * tileRow - 1, 4 * tileColumn - 1)
                    let interior = top >= 0 && top + 6 <= inputHeight && left >= 0 && left + 6 <= inputWidth
                    let corner = input + (top * inputWidth + left) * inChannels
                    var group = 0
                    while group < inChannels {
                        if interior {
                            for r in 0 ..< 6 {
                                for s in 0 ..< 6 { d[r * 6 + s] = FastMath.load(corner + (r * inputWidth + s) * inChannels + group) }
                            }
                        } else {
                            for index in 0 ..< 36 { d[index] = .zero }
                            for r in 0 ..< 6 where top + r >= 0 && top + r < inputHeight {
                                for s in 0 ..< 6 where left + s >= 0 && left + s < inputWidth {
                                    d[r * 6 + s] = FastMath.load(corner + (r * inputWidth + s) * inChannels + group)
                                }
                            }
                        }
                        // Bᵀ·d down each column, then ·B along each row.
                        for s in 0 ..< 6 { Self.inputTransform(d + s, stride: 6, into: e + s, eStride: 6) }
                        for x in 0 ..< 6 { Self.inputTransform(e + 6 * x, stride: 1, into: d + 6 * x, eStride: 1) }
                        let out = v + tile * inChannels + group
                        for xi in 0 ..< 36 { FastMath.store(d[xi], out + xi * planeStride) }
                        group += 8
                    }
                }
            }
        }
    }

    /// The kernel gradient is the adjoint of `run`: with W = A·dY·Aᵀ for each tile's
    /// output gradient dY (4×4), dU[ξ] = Σ_tiles V[ξ]ᵀ·W[ξ] and dg = Gᵀ·dU·G. This adds
    /// the tiles of rows `rows` to `dU` [36, inChannels, outChannels]; `kernelGradient`
    /// turns the sum into HWIO once. `dOutput` is [4·tileRows, 4·tileColumns, outChannels].
    func accumulateKernelGradient(
        input: UnsafePointer<Float>, dOutput: UnsafePointer<Float>, rows: Range<Int>,
        dU: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let tiles = rows.count * tileColumns
        let v = scratch, w = scratch + 36 * tiles * inChannels
        transformInput(input, rows: rows, into: v)
        transformOutputGradient(dOutput, rows: rows, into: w)
        for xi in 0 ..< 36 {
            BLAS.gemm(transposeA: true, m: inChannels, n: outChannels, k: tiles, a: v + xi * tiles * inChannels, lda: inChannels,
                      b: w + xi * tiles * outChannels, ldb: outChannels, beta: 1, c: dU + xi * inChannels * outChannels, ldc: outChannels)
        }
    }

    /// One column (or row) of A·dY, A = (Aᵀ)ᵀ with Aᵀ as in `outputTransform`:
    /// (y0, y0+y1+y2+y3, y0−y1+y2−y3, y0+2y1+4y2+8y3, y0−2y1+4y2−8y3, y3).
    @inline(__always)
    private static func outputGradientTransform(_ y: UnsafePointer<V>, stride: Int, into w: UnsafeMutablePointer<V>, wStride: Int) {
        let (y0, y1, y2, y3) = (y[0], y[stride], y[2 * stride], y[3 * stride])
        let (even, odd) = (y0 + y2, y1 + y3)
        let (evenScaled, oddScaled) = (y0 + 4 * y2, 2 * y1 + 8 * y3)
        w[0] = y0
        w[wStride] = even + odd
        w[2 * wStride] = even - odd
        w[3 * wStride] = evenScaled + oddScaled
        w[4 * wStride] = evenScaled - oddScaled
        w[5 * wStride] = y3
    }

    /// W[ξ][tile][c] = (A·dY·Aᵀ)[ξ], ξ = 6·row + column.
    private func transformOutputGradient(_ dOutput: UnsafePointer<Float>, rows: Range<Int>, into w: UnsafeMutablePointer<Float>) {
        let tiles = rows.count * tileColumns
        let planeStride = tiles * outChannels, rowStride = 4 * tileColumns * outChannels
        withUnsafeTemporaryAllocation(of: V.self, capacity: 76) { registers in
            let (y, e, transformed) = (registers.baseAddress!, registers.baseAddress! + 16, registers.baseAddress! + 40)
            for tileRow in rows {
                for tileColumn in 0 ..< tileColumns {
                    let tile = (tileRow - rows.lowerBound) * tileColumns + tileColumn
                    let corner = dOutput + 4 * tileRow * rowStride + 4 * tileColumn * outChannels
                    var group = 0
                    while group < outChannels {
                        for a in 0 ..< 4 {
                            for b in 0 ..< 4 { y[a * 4 + b] = FastMath.load(corner + a * rowStride + b * outChannels + group) }
                        }
                        // A·dY down each column (4 rows → 6), then ·Aᵀ along each row (4 columns → 6).
                        for b in 0 ..< 4 { Self.outputGradientTransform(y + b, stride: 4, into: e + b, wStride: 4) }
                        for x in 0 ..< 6 { Self.outputGradientTransform(e + 4 * x, stride: 1, into: transformed + 6 * x, wStride: 1) }
                        let out = w + tile * outChannels + group
                        for xi in 0 ..< 36 { FastMath.store(transformed[xi], out + xi * planeStride) }
                        group += 8
                    }
                }
            }
        }
    }

    /// One row (or column) of Aᵀ·m with Aᵀ = [[1,1,1,1,1,0], [0,1,−1,2,−2,0],
    /// [0,1,1,4,4,0], [0,1,−1,8,−8,1]].
    @inline(__always)
    private static func outputTransform(_ m: UnsafePointer<V>, stride: Int, into q: UnsafeMutablePointer<V>, qStride: Int) {
        let (s12, d12) = (m[stride] + m[2 * stride], m[stride] - m[2 * stride])
        let (s34, d34) = (m[3 * stride] + m[4 * stride], m[3 * stride] - m[4 * stride])
        q[0] = m[0] + s12 + s34
        q[qStride] = d12 + 2 * d34
        q[2 * qStride] = s12 + 4 * s34
        q[3 * qStride] = d12 + 8 * d34 + m[5 * stride]
    }

    /// Output (a, b) of a tile, a, b ∈ 0..<4, lands in window (a/2, b/2) at position
    /// 2·(a % 2) + b % 2.
    private func transformOutput(_ m: UnsafePointer<Float>, rows: Int, into windows: UnsafeMutablePointer<Float>) {
        let tiles = rows * tileColumns
        let planeStride = tiles * outChannels, windowRow = 2 * tileColumns
        withUnsafeTemporaryAllocation(of: V.self, capacity: 68) { registers in
            let (loaded, q, y) = (registers.baseAddress!, registers.baseAddress! + 36, registers.baseAddress! + 44)
            for tile in 0 ..< tiles {
                let (tileRow, tileColumn) = (tile / tileColumns, tile % tileColumns)
                var group = 0
                while group < outChannels {
                    for xi in 0 ..< 36 { loaded[xi] = FastMath.load(m + xi * planeStride + tile * outChannels + group) }
                    for column in 0 ..< 6 {
                        Self.outputTransform(loaded + column, stride: 6, into: q, qStride: 1)
                        for a in 0 ..< 4 { y[a * 6 + column] = q[a] }
                    }
                    for a in 0 ..< 4 {
                        Self.outputTransform(y + 6 * a, stride: 1, into: q + 4, qStride: 1)
                        for b in 0 ..< 4 {
                            let window = (2 * tileRow + a / 2) * windowRow + 2 * tileColumn + b / 2
                            FastMath.store(q[4 + b], windows + (window * 4 + 2 * (a % 2) + b % 2) * outChannels + group)
                        }
                    }
                    group += 8
                }
            }
        }
    }
}
