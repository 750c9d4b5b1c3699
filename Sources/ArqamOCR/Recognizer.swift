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
        /// Whether to read each picture a second time, cropped to where the first reading
        /// found the digits (`ReadingZoom`), in as many views again: twice the network's work.
        public var zoom = false
        public init(alternatives: Int = 3, beamWidth: Int = 16, includeProbabilities: Bool = false, views: Int = 1,
                    zoom: Bool = false) {
            precondition((1...ReadingViews.maximumCount).contains(views), "between 1 and \(ReadingViews.maximumCount) views, not \(views)")
            self.alternatives = alternatives
            self.beamWidth = beamWidth
            self.includeProbabilities = includeProbabilities
            self.views = views
            self.zoom = zoom
        }

        /// How many pictures' logits each reading weighs: the views, twice with the zoom.
        var logitsPerReading: Int { zoom ? 2 * views : views }
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
            Result { () throws(ImageError) -> GrayImage in try decoder.decode(contentsOf: url) }
        }
        let images = decoded.compactMap { try? $0.get() }
        var readings = read(images: images, options: options).makeIterator()
        return decoded.map { result in result.map { _ in readings.next()! } }
    }

    public func read(_ url: URL, options: Options = Options()) throws(ImageError) -> Reading {
        try read([url], options: options)[0].get()
    }

    public func read(image: GrayImage, options: Options = Options()) -> Reading {
        read(images: [image], options: options)[0]
    }

    /// One reading per picture, in `options.views` views, and with the zoom a second time
    /// cropped to the digits the first reading found.
    public func read(images: [GrayImage], options: Options = Options()) -> [Reading] {
        let inputs = Parallel.map(images, threads: threads) { ReadingViews.modelInputs(from: $0, count: options.views) }
        return read(pictures: images, inputs: Array(inputs.joined()), options: options)
    }

    /// `read(images:)` for pictures whose model inputs [batch × views × 200 × 50] are made
    /// already (`ReadingViews.modelInputs` of each).
    public func read(pictures: [GrayImage], inputs: [Float], options: Options = Options()) -> [Reading] {
        guard !pictures.isEmpty else { return [] }
        guard options.zoom else { return read(inputs: inputs, batch: pictures.count, options: options) }
        let views = options.views
        let firstLogits = network.logits(inputs: inputs, batch: pictures.count * views)
        let zoomed = ReadingZoom.pictures(of: pictures, firstLogits: firstLogits, views: views, threads: threads)
        let zoomedInputs = Parallel.map(zoomed, threads: threads) { ReadingViews.modelInputs(from: $0, count: views) }
        let zoomedLogits = network.logits(inputs: Array(zoomedInputs.joined()), batch: pictures.count * views)
        return read(logits: Self.interleaved(firstLogits, zoomed: zoomedLogits, views: views), batch: pictures.count, options: options)
    }

    /// Each picture's views' logits followed by its zoomed views', [batch × 2 views × steps × classes].
    static func interleaved(_ first: [Float], zoomed: [Float], views: Int) -> [Float] {
        let size = views * CRNNShape.outputSize
        var result: [Float] = []
        result.reserveCapacity(first.count + zoomed.count)
        for start in stride(from: 0, to: first.count, by: size) {
            result += first[start ..< start + size]
            result += zoomed[start ..< start + size]
        }
        return result
    }

    /// Model inputs [batch × views × 200 × 50] (`ReadingViews.modelInputs` of each image) →
    /// one reading each.
    public func read(inputs: [Float], batch: Int, options: Options = Options()) -> [Reading] {
        precondition(!options.zoom, "the zoom crops the pictures: read(images:)")
        guard batch > 0 else { return [] }
        return read(logits: network.logits(inputs: inputs, batch: batch * options.views), batch: batch, options: options)
    }

    /// Logits [batch × `options.logitsPerReading` × steps × classes] → one reading each.
    func read(logits: [Float], batch: Int, options: Options) -> [Reading] {
        let views = options.logitsPerReading
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
                                       confidenceTemperature: model.confidenceTemperature(views: options.views, zoom: options.zoom),
                                       options: options)
            }
        }
    }
}
