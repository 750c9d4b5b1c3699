import ArgumentParser
import ArqamData
import ArqamNN
import ArqamOCR
import ArqamTraining
import Foundation

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the model's confidences to labeled images, without changing what it reads.",
        discussion: """
            A confidence of 0.97 should be right about 97 times in 100. `arqam train` fits that \
            at the end of training on its held-out images; this fits it again on the images you \
            give (reviewed queues are the forms you read) or on synthetic ones, and writes the \
            model with the new temperatures. The weights stay as they are: what is read in one \
            view stays the same, only the confidences and the least-sure-first order change (in \
            two or three views, or with the zoom, the proposals are weighed at the one-view \
            temperature, so a reading there can change with it).

            It fits a temperature for reading in one view, one each for --views 2 and 3, and one \
            each for those with --zoom, each so that the confidence of what is read is right as \
            often as it says (least log loss over the images). --keep-one-view keeps the \
            one-view temperature that `arqam train` fitted, to the labels' likelihood on its \
            held-out images, as the shipped model does. A few hundred labeled images are enough; \
            the readings they get wrong are what it learns from.

            Examples:
              arqam calibrate inbox/ --out Weights/arqam.safetensors
              arqam calibrate --synth 1000 --seed 2059 --keep-one-view --out calibrated.safetensors
            """
    )

    @Argument(help: ArgumentHelp("Dataset folders (labels.tsv) or reviewed queues.", valueName: "dir"))
    var folders: [String] = []

    @Option(help: ArgumentHelp("Also fit on this many synthetic images: those `arqam train --seed S` validates on.",
                               valueName: "n"))
    var synth = 0

    @Option(help: ArgumentHelp("The seed of the synthetic images.", valueName: "s"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Fonts for synthetic images (default: Assets/fonts).", valueName: "dir"))
    var fonts: String?

    @Option(help: ArgumentHelp("Where to write the calibrated model (it may be the model itself).", valueName: "file"))
    var out: String

    @Flag(help: "Keep the model's one-view temperature and fit only those of several views and of the zoom.")
    var keepOneView = false

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if synth < 0 { throw ValidationError("--synth must be 0 or more") }
        if folders.isEmpty && synth == 0 { throw ValidationError("give labeled folders, or --synth N synthetic images, to fit on") }
    }

    func run() throws {
        let loaded = try model.loadModel()
        let threads = model.threadCount
        let views = ReadingViews.maximumCount
        let data = try LabeledData.load(folders.map { URL(fileURLWithPath: $0) }, threads: threads, views: views, keepPictures: true)
        for problem in data.problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
        var examples = data.examples
        if synth > 0 {
            let fontsURL = try fonts.map { URL(fileURLWithPath: $0) } ?? SyntheticGenerator.defaultFontsDirectory()
            let generator = try SyntheticGenerator(fontsDirectory: fontsURL)
            examples += SyntheticSource(generator: generator, seed: seed).validationSet(count: synth, threads: threads, views: views, keepPictures: true)
        }
        guard !examples.isEmpty else { throw CommandFailure("no labeled images to fit on (\(data.problems.count) skipped, \(data.unlabeledCount) unlabeled)") }
        print("fitting on \(data.examples.count) labeled and \(examples.count - data.examples.count) synthetic images "
              + "(\(data.problems.count) skipped, \(data.unlabeledCount) unlabeled)")

        let calibration = ConfidenceCalibration(examples: examples, network: CRNN(weights: loaded.weights, threads: threads), threads: threads)
        var temperature = loaded.temperature
        if keepOneView {
            print(String(format: "one view: temperature %.3f kept", temperature))
        } else {
            let oneView = try calibration.fit(views: 1, temperature: temperature)
            print(CalibrationReport.line(views: 1, oneView) + String(format: "; was %.3f", temperature))
            temperature = oneView.temperature
        }
        let viewsFits = try calibration.fitViews(temperature: temperature)
        for line in CalibrationReport.lines(viewsFits) { print(line) }

        var metadata = loaded.metadata
        CalibrationReport.record(oneView: temperature, views: viewsFits, in: &metadata)
        let outURL = URL(fileURLWithPath: out)
        do {
            try loaded.weights.save(to: outURL, metadata: metadata)
        } catch {
            throw CommandFailure("--out \(out): \(error)")
        }
        print("wrote \(outURL.path)")
    }
}

/// How `train` and `calibrate` print the fits of confidences and record them in a model's metadata.
enum CalibrationReport {
    static func line(views: Int, zoom: Bool = false, _ fit: TemperatureFit) -> String {
        (views == 1 ? "one view" : "\(views) views") + (zoom ? " with the zoom" : "")
            + String(format: ": temperature %.3f (log loss of the confidence %.4f at 1 → %.4f)",
                     fit.temperature, fit.uncalibratedNegativeLogLikelihood, fit.negativeLogLikelihood)
    }

    /// Every line of `fits`, views first.
    static func lines(_ fits: ViewsTemperatureFits) -> [String] {
        fits.views.sorted { $0.key < $1.key }.map { line(views: $0.key, $0.value) }
            + fits.zoom.sorted { $0.key < $1.key }.map { line(views: $0.key, zoom: true, $0.value) }
    }

    static func record(oneView temperature: Double, views: ViewsTemperatureFits, in metadata: inout [String: String]) {
        metadata["temperature"] = String(temperature)
        for count in Model.viewCountsWithOwnTemperature {
            metadata[Model.viewsTemperatureKey(count)] = views.views[count].map { String($0.temperature) }
        }
        for count in Model.viewCountsWithZoomTemperature {
            metadata[Model.zoomTemperatureKey(count)] = views.zoom[count].map { String($0.temperature) }
        }
    }
}
