/// LSTM over a whole sequence, batched (README section 4), with BPTT as its backward:
///
///     z = x_t·W + h·U + b                  [4n], gate blocks i, f, c, o (Keras order)
///     i = σ(z_i)  f = σ(z_f)  g = tanh(z_c)  o = σ(z_o)
///     c = f ⊙ c + i ⊙ g ;  h = o ⊙ tanh(c) ;  output_t = h,   h = c = 0 at the start
///
/// Shapes: x [batch, steps, inputs] read with row stride `ldx` (a row is one (b, t));
/// W [inputs, 4n], U [n, 4n], b [4n]; output h [batch, steps, n] written with row stride
/// `ldh`, so a Bidirectional layer can write both directions into one concatenated
/// [batch, steps, 2n] array. A `reversed` LSTM consumes t = steps−1 … 0 and writes each
/// output at the time index of the input it just read (Keras' flip back).
struct LSTM {
    var inputs: Int
    var units: Int
    var steps: Int
    var reversed: Bool

    init(inputs: Int, units: Int, steps: Int, reversed: Bool) {
        precondition(units % 8 == 0, "the cell loops handle eight units at a time")
        self.inputs = inputs
        self.units = units
        self.steps = steps
        self.reversed = reversed
    }

    struct Parameters {
        var kernel: UnsafePointer<Float>
        var recurrent: UnsafePointer<Float>
        var bias: UnsafePointer<Float>
        /// U regrouped by `LSTM.packRecurrent`, for the fused forward steps, and by
        /// `LSTM.packRecurrentTransposed`, for BPTT's carries; nil: BLAS steps.
        var packedRecurrent: UnsafePointer<Float>? = nil
        var packedRecurrentTransposed: UnsafePointer<Float>? = nil
    }

    struct Gradients {
        var kernel: UnsafeMutablePointer<Float>
        var recurrent: UnsafeMutablePointer<Float>
        var bias: UnsafeMutablePointer<Float>
    }

    /// What backward needs, per (b, t): gates [batch·steps·4n] after their activations,
    /// cells c and tanh(c) [batch·steps·n].
    struct Tape {
        var gates: UnsafeMutablePointer<Float>
        var cells: UnsafeMutablePointer<Float>
        var cellTanh: UnsafeMutablePointer<Float>
    }

    /// Scratch for backward: dZ [batch·steps·4n], three [batch·n] carries.
    struct BackwardScratch {
        var dZ: UnsafeMutablePointer<Float>
        var dh: UnsafeMutablePointer<Float>
        var dc: UnsafeMutablePointer<Float>
    }

    /// Up to this many sequences the forward runs `fusedStep`: BLAS would repack U at
    /// every step for those few rows. Beyond, BLAS's register-blocked kernel wins
    /// (measured: batch-64 inference 5–8 % slower fused, 2 threads; training chunks of 8
    /// and 16 faster fused).
    static let fusedStepBatchLimit = 16

    private func time(_ step: Int) -> Int { reversed ? steps - 1 - step : step }

