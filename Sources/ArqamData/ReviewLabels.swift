import Foundation

extension ReviewStore {
    /// The training data a reviewed queue holds now: accepted and corrected images, by path,
    /// with the counts of what is left out. For `arqam train --data QUEUE` and `arqam eval QUEUE`.
    public static func labeledImages(queue: URL) throws -> ReviewedLabels {
        guard hasReviewDatabase(queue: queue) else { throw ReviewStoreError.notReviewed(queue) }
        return try ReviewStore(queue: queue).labeledImages()
    }

    public func labeledImages() throws -> ReviewedLabels {
        try reviewedQueue().labels
    }

    /// The queue's current decisions, split the way training and export need them.
    func reviewedQueue() throws -> (labels: ReviewedLabels, labeledDecisions: [ReviewDecision]) {
        let files = Set(try QueueFolder.list(queue).map(\.path))
        let current = try currentDecisions()
        var labels = ReviewedLabels(items: [], unreadable: 0, skipped: 0, unreviewed: 0, missingFiles: 0)
        var labeledDecisions: [ReviewDecision] = []
        for path in current.keys.sorted() {
            guard let decision = current[path] else { continue }
            switch decision.status {
            case .accepted, .corrected:
                guard files.contains(path), let label = decision.label else {
                    labels.missingFiles += 1
                    continue
                }
                labels.items.append(LabeledImage(url: queue.appendingPathComponent(path), label: label))
                labeledDecisions.append(decision)
            case .unreadable:
                labels.unreadable += 1
            case .skipped:
                labels.skipped += 1
            }
        }
        labels.unreviewed = files.subtracting(current.keys).count
        return (labels, labeledDecisions)
    }
}
