import Testing
@testable import ArqamNN

/// The packed recurrent steps (`fusedStep` forward, `carryStep` in BPTT) against the BLAS
/// steps they replace, which LSTMGradientTests checks against finite differences: 5
/// sequences (a group of four and a short group) × 6 steps, 5 inputs, 32 units (two
/// blocks of 16), both directions.
@Suite struct LSTMPackedStepTests {
    static let (batch, steps, inputs, units) = (5, 6, 5, 32)
    static let rows = batch * steps, gateWidth = 4 * units

    struct Result {
        var h: [Float]
        var tape: [Float]
        var gradients: [Float]
        var dx: [Float]
    }

    /// Forward and backward of one direction, packed or not.
    private func run(reversed: Bool, packed: Bool, x: [Float], weights: [Float], dh: [Float]) -> Result {
        let (n, rows, gateWidth) = (Self.units, Self.rows, Self.gateWidth)
        let lstm = LSTM(inputs: Self.inputs, units: n, steps: Self.steps, reversed: reversed)
        var h = [Float](repeating: 0, count: rows * n), tape = [Float](repeating: 0, count: rows * 6 * n)
        var gradients = [Float](repeating: 0, count: weights.count), dx = [Float](repeating: 0, count: rows * Self.inputs)
        var scratch = [Float](repeating: 0, count: rows * gateWidth + 2 * Self.batch * n)
        var forwardPacked = [Float](repeating: 0, count: n * gateWidth), transposedPacked = forwardPacked
        weights.withUnsafeBufferPointer { w in
            let (kernel, recurrent) = (w.baseAddress!, w.baseAddress! + Self.inputs * gateWidth)
            LSTM.packRecurrent(recurrent, units: n, into: &forwardPacked)
            LSTM.packRecurrentTransposed(recurrent, units: n, into: &transposedPacked)
            forwardPacked.withUnsafeBufferPointer { forwardPacked in
                transposedPacked.withUnsafeBufferPointer { transposedPacked in
                    let parameters = LSTM.Parameters(
                        kernel: kernel, recurrent: recurrent, bias: recurrent + n * gateWidth,
                        packedRecurrent: packed ? forwardPacked.baseAddress! : nil,
                        packedRecurrentTransposed: packed ? transposedPacked.baseAddress! : nil)
                    tape.withUnsafeMutableBufferPointer { tape in
                        let t = tape.baseAddress!
                        let lstmTape = LSTM.Tape(gates: t, cells: t + rows * 4 * n, cellTanh: t + rows * 5 * n)
                        lstm.forward(x: x, ldx: Self.inputs, batch: Self.batch, parameters: parameters, h: &h, ldh: n, tape: lstmTape)
                        gradients.withUnsafeMutableBufferPointer { g in
                            scratch.withUnsafeMutableBufferPointer { s in
                                let (dKernel, s) = (g.baseAddress!, s.baseAddress!)
                                lstm.backward(
                                    x: x, ldx: Self.inputs, batch: Self.batch, parameters: parameters, h: h, ldh: n, tape: lstmTape,
                                    dh: dh, lddh: n,
                                    gradients: .init(kernel: dKernel, recurrent: dKernel + Self.inputs * gateWidth,
                                                     bias: dKernel + (Self.inputs + n) * gateWidth),
                                    dx: &dx, accumulateDX: false,
                                    scratch: .init(dZ: s, dh: s + rows * gateWidth, dc: s + rows * gateWidth + Self.batch * n))
                            }
                        }
                    }
                }
            }
        }
        return Result(h: h, tape: tape, gradients: gradients, dx: dx)
    }

    @Test(arguments: [false, true])
    func packedStepsMatchTheBLASSteps(reversed: Bool) {
        var random = SeededRandom(seed: 61)
        let x = randomArray(Self.rows * Self.inputs, &random)
        // kernel [5, 128], recurrent [32, 128], bias [128], one block.
        let weights = randomArray((Self.inputs + Self.units + 1) * Self.gateWidth, &random, range: -0.3 ... 0.3)
        let dh = randomArray(Self.rows * Self.units, &random)
        let packed = run(reversed: reversed, packed: true, x: x, weights: weights, dh: dh)
        let blas = run(reversed: reversed, packed: false, x: x, weights: weights, dh: dh)
        // Sums of at most 128 products in another order: float32 rounding apart.
        #expect(maxAbsDifference(packed.h, blas.h) < 1e-5)
        #expect(maxAbsDifference(packed.tape, blas.tape) < 1e-5)
        #expect(maxAbsDifference(packed.gradients, blas.gradients) < 1e-5 * maxAbs(blas.gradients))
        #expect(maxAbsDifference(packed.dx, blas.dx) < 1e-5 * maxAbs(blas.dx))
        #expect(maxAbs(blas.gradients) > 0.1)
    }
}
