import ArqamNN
import ArqamOCR
import Foundation
import Testing

/// PNG file → reading, through every stage, against the Keras oracle (expected.json /
/// expected.safetensors were made by TensorFlow from the same PNGs and weights).
@Suite struct RecognizerTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let weights = fixtures.appendingPathComponent("crnn_random.safetensors")

    struct Expected: Decodable {
        struct Image: Decodable {
            let argmax: [Int]
            let greedy_text: String
        }
        let images: [String: Image]
    }

    @Test func everyReferenceImageReadsAsKerasReadsIt() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json")))
        let oracle = try SafeTensorsFile(contentsOf: Self.fixtures.appendingPathComponent("expected.safetensors"))
        let recognizer = try Recognizer(weightsURL: Self.weights, threads: 2)
        let stems = expected.images.keys.sorted()
        let urls = stems.map { Self.fixtures.appendingPathComponent("images/\($0).png") }
        let results = recognizer.read(urls, options: .init(includeProbabilities: true))
        var worst: Float = 0
        for (stem, result) in zip(stems, results) {
            let reading = try result.get()
            let probabilities = try #require(reading.probabilities)
            let reference = try oracle.float32("\(stem)/probs").scalars
            let difference = zip(probabilities, reference).map { abs($0 - $1) }.max() ?? .infinity
            worst = max(worst, difference)
            #expect(difference <= 1e-4, "\(stem): probs differ by \(difference)")
            #expect(reading.text == expected.images[stem]?.greedy_text, "\(stem)")
            #expect(reading.trace == expected.images[stem]?.argmax, "\(stem)")
            // Confidence is the probability of the text summed over all alignments (T = 1 here).
            let logits = try oracle.float32("\(stem)/logits").scalars
            let labels = try Alphabet.encode(reading.text).get()
            let exact = exp(CTC.logProbability(of: labels, logits: logits, steps: 50, classes: 13))
            #expect(abs(reading.confidence - exact) <= 1e-3 * exact, "\(stem)")
            #expect(reading.alternatives.count <= 3)
            #expect(zip(reading.alternatives, reading.alternatives.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
        }
        #expect(worst <= 1e-4)
    }

    @Test func theTemperatureInTheMetadataSoftensConfidence() throws {
        let folder = try Self.scratchFolder("arqam-temperature")
        defer { try? FileManager.default.removeItem(at: folder) }
        var weights = try CRNNWeights(contentsOf: Self.weights)
        let warm = folder.appendingPathComponent("warm.safetensors")
        weights.metadata["temperature"] = "2.5"
        try weights.save(to: warm)
        let image = Self.fixtures.appendingPathComponent("images/gray8_w200_h50.png")
        let plain = try Recognizer(weightsURL: Self.weights, threads: 1).read(image)
        let softened = try Recognizer(weightsURL: warm, threads: 1).read(image)
        #expect(plain.text == softened.text)
        let logits = try SafeTensorsFile(contentsOf: Self.fixtures.appendingPathComponent("expected.safetensors"))
            .float32("gray8_w200_h50/logits").scalars
        let labels = try Alphabet.encode(plain.text).get()
        let expected = exp(CTC.logProbability(of: labels, logits: logits, steps: 50, classes: 13, temperature: 2.5))
        #expect(abs(softened.confidence - expected) <= 1e-3 * expected)
        #expect(softened.confidence != plain.confidence)

        let broken = folder.appendingPathComponent("broken.safetensors")
        weights.metadata["temperature"] = "-1"
        try weights.save(to: broken)
        #expect(throws: ModelError.self) { try Recognizer(weightsURL: broken, threads: 1) }
        weights.metadata["temperature"] = nil
        weights.metadata["vocabulary"] = "[\"a\", \"b\"]"
        try weights.save(to: broken)
        #expect(throws: ModelError.self) { try Recognizer(weightsURL: broken, threads: 1) }
    }

    @Test func threeViewsHaveATemperatureOfTheirOwn() throws {
        let folder = try Self.scratchFolder("arqam-views-temperature")
        defer { try? FileManager.default.removeItem(at: folder) }
        var weights = try CRNNWeights(contentsOf: Self.weights)
        weights.metadata["temperature"] = "1.5"
        weights.metadata["temperature_views_3"] = "2.5"
        let url = folder.appendingPathComponent("views.safetensors")
        try weights.save(to: url)
        let model = try Model(contentsOf: url)
        #expect(model.confidenceTemperature(views: 1) == 1.5)
        #expect(model.confidenceTemperature(views: 2) == 1.5)
        #expect(model.confidenceTemperature(views: 3) == 2.5)

        // The reading is chosen at 1.5 and its confidence taken at 2.5: the same text and
        // alternatives as a model whose views have no temperature of their own.
        weights.metadata["temperature_views_3"] = nil
        try Self.expectOnlyTheConfidenceMoves(model: model, plain: weights, in: folder, image: "gray8_w200_h50",
                                              options: Recognizer.Options(views: 3))

        weights.metadata["temperature_views_2"] = "zero"
        try weights.save(to: url)
        let error = #expect(throws: ModelError.self) { try Model(contentsOf: url) }
        #expect(error?.description.contains("temperature_views_2 'zero' is not a positive number") == true)
    }

    @Test func theZoomHasATemperatureOfItsOwnElseTheViews() throws {
        let folder = try Self.scratchFolder("arqam-zoom-temperature")
        defer { try? FileManager.default.removeItem(at: folder) }
        var weights = try CRNNWeights(contentsOf: Self.weights)
        weights.metadata["temperature"] = "1.5"
        weights.metadata["temperature_views_3"] = "2.5"
        weights.metadata["temperature_zoom_views_1"] = "3"
        let url = folder.appendingPathComponent("zoom.safetensors")
        try weights.save(to: url)
        let model = try Model(contentsOf: url)
        #expect(model.confidenceTemperature(views: 1, zoom: true) == 3)
        #expect(model.confidenceTemperature(views: 1) == 1.5)
        #expect(model.confidenceTemperature(views: 2, zoom: true) == 1.5)
        #expect(model.confidenceTemperature(views: 3, zoom: true) == 2.5)

        // Read with the zoom, the picture and its crop choose the text at 1.5; only the
        // confidence moves with the zoom's own temperature.
        weights.metadata["temperature_zoom_views_1"] = nil
        try Self.expectOnlyTheConfidenceMoves(model: model, plain: weights, in: folder, image: "noise_gray8_w300_h60",
                                              options: Recognizer.Options(zoom: true))

        weights.metadata["temperature_zoom_views_2"] = "-2"
        try weights.save(to: url)
        let error = #expect(throws: ModelError.self) { try Model(contentsOf: url) }
        #expect(error?.description.contains("temperature_zoom_views_2 '-2' is not a positive number") == true)
    }

    /// A new empty folder for a test's weights files; the test removes it.
    static func scratchFolder(_ label: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Reads a fixture image with `model` and with `weights` (the same without the temperature
    /// under test), saved in `folder`: the same text and alternatives, another confidence.
    static func expectOnlyTheConfidenceMoves(model: Model, plain weights: CRNNWeights, in folder: URL, image: String,
                                             options: Recognizer.Options) throws {
        let plainURL = folder.appendingPathComponent("plain.safetensors")
        try weights.save(to: plainURL)
        let picture = fixtures.appendingPathComponent("images/\(image).png")
        let own = try Recognizer(model: model, threads: 1).read(picture, options: options)
        let plain = try Recognizer(weightsURL: plainURL, threads: 1).read(picture, options: options)
        #expect(own.text == plain.text && own.alternatives == plain.alternatives)
        #expect(own.confidence != plain.confidence)
    }

    @Test func aBadFileIsItsOwnErrorAndTheOthersAreRead() throws {
        let recognizer = try Recognizer(weightsURL: Self.weights, threads: 2)
        let good = Self.fixtures.appendingPathComponent("images/gray8_w200_h50.png")
        let results = recognizer.read([Self.fixtures.appendingPathComponent("REFERENCE.md"), good,
                                       Self.fixtures.appendingPathComponent("no-such.png")])
        #expect(throws: (any Error).self) { try results[0].get() }
        #expect(try results[1].get().text == "/6")
        #expect(throws: (any Error).self) { try results[2].get() }
    }
}
