import ArgumentParser
import ArqamOCR

/// `--views`, shared by the commands that read images.
struct ViewsOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Framings of each image to read: 1, 2 or 3.",
        discussion: """
            1 reads the image as given: the Keras model's answer, exactly. 2 also reads it with \
            a wider margin, 3 also a little tighter; the text they agree on most is the reading, \
            with the confidence of the framing most sure of it. Three read 1–3 points more of \
            the form fields and digit designs the model never saw, at three times the cost.
            """,
        valueName: "n"))
    var views = 1

    func validate() throws {
        guard (1...ReadingViews.maximumCount).contains(views) else {
            throw ValidationError("--views must be 1, 2 or \(ReadingViews.maximumCount), not \(views)")
        }
    }
}
