import Foundation
import ArqamNN

/// A weights file and what its metadata says about reading it.
public struct Model: Sendable {
    public let weights: CRNNWeights
    public let metadata: [String: String]
    /// Logits are divided by this before any probability is computed (confidence calibration).
    public let temperature: Double
    /// The temperature of the confidence of readings in 2 or 3 views, fitted apart
    /// (`temperature_views_2`, `temperature_views_3`): the surest of several views is surer than
    /// one view of its reading would be.
    public let viewsTemperatures: [Int: Double]
    /// The temperature of the confidence of readings with the zoom, in 1, 2 or 3 views
    /// (`temperature_zoom_views_N`): the surer of the picture and its zoomed crop.
    public let zoomTemperatures: [Int: Double]
    /// Identifies the exact weights (a hash of the file), so cached predictions of another
    /// model are never shown as this one's.
    public let id: String
    public let url: URL

    public init(contentsOf url: URL) throws(ModelError) {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw ModelError("weights file \(url.path) cannot be read (\(error.localizedDescription))")
        }
        do {
            weights = try CRNNWeights(file: try SafeTensorsFile(bytes: bytes, file: url.path), name: url.path)
        } catch {
            throw ModelError("\(error)")
        }
        metadata = weights.metadata
        if let vocabulary = metadata["vocabulary"],
           let list = try? JSONDecoder().decode([String].self, from: Data(vocabulary.utf8)),
           list != Alphabet.vocabulary {
            throw ModelError("weights file \(url.path): its vocabulary \(vocabulary) is not Arqam's \(Alphabet.vocabulary)")
        }
        temperature = try Self.temperature(metadata, key: "temperature", url: url) ?? 1
        var viewsTemperatures: [Int: Double] = [:]
        for views in Self.viewCountsWithOwnTemperature {
            viewsTemperatures[views] = try Self.temperature(metadata, key: Self.viewsTemperatureKey(views), url: url)
        }
        self.viewsTemperatures = viewsTemperatures
        var zoomTemperatures: [Int: Double] = [:]
        for views in Self.viewCountsWithZoomTemperature {
            zoomTemperatures[views] = try Self.temperature(metadata, key: Self.zoomTemperatureKey(views), url: url)
        }
        self.zoomTemperatures = zoomTemperatures
        id = Model.fingerprint(bytes)
        self.url = url
    }

    /// The view counts whose confidence may have a temperature of its own besides one view's.
    public static let viewCountsWithOwnTemperature = 2...ReadingViews.maximumCount

    /// The view counts whose confidence with the zoom may have a temperature of its own.
    public static let viewCountsWithZoomTemperature = 1...ReadingViews.maximumCount

    /// The metadata key of the temperature for readings in `views` views.
    public static func viewsTemperatureKey(_ views: Int) -> String { "temperature_views_\(views)" }

    /// The metadata key of the temperature for readings with the zoom in `views` views.
    public static func zoomTemperatureKey(_ views: Int) -> String { "temperature_zoom_views_\(views)" }

    /// The temperature of a reading's confidence in `views` views, with or without the zoom:
    /// its own if fitted, else that of the views without the zoom, else the one-view
    /// temperature (weights calibrated before views, or the zoom, had their own).
    public func confidenceTemperature(views: Int, zoom: Bool = false) -> Double {
        if zoom, let own = zoomTemperatures[views] { return own }
        return views == 1 ? temperature : viewsTemperatures[views] ?? temperature
    }

    private static func temperature(_ metadata: [String: String], key: String, url: URL) throws(ModelError) -> Double? {
        guard let text = metadata[key] else { return nil }
        guard let value = Double(text), value.isFinite, value > 0 else {
            throw ModelError("weights file \(url.path): metadata \(key) '\(text)' is not a positive number")
        }
        return value
    }

    /// A short human name for headers: the `created` metadata's date if any, else the id.
    public var displayName: String {
        if let created = metadata["created"], let match = created.firstMatch(of: /\d{4}-\d{2}(-\d{2})?/) {
            return String(match.output.0)
        }
        return String(id.prefix(8))
    }

    /// FNV-1a 64 of the file: cheap, stable across runs and platforms; not a security hash.
    static func fingerprint(_ bytes: Data) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        // Through a raw buffer: Data's own iterator costs ~50 instructions a byte, which
        // made hashing the weights half of the work of `arqam read`.
        bytes.withUnsafeBytes { buffer in
            for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Says which weights file failed and why (the message names the file).
public struct ModelError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
