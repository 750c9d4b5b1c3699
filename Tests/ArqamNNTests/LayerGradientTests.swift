import Testing
@testable import ArqamNN

/// Each layer's backward against finite differences of its forward (GradientCheck.swift).
@Suite struct LayerGradientTests {
    @Test func conv2DWithReLU() {
        // 5 time rows, 4 image rows (only the first 3 output rows computed), 2 → 3 channels.
        let conv = Conv2D(height: 5, width: 4, inChannels: 2, outChannels: 3, outputWidth: 3)
        var random = SeededRandom(seed: 11)
        let input = randomArray(conv.inputCount, &random)
        let kernel = randomArray(27 * 2, &random, range: -0.5 ... 0.5)
        let bias = randomArray(3, &random, range: -0.2 ... 0.2)
        let r = randomArray(conv.outputCount, &random)
        var columns = [Float](repeating: 0, count: conv.columnsCount(rows: 5))
        func forward(_ input: [Float], _ kernel: [Float], _ bias: [Float]) -> [Float] {
            var output = [Float](repeating: 0, count: conv.outputCount)
            conv.forward(input: input, kernel: kernel, bias: bias, output: &output, rows: 0 ..< 5, columns: &columns)
            return output
        }
        let output = forward(input, kernel, bias)
        var dOutput = r, dKernel = [Float](repeating: 0, count: kernel.count), dBias = [Float](repeating: 0, count: 3)
        var dInput = [Float](repeating: 0, count: input.count)
        conv.backward(input: input, output: output, dOutput: &dOutput, kernel: kernel, dKernel: &dKernel, dBias: &dBias,
                      dInput: &dInput, columns: &columns)
        expectGradient(of: input, analytic: dInput, name: "conv input") { dot(r, forward($0, kernel, bias)) }
        expectGradient(of: kernel, analytic: dKernel, name: "conv kernel") { dot(r, forward(input, $0, bias)) }
        expectGradient(of: bias, analytic: dBias, name: "conv bias") { dot(r, forward(input, kernel, $0)) }
    }

    @Test func maxPoolRoutesToTheMaximum() {
        // 4 × 5 input (the odd last row is dropped) × 2 channels; distinct values, no ties.
        let pool = MaxPool(height: 4, inputWidth: 5, channels: 2)
        var random = SeededRandom(seed: 12)
        let input = (0 ..< 40).map { Float($0) * 0.05 }.shuffled(using: &random)
        let r = randomArray(pool.outputCount, &random)
        var choices = [UInt8](repeating: 0, count: pool.outputCount)
        func forward(_ input: [Float]) -> [Float] {
            var output = [Float](repeating: 0, count: pool.outputCount)
            pool.forward(input: input, output: &output, choices: &choices, rows: 0 ..< 2)
            return output
        }
        _ = forward(input)
        var dInput = [Float](repeating: 9, count: 40)
        pool.backward(dOutput: r, choices: choices, dInput: &dInput)
        // Values are 0.05 apart, so h = 1e-2 never changes which one is the maximum.
        expectGradient(of: input, analytic: dInput, name: "pool input") { dot(r, forward($0)) }
    }

    @Test func maxPoolTiesGoToTheFirstMaximum() {
        // One 2×2 window, one channel, in the order (0,0), (0,1), (1,0), (1,1).
        let pool = MaxPool(height: 2, inputWidth: 2, channels: 1)
        for (window, expected) in [([1, 1, 1, 1], 0), ([0, 2, 1, 2], 1), ([0, 1, 3, 3], 2), ([-1, -2, -3, -0.5], 3)] as [([Float], Int)] {
            var output: Float = 0, choice: UInt8 = 9
            pool.forward(input: window, output: &output, choices: &choice, rows: 0 ..< 1)
            var dInput = [Float](repeating: 7, count: 4)
            pool.backward(dOutput: [1.5], choices: [choice], dInput: &dInput)
            #expect(output == window.max() && Int(choice) == expected)
            #expect(dInput == (0 ..< 4).map { $0 == expected ? 1.5 : 0 })
        }
    }

    @Test(arguments: [true, false])
    func dense(relu: Bool) {
        let dense = Dense(inputs: 4, outputs: 5, relu: relu)
        var random = SeededRandom(seed: relu ? 13 : 14)
        let x = randomArray(3 * 4, &random), kernel = randomArray(20, &random), bias = randomArray(5, &random, range: -0.3 ... 0.3)
        let r = randomArray(15, &random)
        func forward(_ x: [Float], _ kernel: [Float], _ bias: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: 15)
            dense.forward(x: x, rows: 3, kernel: kernel, bias: bias, y: &y)
            return y
        }
        let y = forward(x, kernel, bias)
        var dy = r, dKernel = [Float](repeating: 0, count: 20), dBias = [Float](repeating: 0, count: 5), dx = [Float](repeating: 0, count: 12)
        dense.backward(x: x, y: y, dy: &dy, rows: 3, kernel: kernel, dKernel: &dKernel, dBias: &dBias, dx: &dx)
        expectGradient(of: x, analytic: dx, name: "dense x") { dot(r, forward($0, kernel, bias)) }
        expectGradient(of: kernel, analytic: dKernel, name: "dense kernel") { dot(r, forward(x, $0, bias)) }
        expectGradient(of: bias, analytic: dBias, name: "dense bias") { dot(r, forward(x, kernel, $0)) }
    }

    @Test func dropoutKeepsAndScales() {
        var random = SeededRandom(seed: 15)
        var mask = [Float](repeating: -1, count: 10_000)
        Dropout.drawMask(&mask, count: mask.count, rate: 0.25, random: &random)
        // Every entry is 0 or 1/0.75; about a quarter are dropped (±4σ of a binomial, σ ≈ 43).
        #expect(mask.allSatisfy { $0 == 0 || $0 == 1 / Float(0.75) })
        #expect(abs(mask.filter { $0 == 0 }.count - 2_500) < 175)
        var timeConstant = [Float](repeating: -1, count: 3 * 4)
        Dropout.drawTimeConstantMask(&timeConstant, steps: 3, features: 4, rate: 0.5, random: &random)
        #expect(timeConstant[0 ..< 4] == timeConstant[4 ..< 8] && timeConstant[4 ..< 8] == timeConstant[8 ..< 12])

        let x = randomArray(20, &random), r = randomArray(20, &random), small = Array(mask[0 ..< 20])
        func forward(_ x: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: 20)
            Dropout.forward(x: x, mask: small, y: &y, count: 20)
            return y
        }
        var dx = [Float](repeating: 0, count: 20)
        Dropout.backward(dy: r, mask: small, dx: &dx, count: 20, accumulate: false)
        expectGradient(of: x, analytic: dx, name: "dropout x") { dot(r, forward($0)) }
    }

    @Test func softmax() {
        var random = SeededRandom(seed: 16)
        let z = randomArray(2 * 5, &random, range: -2 ... 2), r = randomArray(10, &random)
        func forward(_ z: [Float]) -> [Float] {
            var p = [Float](repeating: 0, count: 10)
            Softmax.forward(z: z, p: &p, rows: 2, classes: 5)
            return p
        }
        let p = forward(z)
        #expect(abs(p[0 ..< 5].reduce(0, +) - 1) < 1e-6)
        var dz = [Float](repeating: 0, count: 10)
        Softmax.backward(p: p, dp: r, dz: &dz, rows: 2, classes: 5)
        expectGradient(of: z, analytic: dz, name: "softmax z") { dot(r, forward($0)) }
    }
}
