/// Conv2D 3×3, stride 1, `same` zero padding, then ReLU (README section 4):
///
///     out[t][y][o] = relu(b[o] + Σ_{i,j ∈ 0..2} Σ_c in[t+i−1][y+j−1][c] · K[i][j][c][o])
///
/// Shapes (one image): input [height, width, inChannels] (height = time axis t, width =
/// image row y), kernel [3, 3, inChannels, outChannels] (HWIO), bias [outChannels],
/// output [height, outputWidth, outChannels]. `outputWidth ≤ width` computes only the
/// first output columns: the CRNN's pool2 never reads Conv2's last row (25 → 12 drops it).
///
/// Both directions go through one matrix product on the patch matrix ("im2col"):
/// columns [rows·outputWidth, 9·inChannels], whose row (t, y) holds the 3×3 patch in
/// HWIO order — so the kernel's memory already is the [9·inChannels, outChannels] matrix.
struct Conv2D {
    var height: Int
    var width: Int
    var inChannels: Int
    var outChannels: Int
    var outputWidth: Int

    init(height: Int, width: Int, inChannels: Int, outChannels: Int, outputWidth: Int? = nil) {
        self.height = height
        self.width = width
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.outputWidth = outputWidth ?? width
    }

    var patchSize: Int { 9 * inChannels }
    var inputCount: Int { height * width * inChannels }
    var outputCount: Int { height * outputWidth * outChannels }
    /// Floats of scratch needed for the patch matrix of `rows` output rows.
    func columnsCount(rows: Int) -> Int { rows * outputWidth * patchSize }

    /// columns[(t − rows.lowerBound)·outputWidth + y][(i·3 + j)·Cin + c] = in[t+i−1][y+j−1][c], 0 outside.
    func im2col(_ input: UnsafePointer<Float>, rows: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        if inChannels == 1 { return im2colSingleChannel(input, rows: rows, into: columns) }
        let rowStride = width * inChannels
        var row = columns
        for t in rows {
            for y in 0 ..< outputWidth {
                for i in 0 ..< 3 {
                    let sourceT = t + i - 1
                    let destination = row + i * 3 * inChannels
                    guard sourceT >= 0 && sourceT < height else {
                        destination.update(repeating: 0, count: 3 * inChannels)
                        continue
                    }
                    // The three j-taps are consecutive rows y−1, y, y+1 of the input: one copy,
                    // except at the borders.
                    let firstY = max(y - 1, 0), lastY = min(y + 1, width - 1)
                    if y == 0 { destination.update(repeating: 0, count: inChannels) }
                    if y + 1 >= width { (destination + 2 * inChannels).update(repeating: 0, count: inChannels) }
                    (destination + (firstY - y + 1) * inChannels).update(
                        from: input + sourceT * rowStride + firstY * inChannels, count: (lastY - firstY + 1) * inChannels)
                }
                row += patchSize
            }
        }
    }

    /// The same for one input channel, element by element: copies of 1–3 floats would
    /// cost more in calls than in bytes.
    private func im2colSingleChannel(_ input: UnsafePointer<Float>, rows: Range<Int>, into columns: UnsafeMutablePointer<Float>) {
        var row = columns
        for t in rows {
            for y in 0 ..< outputWidth {
                for i in 0 ..< 3 {
                    let sourceT = t + i - 1
                    let inside = sourceT >= 0 && sourceT < height
                    let line = input + (inside ? sourceT : 0) * width
                    row[3 * i] = inside && y > 0 ? line[y - 1] : 0
                    row[3 * i + 1] = inside ? line[y] : 0
                    row[3 * i + 2] = inside && y + 1 < width ? line[y + 1] : 0
                }
                row += 9
            }
        }
    }

    /// Adds back the patch gradients into the input gradient (the adjoint of `im2col`).
    func col2imAccumulate(_ columns: UnsafePointer<Float>, rows: Range<Int>, into dInput: UnsafeMutablePointer<Float>) {
        let rowStride = width * inChannels
        var row = columns
        for t in rows {
            for y in 0 ..< outputWidth {
                for i in 0 ..< 3 {
                    let sourceT = t + i - 1
                    guard sourceT >= 0 && sourceT < height else { continue }
                    for j in 0 ..< 3 {
                        let sourceY = y + j - 1
                        guard sourceY >= 0 && sourceY < width else { continue }
                        let source = row + (i * 3 + j) * inChannels
                        let destination = dInput + sourceT * rowStride + sourceY * inChannels
                        for c in 0 ..< inChannels { destination[c] += source[c] }
                    }
                }
                row += patchSize
            }
        }
    }

    /// Output rows `rows` of one image, before the ReLU: `bias + conv`, written from
    /// `output` on ([rows.count, outputWidth, outChannels]). `columns` is scratch of
    /// `columnsCount(rows: rows.count)` floats. Callers walk an image in blocks of rows
    /// so the patch matrix and the output stay in cache.
    func linear(
        input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: UnsafeMutablePointer<Float>
    ) {
        if inChannels == 1 && outChannels % 8 == 0 {
            return linearSingleChannel(input: input, kernel: kernel, bias: bias, output: output, rows: rows, scratch: columns)
        }
        im2col(input, rows: rows, into: columns)
        let positions = rows.count * outputWidth
        // The product adds onto the bias (beta = 1): cheaper than letting BLAS zero C first.
        for position in 0 ..< positions { (output + position * outChannels).update(from: bias, count: outChannels) }
        BLAS.gemm(m: positions, n: outChannels, k: patchSize, a: columns, lda: patchSize,
                  b: kernel, ldb: outChannels, beta: 1, c: output, ldc: outChannels)
    }

