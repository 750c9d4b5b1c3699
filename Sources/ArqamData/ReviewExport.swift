import Foundation

/// What `export` wrote.
public struct ReviewExportSummary: Sendable, Equatable {
    public var labelsFile: URL
    /// Images copied and listed (accepted and corrected).
    public var exported: Int
    public var accepted: Int
    public var corrected: Int
    public var unreadable: Int
    public var skipped: Int
    public var unreviewed: Int
    public var missingFiles: Int
}

extension ReviewStore {
    /// The columns `export` writes after `path` and `label`.
    public static let exportColumns = ["path", "label", "status", "predicted", "confidence", "model", "reviewed_at"]

    /// Writes the queue's labeled images as a dataset folder: the images, copied under their
    /// queue names, and `labels.tsv` with one line per image. Unreadable, skipped and
    /// unreviewed images are left out and counted in the file's first comment line.
    public func export(to folder: URL, at date: Date = Date()) throws -> ReviewExportSummary {
        let destination = folder.standardizedFileURL
        guard destination.resolvingSymlinksInPath() != queue.resolvingSymlinksInPath() else {
            throw ReviewStoreError.exportFailed(destination, reason: "the output folder is the queue itself; give another folder")
        }
        let (labels, decisions) = try reviewedQueue()
        let accepted = decisions.filter { $0.status == .accepted }.count
        var summary = ReviewExportSummary(
            labelsFile: destination.appendingPathComponent("labels.tsv"), exported: decisions.count,
            accepted: accepted, corrected: decisions.count - accepted, unreadable: labels.unreadable,
            skipped: labels.skipped, unreviewed: labels.unreviewed, missingFiles: labels.missingFiles)
        var lines = [
            "# arqam export of \(queue.path) at \(ReviewTimestamp.iso8601(date)): \(summary.exported) labeled "
                + "(\(summary.accepted) accepted, \(summary.corrected) corrected); left out \(summary.unreadable) unreadable, "
                + "\(summary.skipped) skipped, \(summary.unreviewed) not reviewed, \(summary.missingFiles) missing",
            "# " + Self.exportColumns.joined(separator: "\t"),
        ]
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
            for decision in decisions {
                let target = destination.appendingPathComponent(decision.path)
                if FileManager.default.fileExists(atPath: target.path) {
                    try FileManager.default.removeItem(at: target)
                }
                try FileManager.default.copyItem(at: queue.appendingPathComponent(decision.path), to: target)
                lines.append(Self.exportLine(decision))
            }
            let text = lines.joined(separator: "\n") + "\n"
            try Data(text.utf8).write(to: summary.labelsFile, options: .atomic)
        } catch {
            throw ReviewStoreError.exportFailed(destination, reason: error.localizedDescription)
        }
        summary.labelsFile = destination.appendingPathComponent("labels.tsv")
        return summary
    }

    private static func exportLine(_ decision: ReviewDecision) -> String {
        let draft = decision.draft
        return [
            draft.path, draft.label ?? "", draft.status.rawValue, draft.prediction ?? "",
            draft.confidence.map { String(format: "%.4f", $0) } ?? "", draft.modelID ?? "",
            ReviewTimestamp.iso8601(decision.decidedAt),
        ].joined(separator: "\t")
    }
}
