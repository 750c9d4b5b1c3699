import Foundation

/// The CRNN of README section 4, batched:
///
///     input [B, 200, 50] → Conv1 [200, 50, 32] → pool1 [100, 25, 32] → Conv2 [100, 25, 64]
///     → pool2 [50, 12, 64] = reshape [50, 768] (same memory) → dense1 [50, 64] → dropout
///     → bidirectional [50, 256] → bidirectional_1 [50, 128] → dense2 logits [50, 13] → softmax
///
/// `threads` sets how many threads one call uses. Inference runs a batch as parts of two
/// threads each: the two take whole images through the convolutions, then one LSTM
/// direction each over the whole part, so every product spans the part's images; a
/// single image is split inside (convolution rows, then the LSTM directions). Training
/// cuts the batch into one contiguous part per thread. The numbers depend on the batch
/// and on `threads`, never on scheduling. OpenBLAS itself is kept single-threaded.
///
/// A CRNN value may be used from several threads at once: each call takes its own
/// buffers from a shared pool.
public struct CRNN: Sendable {
    public var weights: CRNNWeights {
        didSet { packed = PackedWeights(weights) }
    }
    public var threads: Int
    private var packed: PackedWeights
    private let pool = WorkspacePool()

    public init(weights: CRNNWeights, threads: Int = 1) {
        BLAS.singleThreaded
        self.weights = weights
        self.threads = max(threads, 1)
        packed = PackedWeights(weights)
    }

    /// dense2 outputs before softmax, [batch, 50, 13], for inputs [batch, 200, 50].
    public func logits(inputs: [Float], batch: Int) -> [Float] {
        let (parts, workers) = inferenceSplit(batch: batch)
        let chunks = plan(batch: batch, parts: parts, workers: workers)
        defer { pool.give(chunks.map(\.workspace)) }
        let forward = CRNNForward(weights: packed)
        run(inputs: inputs, chunks: chunks) { chunk in
            forward.run(chunk.workspace, count: chunk.images.count, workers: workers, recordChoices: false, dropout: nil)
        }
        return collectLogits(chunks, batch: batch)
    }

    /// Softmax of `logits`, [batch, 50, 13].
    public func probabilities(inputs: [Float], batch: Int) -> [Float] {
        Self.softmax(logits(inputs: inputs, batch: batch))
    }

    public static func softmax(_ logits: [Float]) -> [Float] {
        var probabilities = [Float](repeating: 0, count: logits.count)
        logits.withUnsafeBufferPointer { z in
            probabilities.withUnsafeMutableBufferPointer { p in
                Softmax.forward(z: z.baseAddress!, p: p.baseAddress!, rows: logits.count / CRNNShape.classes, classes: CRNNShape.classes)
            }
        }
        return probabilities
    }

    /// The forward pass of training: dropout active when `dropoutSeed` is given (masks
    /// drawn per image from the seed and the image's index in the batch), and everything
    /// backward needs kept in the returned tape.
    public func forwardForTraining(inputs: [Float], batch: Int, dropoutSeed: UInt64?) -> CRNNTape {
        let workers = batch == 1 && threads >= 2 ? 2 : 1
        let chunks = plan(batch: batch, parts: min(threads, batch), workers: workers)
        let forward = CRNNForward(weights: packed)
        run(inputs: inputs, chunks: chunks) { chunk in
            let dropout = dropoutSeed.map { CRNNForward.DropoutPlan(seed: $0, firstImage: chunk.images.lowerBound) }
            forward.run(chunk.workspace, count: chunk.images.count, workers: workers, recordChoices: true, dropout: dropout)
        }
        return CRNNTape(batch: batch, logits: collectLogits(chunks, batch: batch), chunks: chunks,
                        weights: packed, dropout: dropoutSeed != nil, workers: workers, pool: pool)
    }

