import ArgumentParser
import ArqamData
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a reviewed queue's labeled images as a dataset folder (labels.tsv and the images).",
        discussion: """
            Accepted and corrected images are copied under their queue names and listed in labels.tsv as \
            path, label, status, predicted, confidence, model and reviewed_at; unreadable, skipped and \
            unreviewed images are left out and counted in the file's first comment line.
            """
    )

    @Argument(help: "The queue folder reviewed with `arqam review`.")
    var queue: String

    @Option(name: .long, help: "The dataset folder to write (created if missing).")
    var out: String

    func run() throws {
        let queueURL = URL(fileURLWithPath: queue)
        guard ReviewStore.hasReviewDatabase(queue: queueURL) else { throw CommandFailure("\(ReviewStoreError.notReviewed(queueURL))") }
        let summary: ReviewExportSummary
        do {
            summary = try ReviewStore(queue: queueURL).export(to: URL(fileURLWithPath: out))
        } catch let error as ReviewStoreError {
            throw CommandFailure("\(error)")
        }
        print("exported \(summary.exported) images (\(summary.accepted) accepted, \(summary.corrected) corrected) "
              + "to \(summary.labelsFile.path)")
        print("left out: \(summary.unreadable) unreadable, \(summary.skipped) skipped, \(summary.unreviewed) not reviewed"
              + (summary.missingFiles > 0 ? ", \(summary.missingFiles) labeled but missing from the folder" : ""))
    }
}