    func forward(
        x: UnsafePointer<Float>, ldx: Int, batch: Int, parameters p: Parameters,
        h: UnsafeMutablePointer<Float>, ldh: Int, tape: Tape
    ) {
        let n = units, gateWidth = 4 * units
        // Input projections for every (b, t) at once: gates = b + X·W, the product added
        // onto bias rows (beta = 1 is cheaper than letting BLAS zero C first).
        for row in 0 ..< batch * steps { (tape.gates + row * gateWidth).update(from: p.bias, count: gateWidth) }
        BLAS.gemm(m: batch * steps, n: gateWidth, k: inputs, a: x, lda: ldx,
                  b: p.kernel, ldb: gateWidth, beta: 1, c: tape.gates, ldc: gateWidth)
        if batch <= Self.fusedStepBatchLimit && n % 16 == 0, let packed = p.packedRecurrent {
            for step in 0 ..< steps {
                let t = time(step), previousT = reversed ? t + 1 : t - 1
                Self.fusedStep(batch: batch, sequenceRows: steps, gates: tape.gates + t * gateWidth, packedRecurrent: packed,
                               previousH: step > 0 ? UnsafePointer(h + previousT * ldh) : nil,
                               previousCell: step > 0 ? UnsafePointer(tape.cells + previousT * n) : nil,
                               cell: tape.cells + t * n, cellTanh: tape.cellTanh + t * n, h: h + t * ldh, ldh: ldh, units: n)
            }
            return
        }
        for step in 0 ..< steps {
            let t = time(step), previousT = reversed ? t + 1 : t - 1
            if step > 0 {
                // gates[b, t] += h[b, previousT] · U for every b.
                BLAS.gemm(m: batch, n: gateWidth, k: n, a: h + previousT * ldh, lda: steps * ldh,
                          b: p.recurrent, ldb: gateWidth, beta: 1, c: tape.gates + t * gateWidth, ldc: steps * gateWidth)
            }
            for b in 0 ..< batch {
                let row = b * steps + t
                let z = tape.gates + row * gateWidth
                let previous = step > 0 ? UnsafePointer(tape.cells + (b * steps + previousT) * n) : nil
                var j = 0
                while j < n {
                    Self.activateAndUpdateCell(
                        j, FastMath.load(z + j), FastMath.load(z + n + j), FastMath.load(z + 2 * n + j), FastMath.load(z + 3 * n + j),
                        gates: z, previousCell: previous, cell: tape.cells + row * n, cellTanh: tape.cellTanh + row * n,
                        h: h + row * ldh, units: n)
                    j += 8
                }
            }
        }
    }

    /// Units j ..< j + 8 of one step, from the gate pre-activations (i, f, g, o): the
    /// activated gates go back to the tape, then c = f ⊙ c_prev + i ⊙ g, tanh(c) and
    /// h = o ⊙ tanh(c), in one pass while the values are in registers.
    @inline(__always)
    static func activateAndUpdateCell(
        _ j: Int, _ i: FastMath.Vector, _ f: FastMath.Vector, _ g: FastMath.Vector, _ o: FastMath.Vector,
        gates z: UnsafeMutablePointer<Float>, previousCell: UnsafePointer<Float>?, cell: UnsafeMutablePointer<Float>,
        cellTanh: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, units n: Int
    ) {
        let (si, sf) = (FastMath.sigmoid(i), FastMath.sigmoid(f))
        let (tg, so) = (FastMath.tanh(g), FastMath.sigmoid(o))
        FastMath.store(si, z + j)
        FastMath.store(sf, z + n + j)
        FastMath.store(tg, z + 2 * n + j)
        FastMath.store(so, z + 3 * n + j)
        var c = si * tg
        if let previousCell { c += sf * FastMath.load(previousCell + j) }
        let tanhC = FastMath.tanh(c)
        FastMath.store(c, cell + j)
        FastMath.store(tanhC, cellTanh + j)
        FastMath.store(so * tanhC, h + j)
    }

    /// One step of BPTT for one sequence: from dh (output + carried) and the carried dc to
    /// the gate pre-activation gradients dz; updates the carried dc.
    @inline(__always)
    private static func cellBackward(
        gates: UnsafePointer<Float>, previousCell: UnsafePointer<Float>?, cellTanh: UnsafePointer<Float>,
        dOut: UnsafePointer<Float>, carryH: UnsafeMutablePointer<Float>, carryC: UnsafeMutablePointer<Float>,
        dz: UnsafeMutablePointer<Float>, units n: Int
    ) {
        var j = 0
        while j < n {
            let (i, f) = (FastMath.load(gates + j), FastMath.load(gates + n + j))
            let (g, o) = (FastMath.load(gates + 2 * n + j), FastMath.load(gates + 3 * n + j))
            let tanhC = FastMath.load(cellTanh + j)
            let dh = FastMath.load(dOut + j) + FastMath.load(carryH + j)
            let dc = dh * o * (1 - tanhC * tanhC) + FastMath.load(carryC + j)
            FastMath.store(dc * g * i * (1 - i), dz + j)
            FastMath.store(previousCell.map { dc * FastMath.load($0 + j) * f * (1 - f) } ?? .zero, dz + n + j)
            FastMath.store(dc * i * (1 - g * g), dz + 2 * n + j)
            FastMath.store(dh * tanhC * o * (1 - o), dz + 3 * n + j)
            FastMath.store(dc * f, carryC + j)
            j += 8
        }
    }

