/// The layers of the CRNN and its forward pass over one part of a batch, in a workspace.
struct CRNNForward: Sendable {
    static let conv1 = Conv2D(height: 200, width: 50, inChannels: 1, outChannels: 32)
    static let pool1 = MaxPool(height: 200, inputWidth: 50, channels: 32)
    /// Conv2 (3×3, 32 → 64 channels over pool1's [100, 25]) runs as `conv2`; pool2
    /// reads its output rows y < 24 only (25 → 12), so only those exist.
    static let pool2 = MaxPool(height: 100, inputWidth: 24, channels: 64)
    static let dense1 = Dense(inputs: 768, outputs: 64, relu: true)
    static let bidirectional = Bidirectional(inputs: 64, units: 128, steps: 50)
    static let bidirectional1 = Bidirectional(inputs: 256, units: 64, steps: 50)
    static let dense2 = Dense(inputs: 128, outputs: 13, relu: false)

    /// Rows of Conv1 output computed (and pooled) at a time; even, and dividing each
    /// worker's share of rows (200 / 2).
    static let conv1Block = 20
    /// Conv2 forward by F(4×4, 3×3) tiles over pool1 [100, 25, 32]: 25 × 6 tiles of 4×4
    /// outputs, each four of pool2's windows, at most `conv2BlockRows` tile rows at a time
    /// (36 products of about 50 tiles each: fewer rows would pay BLAS's per-call cost
    /// more often, more would outgrow the L2 cache).
    static let conv2 = Winograd4x4(inputHeight: 100, inputWidth: 25, inChannels: 32, outChannels: 64, tileRows: 25, tileColumns: 6)
    static let conv2BlockRows = 9
    /// Blocks of at most `conv2BlockRows` for `tileRows` tile rows, evened out by `Parallel.slice`.
    static func conv2Blocks(_ tileRows: Int) -> Int { (tileRows + conv2BlockRows - 1) / conv2BlockRows }
    /// Backward by F(4×4, 3×3) too: Conv2's kernel gradient is the adjoint of `conv2`
    /// over pool1, in the forward's blocks of tile rows. Its input gradient, a correlation
    /// of dConv2 [100, 24, 64] with the flipped kernel, is 25 × 7 tiles covering pool1's
    /// 100 × 25 grid (the 28th column is dropped), `conv2InputBlocks` blocks of tile rows.
    static let conv2Input = Winograd4x4(inputHeight: 100, inputWidth: 24, inChannels: 64, outChannels: 32, tileRows: 25, tileColumns: 7)
    static let conv2InputBlocks = 4

    static let dropoutRate: Float = 0.2
    static let lstmDropoutRate: Float = 0.25
    static let steps = CRNNShape.outputSteps
    static let pool1Size = 100 * 25 * 32
    static let pool2Size = 50 * 768

    /// Dropout masks of image i are drawn from SeededRandom(seed).derived(i), one stream
    /// per layer, so they do not depend on how the batch is split across threads.
    struct DropoutPlan {
        var seed: UInt64
        var firstImage: Int
    }

    let weights: PackedWeights

    /// Forward for the `count` images in `workspace.input`; logits land in `workspace.logits`.
    /// `workers` (at most the workspace's) threads take whole images through the
    /// convolutions, or share a lone image's rows, then share the LSTMs by direction;
    /// `recordChoices` keeps the pooling choices that backward needs.
    func run(_ workspace: CRNNWorkspace, count: Int, workers: Int, recordChoices: Bool, dropout: DropoutPlan?) {
        precondition(workers <= workspace.workers, "the workspace has scratch for \(workspace.workers) workers")
        let w = weights, ws = workspace
        let training = dropout != nil
        if count == 1 && workers > 1 {
            // Each worker's pooled rows depend only on the convolution rows it computed.
            Parallel.run(workers) { worker in
                convolution1(ws, image: 0, rows: Parallel.slice(200, part: worker, of: workers), worker: worker, recordChoices: recordChoices)
            }
            Parallel.run(workers) { worker in
                convolution2(ws, image: 0, tileRows: Parallel.slice(25, part: worker, of: workers), worker: worker, recordChoices: recordChoices)
            }
        } else {
            // An image's features do not depend on which worker computes them.
            Parallel.forEach(count, workers: workers) { image, worker in
                convolution1(ws, image: image, rows: 0 ..< 200, worker: worker, recordChoices: recordChoices)
                convolution2(ws, image: image, tileRows: 0 ..< 25, worker: worker, recordChoices: recordChoices)
            }
        }

        let rows = count * Self.steps
        if let dropout { drawMasks(ws, count: count, plan: dropout) }
        let lstm1Input = { (direction: Int) in training ? ws.lstm1Input + direction * rows * 64 : UnsafeMutablePointer(ws.dense1) }
        Parallel.run(min(workers, 2)) { worker in
            for direction in Parallel.slice(2, part: worker, of: min(workers, 2)) {
                Self.bidirectional.forward(direction: direction, x: lstm1Input(direction), ldx: 64, batch: count,
                                           parameters: w.lstm(direction == 0 ? .lstm1ForwardKernel : .lstm1BackwardKernel),
                                           out: ws.h1, tape: ws.lstm1Tapes[direction])
            }
        }
        if training {
            for direction in 0 ..< 2 {
                Dropout.forward(x: ws.h1, mask: ws.lstm2Mask + direction * rows * 256,
                                y: ws.lstm2Input + direction * rows * 256, count: rows * 256)
            }
        }
        let lstm2Input = { (direction: Int) in training ? ws.lstm2Input + direction * rows * 256 : ws.h1 }
        Parallel.run(min(workers, 2)) { worker in
            for direction in Parallel.slice(2, part: worker, of: min(workers, 2)) {
                Self.bidirectional1.forward(direction: direction, x: lstm2Input(direction), ldx: 256, batch: count,
                                            parameters: w.lstm(direction == 0 ? .lstm2ForwardKernel : .lstm2BackwardKernel),
                                            out: ws.h2, tape: ws.lstm2Tapes[direction])
            }
        }
        Self.dense2.forward(x: ws.h2, rows: rows, kernel: w[.dense2Kernel], bias: w[.dense2Bias], y: ws.logits)
    }

