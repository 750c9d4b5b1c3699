extension LSTM {
    /// U [n, 4n] regrouped for `fusedStep`: for each block of 16 units, row k holds the
    /// block's 16 columns of each gate i, f, c, o (64 floats), rows one after another.
    /// Read in place, a block takes 64 bytes from each gate's part of every 2 KB row of
    /// U, a strided walk the hardware prefetcher follows poorly; packed, each block is
    /// one sequential run (measured: batch-1 latency 2.2 → 1.87 ms, 1 thread).
    static func packRecurrent(_ u: UnsafePointer<Float>, units n: Int, into packed: UnsafeMutablePointer<Float>) {
        var target = packed
        for block in stride(from: 0, to: n, by: 16) {
            for k in 0 ..< n {
                for gate in 0 ..< 4 {
                    target.update(from: u + k * 4 * n + gate * n + block, count: 16)
                    target += 16
                }
            }
        }
    }

    /// U [n, 4n] regrouped for `carryStep`: for each block of 16 units j, row k (0 ..< 4n)
    /// holds U[j][k] of the block's 16 units, rows one after another (Uᵀ in blocks).
    static func packRecurrentTransposed(_ u: UnsafePointer<Float>, units n: Int, into packed: UnsafeMutablePointer<Float>) {
        var target = packed
        for block in stride(from: 0, to: n, by: 16) {
            for k in 0 ..< 4 * n {
                for j in 0 ..< 16 { target[j] = u[(block + j) * 4 * n + k] }
                target += 16
            }
        }
    }

    /// BPTT's carry to the previous step for every sequence: carryH[b] = dZ[b]·Uᵀ,
    /// [batch, 4n]·[4n, n]; sequence b's dZ lies `dZStride` floats after b − 1's, its carry
    /// n floats.
    ///
    /// As a BLAS call this would pack all of U afresh for a handful of rows, 49 steps in
    /// a row. Here four sequences share each load of the packed Uᵀ (a block of 16 units
    /// is 32 KB at most, in L1 from group to group) in 8 accumulators. A short last group
    /// repeats the batch's last sequence, so every sum runs over k in order whatever the
    /// grouping: the result differs from BLAS by rounding only.
    @inline(__always)
    static func carryStep(
        batch: Int, dZ: UnsafePointer<Float>, dZStride: Int, packedTransposed u: UnsafePointer<Float>,
        carryH: UnsafeMutablePointer<Float>, units n: Int
    ) {
        typealias V = FastMath.Vector
        var unit = 0
        while unit < n {
            for first in stride(from: 0, to: batch, by: 4) {
                let sequences = (first, min(first + 1, batch - 1), min(first + 2, batch - 1), min(first + 3, batch - 1))
                let (d0, d1) = (dZ + sequences.0 * dZStride, dZ + sequences.1 * dZStride)
                let (d2, d3) = (dZ + sequences.2 * dZStride, dZ + sequences.3 * dZStride)
                var (a0, a1, b0, b1, c0, c1, e0, e1) = (V.zero, V.zero, V.zero, V.zero, V.zero, V.zero, V.zero, V.zero)
                var row = u + unit * 4 * n
                for k in 0 ..< 4 * n {
                    let (u0, u1) = (FastMath.load(row), FastMath.load(row + 8))
                    let (s0, s1, s2, s3) = (V(repeating: d0[k]), V(repeating: d1[k]), V(repeating: d2[k]), V(repeating: d3[k]))
                    a0 += s0 * u0
                    a1 += s0 * u1
                    b0 += s1 * u0
                    b1 += s1 * u1
                    c0 += s2 * u0
                    c1 += s2 * u1
                    e0 += s3 * u0
                    e1 += s3 * u1
                    row += 16
                }
                func put(_ sequence: Int, _ low: V, _ high: V) {
                    FastMath.store(low, carryH + sequence * n + unit)
                    FastMath.store(high, carryH + sequence * n + unit + 8)
                }
                put(sequences.3, e0, e1)
                put(sequences.2, c0, c1)
                put(sequences.1, b0, b1)
                put(sequences.0, a0, a1)
            }
            unit += 16
        }
    }

    /// One time step of every sequence, fused: z = gates (b + x_t·W, already there) +
    /// h_prev·U, the gate activations, and the cell, in one pass per block of 16 units.
    /// Sequence b's rows lie `sequenceRows` rows after sequence b − 1's (gates, cells and
    /// h rows of `4n`, `n` and `ldh` floats).
    ///
    /// The per-step product h·U is [batch, n]·[n, 4n]; as a BLAS call it pays a call, a
    /// fresh packing of all of U (256 KB for n = 128) for a handful of rows, and a
    /// separate pass for each activation, 50 steps in a row. Here the 8 accumulators of a
    /// block (16 units × 4 gates) stay in registers while the block's packed rows of U
    /// stream past, the block (32 KB at most) stays in L1 from one sequence to the next,
    /// and the block's gates, cell and h are finished before the next block starts. Sums
    /// run over U's rows in order, so the result differs from BLAS by rounding only.
    @inline(__always)
    static func fusedStep(
        batch: Int, sequenceRows: Int, gates: UnsafeMutablePointer<Float>, packedRecurrent u: UnsafePointer<Float>,
        previousH: UnsafePointer<Float>?, previousCell: UnsafePointer<Float>?,
        cell: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, ldh: Int, units n: Int
    ) {
        typealias V = FastMath.Vector
        let (gateStride, cellStride, hStride) = (sequenceRows * 4 * n, sequenceRows * n, sequenceRows * ldh)
        var unit = 0
        while unit < n {
            for b in 0 ..< batch {
                let z = gates + b * gateStride
                // Gate g's two vectors for units unit ..< unit + 16 sit at columns g·n + unit.
                func start(_ gate: Int, _ half: Int) -> V { FastMath.load(z + gate * n + unit + 8 * half) }
                var (i0, i1, f0, f1) = (start(0, 0), start(0, 1), start(1, 0), start(1, 1))
                var (g0, g1, o0, o1) = (start(2, 0), start(2, 1), start(3, 0), start(3, 1))
                if let previousH {
                    let hPrevious = previousH + b * hStride
                    var row = u + unit * 4 * n
                    for k in 0 ..< n {
                        let hk = V(repeating: hPrevious[k])
                        i0 += hk * FastMath.load(row)
                        i1 += hk * FastMath.load(row + 8)
                        f0 += hk * FastMath.load(row + 16)
                        f1 += hk * FastMath.load(row + 24)
                        g0 += hk * FastMath.load(row + 32)
                        g1 += hk * FastMath.load(row + 40)
                        o0 += hk * FastMath.load(row + 48)
                        o1 += hk * FastMath.load(row + 56)
                        row += 64
                    }
                }
                let cPrevious = previousCell.map { $0 + b * cellStride }
                let (c, tanhC, hOut) = (cell + b * cellStride, cellTanh + b * cellStride, h + b * hStride)
                activateAndUpdateCell(unit, i0, f0, g0, o0, gates: z, previousCell: cPrevious, cell: c, cellTanh: tanhC, h: hOut, units: n)
                activateAndUpdateCell(unit + 8, i1, f1, g1, o1, gates: z, previousCell: cPrevious, cell: c, cellTanh: tanhC, h: hOut, units: n)
            }
            unit += 16
        }
    }
}
