import Foundation
import ArqamImaging
import ArqamNN

/// Reads digit strings from PNG files: decode → model input → CRNN → CTC.
/// One instance serves every caller; the network runs batched over `threads` cores.
public final class Recognizer: Sendable {
    public struct Options: Sendable {
        /// How many N-best strings to return beside the greedy reading.
        public var alternatives = 3
        public var beamWidth = 16
        public var includeProbabilities = false
        public init(alternatives: Int = 3, beamWidth: Int = 16, includeProbabilities: Bool = false) {
            self.alternatives = alternatives
            self.beamWidth = beamWidth
            self.includeProbabilities = includeProbabilities
        }
    }

    public let model: Model
    public let threads: Int
    public let decoder: PNGDecoder
    private let network: CRNN

    public init(model: Model, threads: Int, decoder: PNGDecoder = PNGDecoder()) {
        self.model = model
        self.threads = max(1, threads)
        self.decoder = decoder
        self.network = CRNN(weights: model.weights, threads: self.threads)
    }

    public convenience init(weightsURL: URL, threads: Int) throws(ModelError) {
        self.init(model: try Model(contentsOf: weightsURL), threads: threads)
    }

    public var modelID: String { model.id }

    /// Reads every file; a file that cannot be decoded gives its error and the others are
    /// still read. Results come back in the order of `urls`.
    public func read(_ urls: [URL], options: Options = Options()) -> [Result<Reading, ImageError>] {
        let decoded = Parallel.map(urls, threads: threads) { url in
            Result { () throws(ImageError) -> [Float] in
                Preprocessing.modelInput(from: try decoder.decode(contentsOf: url))
            }
        }
        var inputs: [Float] = []
        var readable: [Int] = []
        for (index, result) in decoded.enumerated() {
            if case .success(let input) = result {
                inputs.append(contentsOf: input)
                readable.append(index)
            }
        }
        var readings = read(inputs: inputs, batch: readable.count, options: options).makeIterator()
        return decoded.map { result in result.map { _ in readings.next()! } }
    }

    public func read(_ url: URL, options: Options = Options()) throws(ImageError) -> Reading {
        try read([url], options: options)[0].get()
    }

    public func read(image: GrayImage, options: Options = Options()) -> Reading {
        read(inputs: Preprocessing.modelInput(from: image), batch: 1, options: options)[0]
    }

    /// Model inputs [batch × 200 × 50] → one reading each.
    public func read(inputs: [Float], batch: Int, options: Options = Options()) -> [Reading] {
        guard batch > 0 else { return [] }
        let logits = network.logits(inputs: inputs, batch: batch)
        let stride = CRNNShape.outputSize
        return Parallel.map(Array(0..<batch), threads: threads) { sample in
            logits.withUnsafeBufferPointer { all in
                Decoding.reading(logits: UnsafeBufferPointer(rebasing: all[sample * stride ..< (sample + 1) * stride]),
                                 temperature: model.temperature, options: options)
            }
        }
    }
}
