/// A 3×3 `same` correlation in Winograd's F(2×2, 3×3) domain (Lavin & Gray 2016): each
/// 2×2 block of outputs ("tile") comes from a 4×4 block of inputs through
///
///     Y = Aᵀ [ U ⊙ V ] A,   U = G·g·Gᵀ (kernel),   V = Bᵀ·d·B (input)
///
/// Used for the CRNN's Conv2 kernel gradient, as the adjoint of that map over 2×2 tiles
/// (exactly pool2's windows): 16 matrix products over the tiles, 2.25× fewer
/// multiplications than im2col's one over every output position. The forward pass and
/// the input gradient use the cheaper F(4×4, 3×3) (`Winograd4x4`).
///
/// Shapes: input [inputHeight, inputWidth, inChannels] (zero outside), output tiles cover
/// [2·tileRows, 2·tileColumns, outChannels]; U [16, inChannels, outChannels].
struct Winograd: WinogradConvolution {
    static let tileSize = 2
    static let kernelTransform: [Double] = [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1]

    var inputHeight: Int
    var inputWidth: Int
    var inChannels: Int
    var outChannels: Int
    var tileRows: Int
    var tileColumns: Int

    /// V[ξ][tile][c] = (Bᵀ·d·B)[ξ] with Bᵀ = [[1,0,−1,0], [0,1,1,0], [0,−1,1,0], [0,1,0,−1]].
    private func transformInput(_ input: UnsafePointer<Float>, rows: Range<Int>, into v: UnsafeMutablePointer<Float>) {
        typealias V = FastMath.Vector
        let tiles = rows.count * tileColumns
        let planeStride = tiles * inChannels
        withUnsafeTemporaryAllocation(of: V.self, capacity: 32) { registers in
            let (d, e) = (registers.baseAddress!, registers.baseAddress! + 16)
            for tileRow in rows {
                for tileColumn in 0 ..< tileColumns {
                    let tile = (tileRow - rows.lowerBound) * tileColumns + tileColumn
                    let (top, left) = (2 * tileRow - 1, 2 * tileColumn - 1)
                    var group = 0
                    let interior = top >= 0 && top + 4 <= inputHeight && left >= 0 && left + 4 <= inputWidth
                    let corner = input + (top * inputWidth + left) * inChannels
                    while group < inChannels {
                        if interior {
                            for r in 0 ..< 4 {
                                for s in 0 ..< 4 { d[r * 4 + s] = FastMath.load(corner + (r * inputWidth + s) * inChannels + group) }
                            }
                        } else {
                            for index in 0 ..< 16 { d[index] = .zero }
                            for r in 0 ..< 4 where top + r >= 0 && top + r < inputHeight {
                                for s in 0 ..< 4 where left + s >= 0 && left + s < inputWidth {
                                    d[r * 4 + s] = FastMath.load(corner + (r * inputWidth + s) * inChannels + group)
                                }
                            }
                        }
                        for s in 0 ..< 4 {
                            e[s] = d[s] - d[8 + s]
                            e[4 + s] = d[4 + s] + d[8 + s]
                            e[8 + s] = d[8 + s] - d[4 + s]
                            e[12 + s] = d[4 + s] - d[12 + s]
                        }
                        let out = v + tile * inChannels + group
                        for r in 0 ..< 4 {
                            let row = 4 * r
                            FastMath.store(e[row] - e[row + 2], out + (row) * planeStride)
                            FastMath.store(e[row + 1] + e[row + 2], out + (row + 1) * planeStride)
                            FastMath.store(e[row + 2] - e[row + 1], out + (row + 2) * planeStride)
                            FastMath.store(e[row + 1] - e[row + 3], out + (row + 3) * planeStride)
                        }
                        group += 8
                    }
                }
            }
        }
    }

