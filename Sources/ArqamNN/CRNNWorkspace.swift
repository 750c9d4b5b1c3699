import Foundation
import Synchronization

/// The weights in one block, addressed by name: the hot loops read raw pointers.
final class PackedWeights: @unchecked Sendable {
    let storage: UnsafeMutablePointer<Float>
    private let offsets: [Int]

    /// Conv2's kernel in the F(4×4, 3×3) Winograd domain: for the forward pass
    /// [36, 32, 64], flipped for the input gradient [36, 64, 32]; nil for a gradient sum.
    let conv2Winograd: UnsafeMutablePointer<Float>?
    let conv2WinogradFlipped: UnsafeMutablePointer<Float>?
    /// The four LSTMs' recurrent matrices packed for the fused forward step and for
    /// BPTT's carry step, by kernel name; empty for a gradient sum.
    private let packedRecurrent, packedRecurrentTransposed: [CRNNWeights.Name: UnsafeMutablePointer<Float>]

    init(_ weights: CRNNWeights, winograd: Bool = true) {
        let storage = UnsafeMutablePointer<Float>.allocate(capacity: CRNNWeights.parameterCount)
        var offset = 0
        var offsets: [Int] = []
        for tensor in weights.tensors {
            offsets.append(offset)
            tensor.scalars.withUnsafeBufferPointer { storage.advanced(by: offset).initialize(from: $0.baseAddress!, count: $0.count) }
            offset += tensor.count
        }
        self.storage = storage
        self.offsets = offsets
        if winograd {
            let forward = UnsafeMutablePointer<Float>.allocate(capacity: 36 * 32 * 64)
            let flipped = UnsafeMutablePointer<Float>.allocate(capacity: 36 * 32 * 64)
            let kernel = storage + offsets[CRNNWeights.Name.conv2Kernel.rawValue]
            Winograd4x4.transformKernel(kernel, inChannels: 32, outChannels: 64, into: forward)
            Winograd4x4.transformKernel(kernel, inChannels: 32, outChannels: 64, flipped: true, into: flipped)
            (conv2Winograd, conv2WinogradFlipped) = (forward, flipped)
            var packed: [CRNNWeights.Name: UnsafeMutablePointer<Float>] = [:], transposed = packed
            for kernel in [CRNNWeights.Name.lstm1ForwardKernel, .lstm1BackwardKernel, .lstm2ForwardKernel, .lstm2BackwardKernel] {
                let recurrent = CRNNWeights.Name(rawValue: kernel.rawValue + 1)!
                let count = weights[recurrent].count
                let units = kernel.rawValue < CRNNWeights.Name.lstm2ForwardKernel.rawValue ? CRNNShape.lstm1Units : CRNNShape.lstm2Units
                packed[kernel] = .allocate(capacity: count)
                transposed[kernel] = .allocate(capacity: count)
                LSTM.packRecurrent(storage + offsets[recurrent.rawValue], units: units, into: packed[kernel]!)
                LSTM.packRecurrentTransposed(storage + offsets[recurrent.rawValue], units: units, into: transposed[kernel]!)
            }
            (packedRecurrent, packedRecurrentTransposed) = (packed, transposed)
        } else {
            (conv2Winograd, conv2WinogradFlipped) = (nil, nil)
            (packedRecurrent, packedRecurrentTransposed) = ([:], [:])
        }
    }

    deinit {
        storage.deallocate()
        conv2Winograd?.deallocate()
        conv2WinogradFlipped?.deallocate()
        for pointer in packedRecurrent.values { pointer.deallocate() }
        for pointer in packedRecurrentTransposed.values { pointer.deallocate() }
    }

    subscript(name: CRNNWeights.Name) -> UnsafeMutablePointer<Float> { storage + offsets[name.rawValue] }

    func lstm(_ kernel: CRNNWeights.Name) -> LSTM.Parameters {
        LSTM.Parameters(kernel: self[kernel], recurrent: self[CRNNWeights.Name(rawValue: kernel.rawValue + 1)!],
                        bias: self[CRNNWeights.Name(rawValue: kernel.rawValue + 2)!],
                        packedRecurrent: packedRecurrent[kernel].map { UnsafePointer($0) },
                        packedRecurrentTransposed: packedRecurrentTransposed[kernel].map { UnsafePointer($0) })
    }

    func lstmGradients(_ kernel: CRNNWeights.Name) -> LSTM.Gradients {
        LSTM.Gradients(kernel: self[kernel], recurrent: self[CRNNWeights.Name(rawValue: kernel.rawValue + 1)!],
                       bias: self[CRNNWeights.Name(rawValue: kernel.rawValue + 2)!])
    }

