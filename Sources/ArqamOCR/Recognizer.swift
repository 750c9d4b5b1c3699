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
        /// How many framings of each picture to read (`ReadingViews`): 1 reads it as given,
        /// the Keras model's answer exactly.
        public var views = 1
        public init(alternatives: Int = 3, beamWidth: Int = 16, includeProbabilities: Bool = false, views: Int = 1) {
            precondition((1...ReadingViews.maximumCount).contains(views), "between 1 and \(ReadingViews.maximumCount) views, not \(views)")
            self.alternatives = alternatives
            self.beamWidth = beamWidth
            self.includeProbabilities = includeProbabilities
            self.views = views
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
                ReadingViews.modelInputs(from: try decoder.decode(contentsOf: url), count: options.views)
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
        read(inputs: ReadingViews.modelInputs(from: image, count: options.views), batch: 1, options: options)[0]
    }

    /// Model inputs [batch × views × 200 × 50] (`ReadingViews.modelInputs` of each image) →
    /// one reading each.
    public func read(inputs: [Float], batch: Int, options: Options = Options()) -> [Reading] {
        guard batch > 0 else { return [] }
        let views = options.views
        let logits = network.logits(inputs: inputs, batch: batch * views)
        let stride = CRNNShape.outputSize
        return Parallel.map(Array(0..<batch), threads: threads) { sample in
            logits.withUnsafeBufferPointer { all in
                let perView = (0..<views).map { view in
                    let start = (sample * views + view) * stride
                    return UnsafeBufferPointer(rebasing: all[start ..< start + stride])
                }
                return views == 1
                    ? Decoding.reading(logits: perView[0], temperature: model.temperature, options: options)
                    : Decoding.reading(views: perView, temperature: model.temperature,
                                       confidenceTemperature: model.confidenceTemperature(views: views), options: options)
            }
        }
    }
}
