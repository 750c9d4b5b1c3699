import COpenBLAS

/// Row-major single-precision matrix products through OpenBLAS. OpenBLAS runs on one
/// thread (set once, process-wide); Arqam splits work across threads itself so that a
/// given thread count always gives the same numbers.
enum BLAS {
    static let singleThreaded: Void = openblas_set_num_threads(1)

    /// C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, where op transposes when asked.
    /// A single row (m = 1, A not transposed) goes through sgemv, which is faster there.
    @inline(__always)
    static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if m == 1 && !transposeA && k > 0 {
            // row · op(B): with B [k×n] that is Bᵀ·row; with B stored [n×k] it is B·row.
            cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
                        Int32(transposeB ? n : k), Int32(transposeB ? k : n),
                        alpha, b, Int32(ldb), a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