    /// Gradients of all 20 tensors for d(loss)/d(logits) `dLogits` [batch, 50, 13], with
    /// the weights and dropout masks of the tape's forward pass. Parts of the batch run
    /// on their own threads; their sums are added in batch order.
    public func backward(_ tape: CRNNTape, dLogits: [Float]) -> CRNNWeights {
        precondition(dLogits.count == tape.batch * CRNNShape.outputSize, "dLogits must be [batch, 50, 13]")
        let backward = CRNNBackward(weights: tape.weights)
        dLogits.withUnsafeBufferPointer { gradient in
            nonisolated(unsafe) let gradient = gradient.baseAddress!
            let chunks = tape.chunks
            Parallel.run(chunks.count) { index in
                let chunk = chunks[index]
                backward.run(chunk.workspace, count: chunk.images.count,
                             dLogits: gradient + chunk.images.lowerBound * CRNNShape.outputSize,
                             dropout: tape.dropout, workers: tape.workers)
            }
        }
        var sum = tape.chunks[0].workspace.gradients.unpacked()
        for chunk in tape.chunks.dropFirst() {
            let part = chunk.workspace.gradients
            for name in CRNNWeights.Name.allCases {
                let source = part[name]
                sum[name].scalars.withUnsafeMutableBufferPointer { target in
                    for index in target.indices { target[index] += source[index] }
                }
            }
        }
        return sum
    }

    struct Chunk: @unchecked Sendable {
        var images: Range<Int>
        var workspace: CRNNWorkspace
    }

    /// Parts of the batch and threads per part for inference: pairs of threads (the
    /// LSTMs have two directions to share), a lone image on two.
    private func inferenceSplit(batch: Int) -> (parts: Int, workers: Int) {
        if threads == 1 { return (1, 1) }
        if batch == 1 { return (1, 2) }
        let parts = max(1, min(threads / 2, batch / 2))
        return (parts, threads / parts)
    }

    private func plan(batch: Int, parts: Int, workers: Int) -> [Chunk] {
        precondition(batch > 0, "batch must be positive")
        return (0 ..< parts).map { part in
            let images = Parallel.slice(batch, part: part, of: parts)
            return Chunk(images: images, workspace: pool.take(capacity: images.count, workers: workers))
        }
    }

    private func run(inputs: [Float], chunks: [Chunk], _ body: (Chunk) -> Void) {
        let batch = chunks.last!.images.upperBound
        precondition(inputs.count == batch * CRNNShape.inputSize, "inputs must be [batch, 200, 50]")
        inputs.withUnsafeBufferPointer { source in
            for chunk in chunks {
                chunk.workspace.input.update(from: source.baseAddress! + chunk.images.lowerBound * CRNNShape.inputSize,
                                             count: chunk.images.count * CRNNShape.inputSize)
            }
        }
        Parallel.run(chunks.count) { body(chunks[$0]) }
    }

    private func collectLogits(_ chunks: [Chunk], batch: Int) -> [Float] {
        var logits = [Float](repeating: 0, count: batch * CRNNShape.outputSize)
        logits.withUnsafeMutableBufferPointer { target in
            for chunk in chunks {
                (target.baseAddress! + chunk.images.lowerBound * CRNNShape.outputSize)
                    .update(from: chunk.workspace.logits, count: chunk.images.count * CRNNShape.outputSize)
            }
        }
        return logits
    }
}

/// What `CRNN.forwardForTraining` keeps for `CRNN.backward`: the logits, and the
/// buffers (activations, pooling choices, LSTM gates, dropout masks) of every part of
/// the batch. The buffers go back to the model's pool when the tape is released.
public final class CRNNTape: @unchecked Sendable {
    public let batch: Int
    /// [batch, 50, 13]
    public let logits: [Float]
    let chunks: [CRNN.Chunk]
    let weights: PackedWeights
    let dropout: Bool
    let workers: Int
    private let pool: WorkspacePool

    init(batch: Int, logits: [Float], chunks: [CRNN.Chunk], weights: PackedWeights, dropout: Bool, workers: Int, pool: WorkspacePool) {
        self.batch = batch
        self.logits = logits
        self.chunks = chunks
        self.weights = weights
        self.dropout = dropout
        self.workers = workers
        self.pool = pool
    }

    deinit { pool.give(chunks.map(\.workspace)) }
}
