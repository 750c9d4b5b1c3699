import ArqamData
import ArqamNN
import ArqamOCR

/// Synthetic images as training examples, drawn on the fly: image i of a run is always the
/// same image, whichever thread draws it and whenever.
struct SyntheticSource: Sendable {
    let generator: SyntheticGenerator
    let seed: UInt64

    /// Validation images come from a stream training never draws from.
    static let validationStream: UInt64 = 0x5EED_0F_7A11D

    func example(_ index: Int) -> LabeledInput {
        draw(seed: seed, index: index)
    }

    func validationSet(count: Int, threads: Int) -> [LabeledInput] {
        Parallel.map(Array(0..<count), threads: threads) { draw(seed: seed ^ Self.validationStream, index: $0) }
    }

    private func draw(seed: UInt64, index: Int) -> LabeledInput {
        let sample = generator.sample(seed: seed, index: index)
        // The generator writes only labels the model can write; an empty result would be a bug there.
        let classes = (try? Alphabet.encode(sample.label).get()) ?? []
        return LabeledInput(input: Preprocessing.modelInput(from: sample.image), label: classes, source: "synthetic #\(index)")
    }
}