    func unpacked() -> CRNNWeights {
        var weights = CRNNWeights.zeros
        for name in CRNNWeights.Name.allCases {
            let source = self[name]
            weights[name].scalars.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source, count: $0.count) }
        }
        return weights
    }
}

/// Every buffer one thread needs to run `capacity` images forward and backward, carved
/// from a single allocation that is reused from call to call (fresh memory would cost
/// page faults on every call). Used by one thread at a time.
final class CRNNWorkspace: @unchecked Sendable {
    let capacity: Int
    let workers: Int
    private let allocation, block: UnsafeMutableRawPointer

    // Per image (× capacity), kept from forward for backward:
    let input, pool1, pool2, dense1, dropped, lstm1Input, lstm1Mask, h1, lstm2Input, lstm2Mask, h2, logits: UnsafeMutablePointer<Float>
    let pool1Choices, pool2Choices: UnsafeMutablePointer<UInt8>
    let lstm1Tapes, lstm2Tapes: [LSTM.Tape]
    let dropoutMask: UnsafeMutablePointer<Float>
    // Per worker, reused block after block (Conv1 rows, Winograd tiles, patch matrices):
    let columns, conv1Out: [UnsafeMutablePointer<Float>]
    // Backward scratch and the gradient sum:
    let dH2, dH1, dX, dDense1, dFeatures, dConv2, dPool1, dConv1: UnsafeMutablePointer<Float>
    /// Conv2's kernel gradient in the Winograd domain, [36, 32, 64], summed over the images.
    let dConv2Winograd: UnsafeMutablePointer<Float>
    let lstm1Scratch, lstm2Scratch: [LSTM.BackwardScratch]
    /// Made on first use: inference never needs it.
    private(set) lazy var gradients = PackedWeights(CRNNWeights.zeros, winograd: false)