    /// `linear` for one input channel (Conv1), directly: a patch matrix with k = 9 is too
    /// thin for BLAS to run at speed. Eight output channels at a time keep their nine taps
    /// in registers while the positions stream past; the input rows are first copied with
    /// a zero border so the inner loop has no branches. Each output is bias + the nine
    /// products in HWIO order (BLAS's order up to rounding).
    private func linearSingleChannel(
        input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, rows: Range<Int>, scratch padded: UnsafeMutablePointer<Float>
    ) {
        typealias V = FastMath.Vector
        let paddedWidth = width + 2
        for r in 0 ..< rows.count + 2 {
            let t = rows.lowerBound + r - 1, line = padded + r * paddedWidth
            line.update(repeating: 0, count: paddedWidth)
            if t >= 0 && t < height { (line + 1).update(from: input + t * width, count: width) }
        }
        var group = 0
        while group < outChannels {
            func tap(_ index: Int) -> V { FastMath.load(kernel + index * outChannels + group) }
            let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = (tap(0), tap(1), tap(2), tap(3), tap(4), tap(5), tap(6), tap(7), tap(8))
            let start = FastMath.load(bias + group)
            for r in 0 ..< rows.count {
                let (above, row, below) = (padded + r * paddedWidth, padded + (r + 1) * paddedWidth, padded + (r + 2) * paddedWidth)
                var out = output + r * outputWidth * outChannels + group
                for y in 0 ..< outputWidth {
                    var sum = start
                    sum += V(repeating: above[y]) * k0
                    sum += V(repeating: above[y + 1]) * k1
                    sum += V(repeating: above[y + 2]) * k2
                    sum += V(repeating: row[y]) * k3
                    sum += V(repeating: row[y + 1]) * k4
                    sum += V(repeating: row[y + 2]) * k5
                    sum += V(repeating: below[y]) * k6
                    sum += V(repeating: below[y + 1]) * k7
                    sum += V(repeating: below[y + 2]) * k8
                    FastMath.store(sum, out)
                    out += outChannels
                }
            }
            group += 8
        }
    }

    /// Output rows `rows` of one image with the ReLU, into the full output array.
    func forward(
        input: UnsafePointer<Float>, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: UnsafeMutablePointer<Float>
    ) {
        let out = output + rows.lowerBound * outputWidth * outChannels
        linear(input: input, kernel: kernel, bias: bias, output: out, rows: rows, columns: columns)
        for index in 0 ..< rows.count * outputWidth * outChannels { out[index] = max(out[index], 0) }
    }

    /// Backward through the ReLU: zeroes `dOutput` where the output was clipped, then
    /// `backwardFromPreActivation` over the whole image.
    func backward(
        input: UnsafePointer<Float>, output: UnsafePointer<Float>, dOutput: UnsafeMutablePointer<Float>,
        kernel: UnsafePointer<Float>, dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
        dInput: UnsafeMutablePointer<Float>?, columns: UnsafeMutablePointer<Float>
    ) {
        for index in 0 ..< outputCount where output[index] <= 0 { dOutput[index] = 0 }
        backwardFromPreActivation(input: input, dPre: dOutput, rows: 0 ..< height, kernel: kernel, dKernel: dKernel,
                                  dBias: dBias, dInput: dInput, columns: columns)
    }

    /// Given d(loss)/d(pre-ReLU output) for output rows `rows` (`dPre` points at the first
    /// of them, [rows.count, outputWidth, outChannels]), adds the kernel and bias gradients
    /// to `dKernel`/`dBias` and, when asked, adds the input gradient to `dInput` (the whole
    /// image). `columns` is scratch of `columnsCount(rows: rows.count)` floats.
    func backwardFromPreActivation(
        input: UnsafePointer<Float>, dPre: UnsafePointer<Float>, rows: Range<Int>,
        kernel: UnsafePointer<Float>, dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
        dInput: UnsafeMutablePointer<Float>?, columns: UnsafeMutablePointer<Float>
    ) {
        let positions = rows.count * outputWidth
        for position in 0 ..< positions {
            let row = dPre + position * outChannels
            for o in 0 ..< outChannels { dBias[o] += row[o] }
        }
        im2col(input, rows: rows, into: columns)
        // dK [9·Cin, Cout] += columnsᵀ · dPre
        BLAS.gemm(transposeA: true, m: patchSize, n: outChannels, k: positions, a: columns, lda: patchSize,
                  b: dPre, ldb: outChannels, beta: 1, c: dKernel, ldc: outChannels)
        guard let dInput else { return }
        // dColumns [positions, 9·Cin] = dPre · Kᵀ, then scattered back onto the input.
        BLAS.gemm(transposeB: true, m: positions, n: patchSize, k: outChannels, a: dPre, lda: outChannels,
                  b: kernel, ldb: outChannels, beta: 0, c: columns, ldc: patchSize)
        col2imAccumulate(columns, rows: rows, into: dInput)
    }
}
