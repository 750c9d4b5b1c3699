import ArqamData
import ArqamNN
import ArqamOCR

/// Synthetic images as training examples, drawn on the fly: image i of a run is always the
/// same image, whichever thread draws it and whenever.
public struct SyntheticSource: Sendable {
    let generator: SyntheticGenerator
    let seed: UInt64

    public init(generator: SyntheticGenerator, seed: UInt64) {
        self.generator = generator
        self.seed = seed
    }

    /// Validation images come from a stream training never draws from.
    static let validationStream: UInt64 = 0x5EED_0F_7A11D

    func example(_ index: Int) -> LabeledInput {
        draw(seed: seed, index: index)
    }

    /// The validation images, each as the inputs of its first `views` views (`ReadingViews`),
    /// and the picture itself if `keepPictures`.
    public func validationSet(count: Int, threads: Int, views: Int = 1, keepPictures: Bool = false) -> [LabeledInput] {
        Parallel.map(Array(0..<count), threads: threads) {
            draw(seed: seed ^ Self.validationStream, index: $0, views: views, keepPicture: keepPictures)
        }
    }

    private func draw(seed: UInt64, index: Int, views: Int = 1, keepPicture: Bool = false) -> LabeledInput {
        let sample = generator.sample(seed: seed, index: index)
        // The generator writes only labels the model can write; an empty result would be a bug there.
        let classes = (try? Alphabet.encode(sample.label).get()) ?? []
        return LabeledInput(input: ReadingViews.modelInputs(from: sample.image, count: views), label: classes,
                            source: "synthetic #\(index)", picture: keepPicture ? sample.image : nil)
    }
}
