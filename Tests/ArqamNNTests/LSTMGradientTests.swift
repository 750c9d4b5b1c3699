import Foundation
import Testing
@testable import ArqamNN

/// A Bidirectional LSTM (so both directions and the concatenated layout) of 2 sequences
/// × 4 steps, 3 inputs, 8 units, run on plain arrays.
private struct SmallBidirectional {
    static let (batch, steps, inputs, units) = (2, 4, 3, 8)
    let layer = Bidirectional(inputs: inputs, units: units, steps: steps)
    var count: Int { Self.batch * Self.steps }

    /// Weights of one direction: kernel [3, 32], recurrent [8, 32], bias [32].
    struct Weights {
        var kernel: [Float]
        var recurrent: [Float]
        var bias: [Float]
    }

    struct Run {
        var output: [Float]
        var tapes: [[Float]]
    }

    func forward(_ x: [Float], _ weights: [Weights]) -> Run {
        var output = [Float](repeating: 0, count: count * 2 * Self.units)
        var tapes: [[Float]] = []
        for direction in 0 ..< 2 {
            var tape = [Float](repeating: 0, count: count * 6 * Self.units)
            tape.withUnsafeMutableBufferPointer { tape in
                weights[direction].kernel.withUnsafeBufferPointer { kernel in
                    weights[direction].recurrent.withUnsafeBufferPointer { recurrent in
                        weights[direction].bias.withUnsafeBufferPointer { bias in
                            let base = tape.baseAddress!
                            layer.forward(direction: direction, x: x, ldx: Self.inputs, batch: Self.batch,
                                          parameters: .init(kernel: kernel.baseAddress!, recurrent: recurrent.baseAddress!, bias: bias.baseAddress!),
                                          out: &output, tape: .init(gates: base, cells: base + count * 4 * Self.units, cellTanh: base + count * 5 * Self.units))
                        }
                    }
                }
            }
            tapes.append(tape)
        }
        return Run(output: output, tapes: tapes)
    }

    /// Gradients [direction] (kernel, recurrent, bias) and dx, for d(loss)/d(output) = r.
    func backward(_ x: [Float], _ weights: [Weights], _ run: Run, _ r: [Float]) -> (gradients: [Weights], dx: [Float]) {
        var gradients: [Weights] = weights
        var dx = [Float](repeating: 0, count: count * Self.inputs)
        for direction in 0 ..< 2 {
            var tape = run.tapes[direction]
            var scratch = [Float](repeating: 0, count: count * 4 * Self.units + 2 * Self.batch * Self.units)
            let w = weights[direction]
            var dKernelArray = [Float](repeating: 0, count: 96), dRecurrentArray = [Float](repeating: 0, count: 256)
            var dBiasArray = [Float](repeating: 0, count: 32)
            tape.withUnsafeMutableBufferPointer { tape in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    w.kernel.withUnsafeBufferPointer { kernel in
                        w.recurrent.withUnsafeBufferPointer { recurrent in
                            w.bias.withUnsafeBufferPointer { bias in
                                dKernelArray.withUnsafeMutableBufferPointer { dKernel in
                                    dRecurrentArray.withUnsafeMutableBufferPointer { dRecurrent in
                                        dBiasArray.withUnsafeMutableBufferPointer { dBias in
                                            let base = tape.baseAddress!, s = scratch.baseAddress!
                                            layer.backward(
                                                direction: direction, x: x, ldx: Self.inputs, batch: Self.batch,
                                                parameters: .init(kernel: kernel.baseAddress!, recurrent: recurrent.baseAddress!, bias: bias.baseAddress!),
                                                out: run.output,
                                                tape: .init(gates: base, cells: base + count * 4 * Self.units, cellTanh: base + count * 5 * Self.units),
                                                dOut: r, gradients: .init(kernel: dKernel.baseAddress!, recurrent: dRecurrent.baseAddress!, bias: dBias.baseAddress!),
                                                dx: &dx, accumulateDX: direction == 1,
                                                scratch: .init(dZ: s, dh: s + count * 4 * Self.units, dc: s + count * 4 * Self.units + Self.batch * Self.units))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            gradients[direction] = Weights(kernel: dKernelArray, recurrent: dRecurrentArray, bias: dBiasArray)
        }
        return (gradients, dx)
    }
}

@Suite struct LSTMGradientTests {
    private let layer = SmallBidirectional()
    private var random = SeededRandom(seed: 21)

    private mutating func setUp() -> (x: [Float], weights: [SmallBidirectional.Weights], r: [Float]) {
        let x = randomArray(layer.count * 3, &random)
        let weights = (0 ..< 2).map { _ in
            SmallBidirectional.Weights(kernel: randomArray(96, &random, range: -0.6 ... 0.6),
                                       recurrent: randomArray(256, &random, range: -0.4 ... 0.4),
                                       bias: randomArray(32, &random, range: -0.3 ... 0.3))
        }
        return (x, weights, randomArray(layer.count * 16, &random))
    }

    @Test mutating func bpttMatchesFiniteDifferences() {
        let (x, weights, r) = setUp()
        let run = layer.forward(x, weights)
        let (gradients, dx) = layer.backward(x, weights, run, r)
        expectGradient(of: x, analytic: dx, name: "lstm x") { dot(r, layer.forward($0, weights).output) }
        for direction in 0 ..< 2 {
            func loss(_ change: (inout SmallBidirectional.Weights) -> Void) -> Double {
                var changed = weights
                change(&changed[direction])
                return dot(r, layer.forward(x, changed).output)
            }
            expectGradient(of: weights[direction].kernel, analytic: gradients[direction].kernel, name: "kernel \(direction)") { v in loss { $0.kernel = v } }
            expectGradient(of: weights[direction].recurrent, analytic: gradients[direction].recurrent, name: "recurrent \(direction)") { v in loss { $0.recurrent = v } }
            expectGradient(of: weights[direction].bias, analytic: gradients[direction].bias, name: "bias \(direction)") { v in loss { $0.bias = v } }
        }
    }

    /// README section 4: the backward direction is the forward recursion run on the
    /// reversed sequence, its outputs flipped back; checked here against a plain scalar
    /// LSTM written from the formulas.
    @Test mutating func directionsFollowTheFormulas() {
        let (x, weights, _) = setUp()
        let output = layer.forward(x, weights).output
        let (steps, n) = (SmallBidirectional.steps, SmallBidirectional.units)
        for b in 0 ..< SmallBidirectional.batch {
            for direction in 0 ..< 2 {
                let w = weights[direction]
                var h = [Double](repeating: 0, count: n), c = [Double](repeating: 0, count: n)
                for step in 0 ..< steps {
                    let t = direction == 0 ? step : steps - 1 - step
                    var z = (0 ..< 4 * n).map { Double(w.bias[$0]) }
                    for k in 0 ..< 4 * n {
                        for i in 0 ..< 3 { z[k] += Double(x[(b * steps + t) * 3 + i]) * Double(w.kernel[i * 4 * n + k]) }
                        for j in 0 ..< n { z[k] += h[j] * Double(w.recurrent[j * 4 * n + k]) }
                    }
                    func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
                    for j in 0 ..< n {
                        c[j] = sigmoid(z[n + j]) * c[j] + sigmoid(z[j]) * tanh(z[2 * n + j])
                        h[j] = sigmoid(z[3 * n + j]) * tanh(c[j])
                        let got = output[(b * steps + t) * 2 * n + direction * n + j]
                        #expect(abs(Double(got) - h[j]) < 1e-5, "b \(b) t \(t) direction \(direction) unit \(j)")
                    }
                }
            }
        }
    }
}
