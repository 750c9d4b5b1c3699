import ArgumentParser
import ArqamOCR

/// `--views` and `--zoom`, shared by the commands that read images.
struct ViewsOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Framings of each image to read: 1, 2 or 3.",
        discussion: """
            1 reads the image as given: the Keras model's answer, exactly. 2 also reads it with \
            a wider margin, 3 also a little tighter; the text they agree on most is the reading, \
            with the confidence of the framing most sure of it. Three read 1–3 points more of \
            the form fields and digit designs the model never saw, at three times the cost. \
            1 by default in read and eval; 3 in review, where every wrong reading costs the \
            operator keystrokes.
            """,
        valueName: "n"))
    var views: Int?

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Read each image again, cropped to where the first reading found the digits.",
        discussion: """
            Digits small in a wide or tall crop (beside a caption, in a comb of boxes) reach \
            the model a few pixels high; the second reading sees them larger, and the text the \
            two agree on most wins. It reads about 4 points more of the held-out images, at \
            a little over twice the cost. On by default in review; off in read and eval, whose \
            default is the Keras model's answer.
            """))
    var zoom: Bool?

    /// How a command reads when neither `--views` nor `--zoom` says otherwise.
    enum Default {
        /// One view as given, no zoom: the Keras model's answer.
        case asGiven
        /// Three views and the zoom: the fewest wrong readings, at about ten times the cost.
        case mostAccurate
    }

    /// How to read: the views and the zoom asked for, the command's default for what is not.
    func options(by preset: Default, alternatives: Int = 3, includeProbabilities: Bool = false) -> Recognizer.Options {
        let accurate = preset == .mostAccurate
        return Recognizer.Options(alternatives: alternatives, includeProbabilities: includeProbabilities,
                                  views: views ?? (accurate ? ReadingViews.maximumCount : 1), zoom: zoom ?? accurate)
    }

    /// Names the readings a cache holds: the model's own id for one view as given.
    static func readerID(model id: String, options: Recognizer.Options) -> String {
        (options.views == 1 ? id : "\(id) views \(options.views)") + (options.zoom ? " zoom" : "")
    }

    func validate() throws {
        guard let views else { return }
        guard (1...ReadingViews.maximumCount).contains(views) else {
            throw ValidationError("--views must be 1, 2 or \(ReadingViews.maximumCount), not \(views)")
        }
    }
}
