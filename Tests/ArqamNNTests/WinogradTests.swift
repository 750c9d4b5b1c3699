import Testing
@testable import ArqamNN

/// Winograd F(4×4, 3×3) (forward, input gradient, kernel gradient) against the im2col
/// convolution it replaces, on random data with odd sizes (partial
/// tiles at the borders).
@Suite struct WinogradTests {
    let conv = Conv2D(height: 6, width: 5, inChannels: 8, outChannels: 16)

    private func data(_ seed: UInt64) -> (input: [Float], kernel: [Float]) {
        var random = SeededRandom(seed: seed)
        return (randomArray(conv.inputCount, &random), randomArray(9 * 8 * 16, &random))
    }

    /// The adjoint of F(4×4, 3×3) over an 8 × 9 input whose 8 × 8 outputs the tiles
    /// cover exactly (as Conv2's 100 × 24 used outputs), in two calls that must add up.
    @Test func adjointGivesTheKernelGradient() {
        let conv = Conv2D(height: 8, width: 9, inChannels: 8, outChannels: 16, outputWidth: 8)
        var random = SeededRandom(seed: 44)
        let input = randomArray(conv.inputCount, &random), dPre = randomArray(conv.outputCount, &random)
        let kernel = randomArray(9 * 8 * 16, &random)
        var expected = [Float](repeating: 0, count: kernel.count), dBias = [Float](repeating: 0, count: 16)
        var columns = [Float](repeating: 0, count: conv.columnsCount(rows: 8))
        conv.backwardFromPreActivation(input: input, dPre: dPre, rows: 0 ..< 8, kernel: kernel, dKernel: &expected, dBias: &dBias,
                                       dInput: nil, columns: &columns)
        let winograd = Winograd4x4(inputHeight: 8, inputWidth: 9, inChannels: 8, outChannels: 16, tileRows: 2, tileColumns: 2)
        var dU = [Float](repeating: 0, count: 36 * 8 * 16), scratch = [Float](repeating: 0, count: winograd.scratchCount(rows: 1))
        winograd.accumulateKernelGradient(input: input, dOutput: dPre, rows: 0 ..< 1, dU: &dU, scratch: &scratch)
        winograd.accumulateKernelGradient(input: input, dOutput: dPre, rows: 1 ..< 2, dU: &dU, scratch: &scratch)
        var dKernel = [Float](repeating: 0.5, count: kernel.count)
        Winograd4x4.kernelGradient(dU, inChannels: 8, outChannels: 16, into: &dKernel)
        // Sums of 64 products of values in ±1 (entries up to about 25), through F(4×4)'s
        // coefficients: float32 rounding of a few 1e-5; a wrong coefficient is off by units.
        #expect(maxAbsDifference(dKernel.map { $0 - 0.5 }, expected) < 1e-4)
    }

    /// F(4×4, 3×3) with the flipped kernel over an output gradient [6, 5, 16]: the input
    /// gradient [6, 5, 8], from 2 × 2 tiles whose outputs past the image are dropped.
    @Test func flippedKernelGivesTheInputGradient() {
        let (_, kernel) = data(42)
        var random = SeededRandom(seed: 43)
        let input = randomArray(conv.inputCount, &random), dPre = randomArray(conv.outputCount, &random)
        var expected = [Float](repeating: 0, count: conv.inputCount), columns = [Float](repeating: 0, count: conv.columnsCount(rows: 6))
        var dKernel = [Float](repeating: 0, count: kernel.count), dBias = [Float](repeating: 0, count: 16)
        conv.backwardFromPreActivation(input: input, dPre: dPre, rows: 0 ..< 6, kernel: kernel, dKernel: &dKernel, dBias: &dBias,
                                       dInput: &expected, columns: &columns)
        let winograd = Winograd4x4(inputHeight: 6, inputWidth: 5, inChannels: 16, outChannels: 8, tileRows: 2, tileColumns: 2)
        var u = [Float](repeating: 0, count: 36 * 16 * 8), scratch = [Float](repeating: 0, count: winograd.scratchCount(rows: 2))
        Winograd4x4.transformKernel(kernel, inChannels: 8, outChannels: 16, flipped: true, into: &u)
        var worst: Float = 0
        scratch.withUnsafeMutableBufferPointer { scratch in
            let windows = winograd.run(input: dPre, u: u, rows: 0 ..< 2, scratch: scratch.baseAddress!)
            for t in 0 ..< 6 { for y in 0 ..< 5 { for c in 0 ..< 8 {
                let window = (t / 2) * 4 + y / 2, position = (t % 2) * 2 + y % 2
                worst = max(worst, abs(windows[(window * 4 + position) * 8 + c] - expected[(t * 5 + y) * 8 + c]))
            } } }
        }
        // Sums of 144 products of values in ±1, amplified by F(4×4)'s coefficients as in
        // the forward test below.
        #expect(worst < 1e-4)
    }

    /// F(4×4, 3×3) over an 8 × 9 input, its 8 × 8 outputs (the last input row only read,
    /// as Conv2's 25th by pool2), tile row by tile row: interior and border tiles, and the
    /// windows of each block in pooling order.
    @Test func fourByFourForwardEqualsTheConvolution() {
        let conv = Conv2D(height: 8, width: 9, inChannels: 8, outChannels: 16, outputWidth: 8)
        var random = SeededRandom(seed: 45)
        let input = randomArray(conv.inputCount, &random), kernel = randomArray(9 * 8 * 16, &random)
        var expected = [Float](repeating: 0, count: conv.outputCount), columns = [Float](repeating: 0, count: conv.columnsCount(rows: 8))
        conv.linear(input: input, kernel: kernel, bias: [Float](repeating: 0, count: 16), output: &expected, rows: 0 ..< 8, columns: &columns)
        let winograd = Winograd4x4(inputHeight: 8, inputWidth: 9, inChannels: 8, outChannels: 16, tileRows: 2, tileColumns: 2)
        var u = [Float](repeating: 0, count: 36 * 8 * 16), scratch = [Float](repeating: 0, count: winograd.scratchCount(rows: 1))
        Winograd4x4.transformKernel(kernel, inChannels: 8, outChannels: 16, into: &u)
        var worst: Float = 0
        for tileRow in 0 ..< 2 {
            scratch.withUnsafeMutableBufferPointer { scratch in
                let windows = winograd.run(input: input, u: u, rows: tileRow ..< tileRow + 1, scratch: scratch.baseAddress!)
                for t in 4 * tileRow ..< 4 * tileRow + 4 { for y in 0 ..< 8 { for o in 0 ..< 16 {
                    let window = ((t / 2) % 2) * 4 + y / 2, position = (t % 2) * 2 + y % 2
                    worst = max(worst, abs(windows[(window * 4 + position) * 16 + o] - expected[(t * 8 + y) * 16 + o]))
                } } }
            }
        }
        // Sums of 72 products of values in ±1 (outputs up to about 5): F(4×4)'s transform
        // coefficients (up to 8) amplify float32 rounding to about 2e-5 here; a wrong
        // coefficient or misplaced output would be off by whole units.
        #expect(worst < 5e-5)
    }
}
