/// Dense: `y = x·W + b`, optionally followed by ReLU (README section 4: dense1 with ReLU,
/// dense2 without — its softmax is a separate step).
///
/// Shapes: x [rows, inputs] (rows = batch·time), W [inputs, outputs] (Keras (in, out)),
/// b [outputs], y [rows, outputs].
struct Dense {
    var inputs: Int
    var outputs: Int
    var relu: Bool

    func forward(x: UnsafePointer<Float>, rows: Int, kernel: UnsafePointer<Float>, bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        // The product adds onto bias rows (beta = 1): cheaper than letting BLAS zero y first.
        for row in 0 ..< rows { (y + row * outputs).update(from: bias, count: outputs) }
        BLAS.gemm(m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: kernel, ldb: outputs, beta: 1, c: y, ldc: outputs)
        if relu {
            for index in 0 ..< rows * outputs { y[index] = max(y[index], 0) }
        }
    }

    /// `dy` is d(loss)/d(y); with ReLU it is zeroed in place where y was clipped. Adds
    /// to `dKernel`/`dBias`; writes `dx` [rows, inputs] when given.
    func backward(
        x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafeMutablePointer<Float>, rows: Int,
        kernel: UnsafePointer<Float>, dKernel: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
        dx: UnsafeMutablePointer<Float>?
    ) {
        if relu {
            for index in 0 ..< rows * outputs where y[index] <= 0 { dy[index] = 0 }
        }
        for row in 0 ..< rows {
            let gradient = dy + row * outputs
            for j in 0 ..< outputs { dBias[j] += gradient[j] }
        }
        // dW [inputs, outputs] += xᵀ · dy
        BLAS.gemm(transposeA: true, m: inputs, n: outputs, k: rows, a: x, lda: inputs,
                  b: dy, ldb: outputs, beta: 1, c: dKernel, ldc: outputs)
        guard let dx else { return }
        // dx [rows, inputs] = dy · Wᵀ
        BLAS.gemm(transposeB: true, m: rows, n: inputs, k: outputs, a: dy, lda: outputs,
                  b: kernel, ldb: outputs, beta: 0, c: dx, ldc: inputs)
    }
}