    /// The kernel gradient is the adjoint of `run`: with W = A·dY·Aᵀ for each tile's
    /// output gradient dY (2×2), dU[ξ] = Σ_tiles V[ξ]ᵀ·W[ξ] and dg = Gᵀ·dU·G. This adds
    /// the tiles of rows `rows` to `dU` [16, inChannels, outChannels]; `kernelGradient`
    /// turns the sum into HWIO once. `dOutput` is [2·tileRows, 2·tileColumns, outChannels].
    func accumulateKernelGradient(
        input: UnsafePointer<Float>, dOutput: UnsafePointer<Float>, rows: Range<Int>,
        dU: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let tiles = rows.count * tileColumns
        let v = scratch, w = scratch + 16 * tiles * inChannels
        transformInput(input, rows: rows, into: v)
        transformOutputGradient(dOutput, rows: rows, into: w)
        for xi in 0 ..< 16 {
            BLAS.gemm(transposeA: true, m: inChannels, n: outChannels, k: tiles, a: v + xi * tiles * inChannels, lda: inChannels,
                      b: w + xi * tiles * outChannels, ldb: outChannels, beta: 1, c: dU + xi * inChannels * outChannels, ldc: outChannels)
        }
    }

    /// dKernel [3, 3, cin, cout] += Gᵀ·dU·G.
    static func kernelGradient(_ dU: UnsafePointer<Float>, inChannels: Int, outChannels: Int, into dKernel: UnsafeMutablePointer<Float>) {
        let g = kernelTransform.map(Float.init)
        let plane = inChannels * outChannels
        for a in 0 ..< 3 {
            for b in 0 ..< 3 {
                let target = dKernel + (a * 3 + b) * plane
                for x in 0 ..< 4 where g[x * 3 + a] != 0 {
                    for y in 0 ..< 4 where g[y * 3 + b] != 0 {
                        let weight = g[x * 3 + a] * g[y * 3 + b], source = dU + (x * 4 + y) * plane
                        for index in 0 ..< plane { target[index] += weight * source[index] }
                    }
                }
            }
        }
    }

    /// W[ξ][tile][c] = (A·dY·Aᵀ)[ξ] with A = [[1,0], [1,1], [1,−1], [0,−1]].
    private func transformOutputGradient(_ dOutput: UnsafePointer<Float>, rows: Range<Int>, into w: UnsafeMutablePointer<Float>) {
        typealias V = FastMath.Vector
        let tiles = rows.count * tileColumns
        let planeStride = tiles * outChannels, rowStride = 2 * tileColumns * outChannels
        for tileRow in rows {
            for tileColumn in 0 ..< tileColumns {
                let tile = (tileRow - rows.lowerBound) * tileColumns + tileColumn
                let corner = dOutput + 2 * tileRow * rowStride + 2 * tileColumn * outChannels
                var group = 0
                while group < outChannels {
                    let (y00, y01) = (FastMath.load(corner + group), FastMath.load(corner + outChannels + group))
                    let (y10, y11) = (FastMath.load(corner + rowStride + group), FastMath.load(corner + rowStride + outChannels + group))
                    // A·dY: rows (y0, y0 + y1, y0 − y1, −y1); then the same along columns.
                    let left = (y00, y00 + y10, y00 - y10, -y10), right = (y01, y01 + y11, y01 - y11, -y11)
                    let out = w + tile * outChannels + group
                    func put(_ r: Int, _ x0: V, _ x1: V) {
                        FastMath.store(x0, out + (4 * r) * planeStride)
                        FastMath.store(x0 + x1, out + (4 * r + 1) * planeStride)
                        FastMath.store(x0 - x1, out + (4 * r + 2) * planeStride)
                        FastMath.store(-x1, out + (4 * r + 3) * planeStride)
                    }
                    put(0, left.0, right.0)
                    put(1, left.1, right.1)
                    put(2, left.2, right.2)
                    put(3, left.3, right.3)
                    group += 8
                }
            }
        }
    }
}
