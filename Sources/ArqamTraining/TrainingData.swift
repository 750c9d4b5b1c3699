import Foundation
import ArqamData
import ArqamImaging
import ArqamNN
import ArqamOCR

/// One image ready for the network: its model input [200 × 50] (one per view when loaded
/// for reading in several, `ReadingViews`) and its label in classes.
public struct LabeledInput: Sendable {
    public var input: [Float]
    public var label: [Int]
    /// Where it came from, for reports.
    public var source: String
    /// The picture itself, when kept for reading it again cropped (`Recognizer.Options.zoom`).
    public var picture: GrayImage?

    public init(input: [Float], label: [Int], source: String, picture: GrayImage? = nil) {
        self.input = input
        self.label = label
        self.source = source
        self.picture = picture
    }
}

/// Something in the data that was skipped, with where it is, so the operator can mend it.
public struct DataProblem: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
    init(location: String, problem: String) { description = "\(location): \(problem); skipped" }
}

/// The labeled images of dataset folders and reviewed queues, decoded once.
public struct LabeledData: Sendable {
    public var examples: [LabeledInput] = []
    public var problems: [DataProblem] = []
    /// Images without a label (or reviewed as unreadable / skipped): counted, not used.
    public var unlabeledCount = 0

    public init() {}

    /// Reads every folder: a reviewed queue (it has `.arqam/review.sqlite`) gives its accepted
    /// and corrected images, any other folder is a dataset folder with `labels.tsv`. Each image
    /// gives the inputs of its first `views` framings (`ReadingViews`): more than one only to
    /// be read, never to train on; `keepPictures` keeps each decoded picture beside them.
    public static func load(_ folders: [URL], threads: Int, views: Int = 1, keepPictures: Bool = false) throws -> LabeledData {
        var data = LabeledData()
        var pending: [(url: URL, label: String, location: String)] = []
        for folder in folders {
            if ReviewStore.hasReviewDatabase(queue: folder) {
                let reviewed = try ReviewStore.labeledImages(queue: folder)
                pending += reviewed.items.map { ($0.url, $0.label, $0.url.path) }
                data.unlabeledCount += reviewed.unreadable + reviewed.skipped + reviewed.unreviewed
            } else {
                let dataset = try DatasetFolder.load(folder)
                pending += dataset.items.map { ($0.url, $0.label, $0.url.path) }
                data.unlabeledCount += dataset.unlabeled.count
                data.problems += dataset.problems.map { DataProblem($0.description) }
            }
        }
        let decoder = PNGDecoder()
        let decoded = Parallel.map(pending, threads: threads) { item -> Result<LabeledInput, DataProblem> in
            let classes: [Int]
            switch Alphabet.encode(item.label) {
            case .success(let encoded): classes = encoded
            case .failure(let problem): return .failure(DataProblem(location: item.location, problem: "label \"\(item.label)\": \(problem)"))
            }
            let steps = LabelRules.stepsNeeded(item.label)
            if classes.isEmpty || steps > LabelRules.timeSteps {
                return .failure(DataProblem(location: item.location,
                                            problem: "label \"\(item.label)\" is empty or needs \(steps) of \(LabelRules.timeSteps) time steps"))
            }
            do {
                let image = try decoder.decode(contentsOf: item.url)
                return .success(LabeledInput(input: ReadingViews.modelInputs(from: image, count: views), label: classes,
                                             source: item.location, picture: keepPictures ? image : nil))
            } catch {
                return .failure(DataProblem(location: item.location, problem: "\(error)"))
            }
        }
        for result in decoded {
            switch result {
            case .success(let example): data.examples.append(example)
            case .failure(let problem): data.problems.append(problem)
            }
        }
        return data
    }
}
