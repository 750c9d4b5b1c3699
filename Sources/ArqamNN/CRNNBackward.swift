/// The CRNN's backward pass over one part of a batch, from d(loss)/d(logits) to the
/// gradients of all 20 tensors (summed over the part's images into `workspace.gradients`).
struct CRNNBackward: Sendable {
    typealias Layers = CRNNForward
    let weights: PackedWeights

    func run(_ ws: CRNNWorkspace, count: Int, dLogits: UnsafePointer<Float>, dropout: Bool, workers: Int) {
        let w = weights, g = ws.gradients
        let rows = count * Layers.steps
        g.storage.update(repeating: 0, count: CRNNWeights.parameterCount)
        ws.dConv2Winograd.update(repeating: 0, count: 36 * 32 * 64)

        // dense2: the logits buffer is free now and takes dLogits (Dense may mask dy in place).
        ws.logits.update(from: dLogits, count: rows * 13)
        Layers.dense2.backward(x: ws.h2, y: ws.logits, dy: ws.logits, rows: rows, kernel: w[.dense2Kernel],
                               dKernel: g[.dense2Kernel], dBias: g[.dense2Bias], dx: ws.dH2)

        // bidirectional_1, then through its input dropout into dH1.
        let directionWorkers = min(workers, 2)
        Parallel.run(directionWorkers) { worker in
            for direction in Parallel.slice(2, part: worker, of: directionWorkers) {
                let kernel: CRNNWeights.Name = direction == 0 ? .lstm2ForwardKernel : .lstm2BackwardKernel
                Layers.bidirectional1.backward(
                    direction: direction, x: dropout ? ws.lstm2Input + direction * rows * 256 : ws.h1, ldx: 256, batch: count,
                    parameters: w.lstm(kernel), out: ws.h2, tape: ws.lstm2Tapes[direction], dOut: ws.dH2,
                    gradients: g.lstmGradients(kernel), dx: ws.dX + direction * rows * 256, accumulateDX: false,
                    scratch: ws.lstm2Scratch[direction])
            }
        }
        mergeDirections(ws.dX, width: 256, rows: rows, masks: dropout ? ws.lstm2Mask : nil, into: ws.dH1)

        // bidirectional, then its input dropout and dense1's dropout.
        Parallel.run(directionWorkers) { worker in
            for direction in Parallel.slice(2, part: worker, of: directionWorkers) {
                let kernel: CRNNWeights.Name = direction == 0 ? .lstm1ForwardKernel : .lstm1BackwardKernel
                Layers.bidirectional.backward(
                    direction: direction, x: dropout ? ws.lstm1Input + direction * rows * 64 : ws.dense1, ldx: 64, batch: count,
                    parameters: w.lstm(kernel), out: ws.h1, tape: ws.lstm1Tapes[direction], dOut: ws.dH1,
                    gradients: g.lstmGradients(kernel), dx: ws.dX + direction * rows * 64, accumulateDX: false,
                    scratch: ws.lstm1Scratch[direction])
            }
        }
        mergeDirections(ws.dX, width: 64, rows: rows, masks: dropout ? ws.lstm1Mask : nil, into: ws.dDense1)
        if dropout {
            Dropout.backward(dy: ws.dDense1, mask: ws.dropoutMask, dx: ws.dDense1, count: rows * 64, accumulate: false)
        }

        // dense1 (ReLU) over all rows; its input is pool2 read as [rows, 768].
        Layers.dense1.backward(x: ws.pool2, y: ws.dense1, dy: ws.dDense1, rows: rows, kernel: w[.dense1Kernel],
                               dKernel: g[.dense1Kernel], dBias: g[.dense1Bias], dx: ws.dFeatures)

        // Convolutions, image by image and block by block. ReLU commutes with max, so the
        // ReLU's gradient mask is applied at the pooled value (pooled ≤ 0 ⇔ clipped).
        for image in 0 ..< count {
            let pooled2 = ws.pool2 + image * Layers.pool2Size, dPooled2 = ws.dFeatures + image * Layers.pool2Size
            let choices2 = ws.pool2Choices + image * Layers.pool2Size
            for index in 0 ..< Layers.pool2Size where pooled2[index] <= 0 { dPooled2[index] = 0 }
            let pooled1 = ws.pool1 + image * Layers.pool1Size
            Layers.pool2.backward(dOutput: dPooled2, choices: choices2, dInput: ws.dConv2)
            let dBias = g[.conv2Bias]
            for window in 0 ..< Layers.pool2Size / 64 {
                for c in 0 ..< 64 { dBias[c] += dPooled2[window * 64 + c] }
            }
            let kernelBlocks = Layers.conv2Blocks(Layers.conv2.tileRows)
            for part in 0 ..< kernelBlocks {
                Layers.conv2.accumulateKernelGradient(input: pooled1, dOutput: ws.dConv2, rows: Parallel.slice(Layers.conv2.tileRows, part: part, of: kernelBlocks),
                                                      dU: ws.dConv2Winograd, scratch: ws.columns[0])
            }
            // dPool1 = dConv2 ⋆ flipped kernel, by Winograd tiles delivered as 2×2 windows;
            // every pool1 element lies in exactly one window.
            for part in 0 ..< Layers.conv2InputBlocks {
                let block = Parallel.slice(Layers.conv2Input.tileRows, part: part, of: Layers.conv2InputBlocks)
                let windows = Layers.conv2Input.run(input: ws.dConv2, u: w.conv2WinogradFlipped!, rows: block, scratch: ws.columns[0])
                for windowRow in 0 ..< 2 * block.count {
                    for windowColumn in 0 ..< 14 {
                        let window = windows + (windowRow * 14 + windowColumn) * 4 * 32
                        for position in 0 ..< 4 where 2 * windowColumn + (position & 1) < 25 {
                            let (t, y) = (2 * (2 * block.lowerBound + windowRow) + (position >> 1), 2 * windowColumn + (position & 1))
                            (ws.dPool1 + (t * 25 + y) * 32).update(from: window + position * 32, count: 32)
                        }
                    }
                }
            }
            for index in 0 ..< Layers.pool1Size where pooled1[index] <= 0 { ws.dPool1[index] = 0 }
            let choices1 = ws.pool1Choices + image * Layers.pool1Size
            for first in stride(from: 0, to: 200, by: Layers.conv1Block) {
                let block = first ..< first + Layers.conv1Block
                Layers.pool1.backward(dOutput: ws.dPool1, choices: choices1, dInput: ws.dConv1, rows: first / 2 ..< block.upperBound / 2)
                Layers.conv1.backwardFromPreActivation(input: ws.input + image * CRNNShape.inputSize, dPre: ws.dConv1, rows: block,
                                                       kernel: w[.conv1Kernel], dKernel: g[.conv1Kernel], dBias: g[.conv1Bias],
                                                       dInput: nil, columns: ws.columns[0])
            }
        }
        Winograd4x4.kernelGradient(ws.dConv2Winograd, inChannels: 32, outChannels: 64, into: g[.conv2Kernel])
    }

    /// into = Σ_direction dX[direction] (⊙ its dropout mask), both [rows, width].
    private func mergeDirections(_ dX: UnsafeMutablePointer<Float>, width: Int, rows: Int, masks: UnsafeMutablePointer<Float>?, into: UnsafeMutablePointer<Float>) {
        let count = rows * width
        let (forward, backward) = (dX, dX + count)
        if let masks {
            for index in 0 ..< count { into[index] = forward[index] * masks[index] + backward[index] * masks[count + index] }
        } else {
            for index in 0 ..< count { into[index] = forward[index] + backward[index] }
        }
    }
}
