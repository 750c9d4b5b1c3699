/// Bidirectional(LSTM, merge_mode="concat") (README section 4): a forward LSTM reads
/// t = 0 … steps−1, a backward LSTM with its own weights reads t = steps−1 … 0 and its
/// outputs are flipped back, so `out[t] = [h_fwd(t), h_bwd(t)]`, forward features first.
///
/// Shapes: x [batch, steps, inputs] (row stride ldx), out [batch, steps, 2n]. Backward
/// adds both directions' input gradients into one dx [batch, steps, inputs].
struct Bidirectional {
    var forwardLSTM: LSTM
    var backwardLSTM: LSTM

    init(inputs: Int, units: Int, steps: Int) {
        forwardLSTM = LSTM(inputs: inputs, units: units, steps: steps, reversed: false)
        backwardLSTM = LSTM(inputs: inputs, units: units, steps: steps, reversed: true)
    }

    var units: Int { forwardLSTM.units }
    var outputWidth: Int { 2 * units }

    func direction(_ index: Int) -> LSTM { index == 0 ? forwardLSTM : backwardLSTM }

    /// Direction `index` (0 forward, 1 backward) alone, writing its half of `out`; the
    /// two directions are independent and may run on different threads.
    func forward(
        direction index: Int, x: UnsafePointer<Float>, ldx: Int, batch: Int,
        parameters: LSTM.Parameters, out: UnsafeMutablePointer<Float>, tape: LSTM.Tape
    ) {
        direction(index).forward(x: x, ldx: ldx, batch: batch, parameters: parameters,
                                 h: out + index * units, ldh: outputWidth, tape: tape)
    }

    /// Direction `index` alone: reads its half of `dOut`, adds its weight gradients and
    /// writes (or adds, with `accumulateDX`) its input gradient.
    func backward(
        direction index: Int, x: UnsafePointer<Float>, ldx: Int, batch: Int, parameters: LSTM.Parameters,
        out: UnsafePointer<Float>, tape: LSTM.Tape, dOut: UnsafePointer<Float>,
        gradients: LSTM.Gradients, dx: UnsafeMutablePointer<Float>?, accumulateDX: Bool, scratch: LSTM.BackwardScratch
    ) {
        direction(index).backward(x: x, ldx: ldx, batch: batch, parameters: parameters,
                                  h: out + index * units, ldh: outputWidth, tape: tape,
                                  dh: dOut + index * units, lddh: outputWidth, gradients: gradients,
                                  dx: dx, accumulateDX: accumulateDX, scratch: scratch)
    }
}