    /// BPTT. `dh` [batch, steps, n] (row stride `lddh`) is d(loss)/d(output). Adds to the
    /// gradients; writes (or, with `accumulateDX`, adds) d(loss)/dx with row stride `ldx`.
    func backward(
        x: UnsafePointer<Float>, ldx: Int, batch: Int, parameters p: Parameters,
        h: UnsafePointer<Float>, ldh: Int, tape: Tape, dh outputGradient: UnsafePointer<Float>, lddh: Int,
        gradients g: Gradients, dx: UnsafeMutablePointer<Float>?, accumulateDX: Bool, scratch: BackwardScratch
    ) {
        let n = units, gateWidth = 4 * units
        for step in (0 ..< steps).reversed() {
            let t = time(step), previousT = reversed ? t + 1 : t - 1
            let isLast = step == steps - 1
            for b in 0 ..< batch {
                let row = b * steps + t
                let gate = tape.gates + row * gateWidth, dz = scratch.dZ + row * gateWidth
                let tc = tape.cellTanh + row * n
                let dOut = outputGradient + row * lddh
                let carryH = scratch.dh + b * n, carryC = scratch.dc + b * n
                if isLast {
                    carryH.update(repeating: 0, count: n)
                    carryC.update(repeating: 0, count: n)
                }
                let previousCell = step > 0 ? UnsafePointer(tape.cells + (b * steps + previousT) * n) : nil
                Self.cellBackward(gates: gate, previousCell: previousCell, cellTanh: tc, dOut: dOut,
                                  carryH: carryH, carryC: carryC, dz: dz, units: n)
            }
            // dh carried to the previous step: dZ_t · Uᵀ.
            if step > 0, n % 16 == 0, let packed = p.packedRecurrentTransposed {
                Self.carryStep(batch: batch, dZ: scratch.dZ + t * gateWidth, dZStride: steps * gateWidth,
                               packedTransposed: packed, carryH: scratch.dh, units: n)
            } else if step > 0 {
                BLAS.gemm(transposeB: true, m: batch, n: n, k: gateWidth, a: scratch.dZ + t * gateWidth, lda: steps * gateWidth,
                          b: p.recurrent, ldb: gateWidth, beta: 0, c: scratch.dh, ldc: n)
            }
        }
        // dU += Σ_t h(previous t)ᵀ · dZ_t, over the steps that had a previous state.
        for b in 0 ..< batch where steps > 1 {
            let hStart = h + b * steps * ldh + (reversed ? ldh : 0)
            let dzStart = scratch.dZ + (b * steps + (reversed ? 0 : 1)) * gateWidth
            BLAS.gemm(transposeA: true, m: n, n: gateWidth, k: steps - 1, a: hStart, lda: ldh,
                      b: dzStart, ldb: gateWidth, beta: 1, c: g.recurrent, ldc: gateWidth)
        }
        // dW += Xᵀ · dZ ; db += Σ dZ ; dx = dZ · Wᵀ.
        BLAS.gemm(transposeA: true, m: inputs, n: gateWidth, k: batch * steps, a: x, lda: ldx,
                  b: scratch.dZ, ldb: gateWidth, beta: 1, c: g.kernel, ldc: gateWidth)
        for row in 0 ..< batch * steps {
            let dz = scratch.dZ + row * gateWidth
            for k in 0 ..< gateWidth { g.bias[k] += dz[k] }
        }
        if let dx {
            BLAS.gemm(transposeB: true, m: batch * steps, n: inputs, k: gateWidth, a: scratch.dZ, lda: gateWidth,
                      b: p.kernel, ldb: gateWidth, beta: accumulateDX ? 1 : 0, c: dx, ldc: ldx)
        }
    }
}
