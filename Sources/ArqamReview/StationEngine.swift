import ArqamImaging
import ArqamOCR
import Foundation

/// The model side of the station, handed in by the command so the station can run and be
/// tested without weights: who reads, and how an image becomes the model's picture.
public struct StationEngine: Sendable {
    /// Names the model in the prediction cache and in every decision.
    public var modelID: String
    /// The model as the header shows it.
    public var modelName: String
    /// Reads one image; called from one background thread at a time.
    public var read: @Sendable (URL) throws -> Reading
    /// The 200 × 50 input the model sees, for the art.
    public var picture: @Sendable (URL) throws -> ModelPicture
    /// The input of the zoom's second reading, from the trace of the first; nil when the
    /// reader does not zoom.
    public var zoomedPicture: (@Sendable (URL, [Int]) throws -> ModelPicture)?

    public init(modelID: String, modelName: String? = nil, read: @escaping @Sendable (URL) throws -> Reading,
                picture: @escaping @Sendable (URL) throws -> ModelPicture = StationEngine.modelPicture,
                zoomedPicture: (@Sendable (URL, [Int]) throws -> ModelPicture)? = nil) {
        self.modelID = modelID
        self.modelName = modelName ?? modelID
        self.read = read
        self.picture = picture
        self.zoomedPicture = zoomedPicture
    }

    /// Decodes the PNG and prepares it exactly as the model's input.
    public static func modelPicture(of url: URL) throws -> ModelPicture {
        try prepared(try PNGDecoder().decode(contentsOf: url), from: url)
    }

    /// Decodes the PNG, crops it to the digits `trace` wrote as the zoom does, and prepares
    /// the crop as the model's input.
    public static func zoomedModelPicture(of url: URL, trace: [Int]) throws -> ModelPicture {
        try prepared(ReadingZoom.picture(of: try PNGDecoder().decode(contentsOf: url), trace: trace), from: url)
    }

    /// `image` as the model's input; `url` names it if that goes wrong.
    private static func prepared(_ image: GrayImage, from url: URL) throws -> ModelPicture {
        let values = Preprocessing.modelInput(from: image)
        guard let picture = ModelPicture(values: values) else {
            throw StationError.unexpectedModelInput(url, count: values.count)
        }
        return picture
    }
}

public enum StationError: Error, Equatable, CustomStringConvertible {
    case unexpectedModelInput(URL, count: Int)
    case terminalUnavailable(term: String?)
    case terminalNotInteractive

    public var description: String {
        switch self {
        case .unexpectedModelInput(let url, let count):
            return "preparing \(url.path) gave \(count) values instead of 200 × 50; this is a bug in arqam, please report it"
        case .terminalUnavailable(let term):
            return "cannot start the terminal (TERM=\(term ?? "unset")); set TERM to your terminal's type, e.g. xterm-256color"
        case .terminalNotInteractive:
            return "the review station needs an interactive terminal; run it in a terminal window, not with input or output redirected"
        }
    }
}
