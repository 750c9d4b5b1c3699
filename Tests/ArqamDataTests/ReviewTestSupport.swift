import ArqamData
import ArqamOCR
import Foundation

/// A fresh queue folder under the system's temporary folder, removed by `remove()`.
struct ReviewTestQueue {
    let url: URL

    init(files: [String: String] = [:]) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("arqam-review-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, content) in files { try add(name, content: content) }
    }

    /// The store only hashes and copies bytes, so any bytes stand in for a PNG here.
    func add(_ name: String, content: String) throws {
        try Data(content.utf8).write(to: url.appendingPathComponent(name))
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

func draft(_ path: String, _ status: ReviewStatus, label: String? = nil, prediction: String? = "12",
           confidence: Double? = 0.5) -> DecisionDraft {
    DecisionDraft(path: path, contentHash: "hash-of-\(path)", status: status, label: label,
                  prediction: prediction, confidence: confidence, modelID: "model-a")
}