    /// Conv1 rows `rows` of one image, ReLU and pool1, a block of rows at a time while it
    /// is in cache.
    private func convolution1(_ ws: CRNNWorkspace, image: Int, rows: Range<Int>, worker: Int, recordChoices: Bool) {
        let w = weights
        let pooled1 = ws.pool1 + image * Self.pool1Size
        let choices1 = recordChoices ? ws.pool1Choices + image * Self.pool1Size : nil
        for first in stride(from: rows.lowerBound, to: rows.upperBound, by: Self.conv1Block) {
            let block = first ..< min(first + Self.conv1Block, rows.upperBound)
            Self.conv1.linear(input: ws.input + image * CRNNShape.inputSize, kernel: w[.conv1Kernel], bias: w[.conv1Bias],
                              output: ws.conv1Out[worker], rows: block, columns: ws.columns[worker])
            let pooled = block.lowerBound / 2 ..< block.upperBound / 2, offset = pooled.lowerBound * 25 * 32
            Self.pool1.forward(input: ws.conv1Out[worker], output: pooled1 + offset, choices: choices1.map { $0 + offset },
                               rows: pooled, relu: true, rowsFromPointers: true)
        }
    }

    /// Conv2 over F(4×4, 3×3) tile rows `tileRows` of one image, whose windows go straight
    /// into pool2 (bias and ReLU applied after the max), a block of tile rows at a time;
    /// then dense1 on the pooled steps (two per tile row).
    private func convolution2(_ ws: CRNNWorkspace, image: Int, tileRows: Range<Int>, worker: Int, recordChoices: Bool) {
        let w = weights
        let pooled2 = ws.pool2 + image * Self.pool2Size
        let choices2 = recordChoices ? ws.pool2Choices + image * Self.pool2Size : nil
        let blocks = Self.conv2Blocks(tileRows.count)
        for part in 0 ..< blocks {
            let slice = Parallel.slice(tileRows.count, part: part, of: blocks)
            let block = tileRows.lowerBound + slice.lowerBound ..< tileRows.lowerBound + slice.upperBound
            let windows = Self.conv2.run(input: ws.pool1 + image * Self.pool1Size, u: w.conv2Winograd!, rows: block, scratch: ws.columns[worker])
            let offset = 2 * block.lowerBound * 768
            MaxPool.forward(windows: windows, count: 2 * block.count * 12, channels: 64, bias: w[.conv2Bias],
                            output: pooled2 + offset, choices: choices2.map { $0 + offset })
        }
        let steps = 2 * tileRows.lowerBound ..< 2 * tileRows.upperBound
        Self.dense1.forward(x: pooled2 + steps.lowerBound * 768, rows: steps.count, kernel: w[.dense1Kernel], bias: w[.dense1Bias],
                            y: ws.dense1 + (image * Self.steps + steps.lowerBound) * 64)
    }

    /// Draws every mask and applies those on dense1's output: dropout (0.2, per element)
    /// and each LSTM direction's input dropout (0.25, one mask per sequence).
    private func drawMasks(_ ws: CRNNWorkspace, count: Int, plan: DropoutPlan) {
        let rows = count * Self.steps
        for image in 0 ..< count {
            let random = SeededRandom(seed: plan.seed).derived(UInt64(plan.firstImage + image))
            var stream = random.derived(0)
            Dropout.drawMask(ws.dropoutMask + image * Self.steps * 64, count: Self.steps * 64, rate: Self.dropoutRate, random: &stream)
            for direction in 0 ..< 2 {
                stream = random.derived(UInt64(1 + direction))
                Dropout.drawTimeConstantMask(ws.lstm1Mask + direction * rows * 64 + image * Self.steps * 64,
                                             steps: Self.steps, features: 64, rate: Self.lstmDropoutRate, random: &stream)
                stream = random.derived(UInt64(3 + direction))
                Dropout.drawTimeConstantMask(ws.lstm2Mask + direction * rows * 256 + image * Self.steps * 256,
                                             steps: Self.steps, features: 256, rate: Self.lstmDropoutRate, random: &stream)
            }
        }
        Dropout.forward(x: ws.dense1, mask: ws.dropoutMask, y: ws.dropped, count: rows * 64)
        for direction in 0 ..< 2 {
            Dropout.forward(x: ws.dropped, mask: ws.lstm1Mask + direction * rows * 64,
                            y: ws.lstm1Input + direction * rows * 64, count: rows * 64)
        }
    }
}