    init(capacity: Int, workers: Int) {
        self.capacity = capacity
        self.workers = workers
        let s = CRNNShape.self
        let (steps, n1, n2) = (s.outputSteps, s.lstm1Units, s.lstm2Units)
        let layers = CRNNForward.self
        let columnsSize = max(layers.conv1.columnsCount(rows: layers.conv1Block),
                              layers.conv2.scratchCount(rows: layers.conv2BlockRows),
                              layers.conv2Input.scratchCount(rows: (layers.conv2Input.tileRows + layers.conv2InputBlocks - 1) / layers.conv2InputBlocks))
        let conv1BlockSize = layers.conv1Block * 50 * 32
        let sequenceRows = capacity * steps

        var floatCounts: [Int] = []
        func reserve(_ count: Int) -> Int { floatCounts.append(count); return floatCounts.count - 1 }
        let sizes = (
            input: reserve(capacity * s.inputSize), pool1: reserve(capacity * 100 * 25 * 32), pool2: reserve(sequenceRows * s.features),
            dense1: reserve(sequenceRows * s.dense1Units), dropped: reserve(sequenceRows * s.dense1Units),
            dropoutMask: reserve(sequenceRows * s.dense1Units),
            lstm1Input: reserve(2 * sequenceRows * s.dense1Units), lstm1Mask: reserve(2 * sequenceRows * s.dense1Units),
            h1: reserve(sequenceRows * 2 * n1),
            lstm2Input: reserve(2 * sequenceRows * 2 * n1), lstm2Mask: reserve(2 * sequenceRows * 2 * n1),
            h2: reserve(sequenceRows * 2 * n2), logits: reserve(sequenceRows * s.classes),
            lstm1Tapes: reserve(2 * sequenceRows * 6 * n1), lstm2Tapes: reserve(2 * sequenceRows * 6 * n2),
            columns: reserve(workers * columnsSize), conv1Out: reserve(workers * conv1BlockSize),
            dH2: reserve(sequenceRows * 2 * n2), dH1: reserve(sequenceRows * 2 * n1), dX: reserve(2 * sequenceRows * 2 * n1),
            dDense1: reserve(sequenceRows * s.dense1Units), dFeatures: reserve(sequenceRows * s.features),
            dConv2: reserve(100 * 24 * 64), dConv2Winograd: reserve(36 * 32 * 64), dPool1: reserve(100 * 25 * 32), dConv1: reserve(conv1BlockSize),
            lstm1Scratch: reserve(2 * (sequenceRows * 4 * n1 + 2 * capacity * n1)),
            lstm2Scratch: reserve(2 * (sequenceRows * 4 * n2 + 2 * capacity * n2))
        )
        let choiceBytes = capacity * (100 * 25 * 32 + 50 * 12 * 64)
        let floatTotal = floatCounts.reduce(0, +)
        // calloc, not allocate + fill: most of the block (training's tapes, masks and
        // gradients) is never touched by inference, and the kernel's zero pages cost
        // neither time nor resident memory until written. Aligned to 64 bytes by hand.
        guard let zeroed = calloc(floatTotal * 4 + choiceBytes + 64, 1) else {
            fatalError("out of memory for a CRNN workspace of \(floatTotal * 4 + choiceBytes) bytes")
        }
        allocation = zeroed
        block = zeroed + (64 - Int(bitPattern: zeroed) % 64) % 64
        let floats = block.assumingMemoryBound(to: Float.self)
        var starts: [UnsafeMutablePointer<Float>] = []
        var offset = 0
        for count in floatCounts {
            starts.append(floats + offset)
            offset += count
        }
        input = starts[sizes.input]; pool1 = starts[sizes.pool1]; pool2 = starts[sizes.pool2]
        dense1 = starts[sizes.dense1]; dropped = starts[sizes.dropped]; dropoutMask = starts[sizes.dropoutMask]
        lstm1Input = starts[sizes.lstm1Input]; lstm1Mask = starts[sizes.lstm1Mask]; h1 = starts[sizes.h1]
        lstm2Input = starts[sizes.lstm2Input]; lstm2Mask = starts[sizes.lstm2Mask]; h2 = starts[sizes.h2]
        logits = starts[sizes.logits]
        func tapes(_ base: UnsafeMutablePointer<Float>, units: Int) -> [LSTM.Tape] {
            (0 ..< 2).map { direction in
                let start = base + direction * sequenceRows * 6 * units
                return LSTM.Tape(gates: start, cells: start + sequenceRows * 4 * units, cellTanh: start + sequenceRows * 5 * units)
            }
        }
        lstm1Tapes = tapes(starts[sizes.lstm1Tapes], units: n1)
        lstm2Tapes = tapes(starts[sizes.lstm2Tapes], units: n2)
        columns = (0 ..< workers).map { starts[sizes.columns] + $0 * columnsSize }
        conv1Out = (0 ..< workers).map { starts[sizes.conv1Out] + $0 * conv1BlockSize }
        dH2 = starts[sizes.dH2]; dH1 = starts[sizes.dH1]; dX = starts[sizes.dX]
        dDense1 = starts[sizes.dDense1]; dFeatures = starts[sizes.dFeatures]
        dConv2 = starts[sizes.dConv2]; dConv2Winograd = starts[sizes.dConv2Winograd]; dPool1 = starts[sizes.dPool1]; dConv1 = starts[sizes.dConv1]
        func scratches(_ base: UnsafeMutablePointer<Float>, units: Int) -> [LSTM.BackwardScratch] {
            (0 ..< 2).map { direction in
                let start = base + direction * (sequenceRows * 4 * units + 2 * capacity * units)
                let carries = start + sequenceRows * 4 * units
                return LSTM.BackwardScratch(dZ: start, dh: carries, dc: carries + capacity * units)
            }
        }
        lstm1Scratch = scratches(starts[sizes.lstm1Scratch], units: n1)
        lstm2Scratch = scratches(starts[sizes.lstm2Scratch], units: n2)
        let choices = (block + floatTotal * 4).assumingMemoryBound(to: UInt8.self)
        pool1Choices = choices
        pool2Choices = choices + capacity * 100 * 25 * 32
    }

    deinit { free(allocation) }
}

/// Workspaces waiting for the next call; a call takes one per thread and gives it back,
/// so a CRNN can serve several callers at once.
final class WorkspacePool: Sendable {
    private let idle = Mutex<[CRNNWorkspace]>([])

    func take(capacity: Int, workers: Int) -> CRNNWorkspace {
        let found = idle.withLock { idle -> CRNNWorkspace? in
            guard let index = idle.firstIndex(where: { $0.capacity >= capacity && $0.workers >= workers }) else { return nil }
            return idle.remove(at: index)
        }
        return found ?? CRNNWorkspace(capacity: capacity, workers: workers)
    }

    func give(_ workspaces: [CRNNWorkspace]) {
        idle.withLock { $0.append(contentsOf: workspaces) }
    }
}
