/// A 3×3 `same` correlation computed with Winograd's F(2×2, 3×3) (Lavin & Gray 2016):
/// each 2×2 block of outputs ("tile") comes from a 4×4 block of inputs through
///
///     Y = Aᵀ [ U ⊙ V ] A,   U = G·g·Gᵀ (kernel, once per weights),   V = Bᵀ·d·B (input)
///
/// so the channel sums become 16 matrix products [tiles × inChannels]·[inChannels ×
/// outChannels] with 2.25× fewer multiplications than im2col. Float32 error stays at a few
/// ulps of the sums. Used for the CRNN's Conv2 forward (whose 2×2 tiles are exactly
/// pool2's windows) and for Conv2's input gradient, itself a 3×3 correlation of the
/// output gradient with the flipped kernel.
///
/// Shapes: input [inputHeight, inputWidth, inChannels] (zero outside), output tiles cover
/// [2·tileRows, 2·tileColumns, outChannels]; U [16, inChannels, outChannels].
struct Winograd {
    var inputHeight: Int
    var inputWidth: Int
    var inChannels: Int
    var outChannels: Int
    var tileRows: Int
    var tileColumns: Int

    /// Floats of scratch for `rows` tile rows: V, M and the tile outputs.
    func scratchCount(rows: Int) -> Int {
        let tiles = rows * tileColumns
        return 16 * tiles * inChannels + 16 * tiles * outChannels + tiles * 4 * outChannels
    }

    /// U = G·g·Gᵀ for an HWIO kernel [3, 3, cin, cout]; `flipped` transforms the kernel of
    /// the input gradient instead, g′[a][b][cout][cin] = g[2−a][2−b][cin][cout].
    static func transformKernel(_ kernel: UnsafePointer<Float>, inChannels: Int, outChannels: Int, flipped: Bool,
                                into u: UnsafeMutablePointer<Float>) {
        let g: [Double] = [1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1]  // G, [4, 3]
        let (rows, columns) = flipped ? (outChannels, inChannels) : (inChannels, outChannels)
        func tap(_ a: Int, _ b: Int, _ row: Int, _ column: Int) -> Double {
            flipped
                ? Double(kernel[((2 - a) * 3 + (2 - b)) * inChannels * outChannels + column * outChannels + row])
                : Double(kernel[(a * 3 + b) * inChannels * outChannels + row * outChannels + column])
        }
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                for x in 0 ..< 4 {
                    for y in 0 ..< 4 {
                        var sum = 0.0
                        for a in 0 ..< 3 {
                            for b in 0 ..< 3 { sum += g[x * 3 + a] * tap(a, b, row, column) * g[y * 3 + b] }
                        }
                        u[(x * 4 + y) * rows * columns + row * columns + column] = Float(sum)
                    }
                }
            }
        }
    }

    /// Computes the tiles of tile rows `rows`; `outputs` receives, per tile (row-major over
    /// the block) and per output position (0,0), (0,1), (1,0), (1,1), `outChannels` values.
    func run(
        input: UnsafePointer<Float>, u: UnsafePointer<Float>, rows: Range<Int>,
        scratch: UnsafeMutablePointer<Float>
    ) -> UnsafeMutablePointer<Float> {
        let tiles = rows.count * tileColumns
        let v = scratch, m = scratch + 16 * tiles * inChannels, outputs = m + 16 * tiles * outChannels
        transformInput(input, rows: rows, into: v)
        for xi in 0 ..< 16 {
            BLAS.gemm(m: tiles, n: outChannels, k: inChannels, a: v + xi * tiles * inChannels, lda: inChannels,
                      b: u + xi * inChannels * outChannels, ldb: outChannels, beta: 0, c: m + xi * tiles * outChannels, ldc: outChannels)
        }
        transformOutput(m, tiles: tiles, into: outputs)
        return outputs
    }

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
                    while group < inChannels {
                        for index in 0 ..< 16 { d[index] = .zero }
                        for r in 0 ..< 4 where top + r >= 0 && top + r < inputHeight {
                            for s in 0 ..< 4 where left + s >= 0 && left + s < inputWidth {
                                d[r * 4 + s] = FastMath.load(input + ((top + r) * inputWidth + left + s) * inChannels + group)
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

    /// outputs[tile][a·2 + b][c] = (Aᵀ·m·A)[a][b] with Aᵀ = [[1,1,1,0], [0,1,−1,−1]].
    private func transformOutput(_ m: UnsafePointer<Float>, tiles: Int, into outputs: UnsafeMutablePointer<Float>) {
        typealias V = FastMath.Vector
        let planeStride = tiles * outChannels
        withUnsafeTemporaryAllocation(of: V.self, capacity: 8) { registers in
            let q = registers.baseAddress!
            for tile in 0 ..< tiles {
                var group = 0
                while group < outChannels {
                    let source = m + tile * outChannels + group
                    func at(_ xi: Int) -> V { FastMath.load(source + xi * planeStride) }
                    for s in 0 ..< 4 {
                        q[s] = at(s) + at(4 + s) + at(8 + s)
                        q[4 + s] = at(4 + s) - at(8 + s) - at(12 + s)
                    }
                    let out = outputs + tile * 4 * outChannels + group
                    for a in 0 ..< 2 {
                        let row = 4 * a
                        FastMath.store(q[row] + q[row + 1] + q[row + 2], out + (2 * a) * outChannels)
                        FastMath.store(q[row + 1] - q[row + 2] - q[row + 3], out + (2 * a + 1) * outChannels)
                    }
                    group += 8
                }
            }
        }
    }
}
