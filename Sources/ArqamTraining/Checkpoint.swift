import Foundation
import ArqamNN

/// Where a run stands: the weights, the best weights so far, the optimizer's moments and the
/// position in the run. One safetensors file, written atomically, so that `--resume` continues
/// exactly and a killed process never leaves half a checkpoint.
public struct Checkpoint: Sendable {
    public var configuration: TrainingConfiguration
    public var weights: CRNNWeights
    public var best: CRNNWeights
    public var optimizer: Adam
    /// The model fine-tuning started from, when the run distils from it.
    public var teacher: CRNNWeights?
    /// The next step to run: epoch and batch within it.
    public var epoch: Int
    public var batchInEpoch: Int
    public var bestValidationLoss: Double
    public var epochsWithoutImprovement: Int
    public var history: [EpochSummary]
    /// Wall-clock seconds spent so far, across resumes (the `--minutes` budget counts it).
    public var elapsedSeconds: Double

    static let format = "arqam-checkpoint-v1"

    public func save(to url: URL) throws {
        var tensors: [String: StoredTensor] = [:]
        for name in CRNNWeights.Name.allCases {
            tensors["weights/" + name.key] = StoredTensor(weights[name])
            tensors["best/" + name.key] = StoredTensor(best[name])
            if let teacher { tensors["teacher/" + name.key] = StoredTensor(teacher[name]) }
        }
        tensors.merge(optimizer.stateTensors) { _, adam in adam }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadata = [
            "format": Self.format,
            "configuration": String(decoding: try encoder.encode(configuration), as: UTF8.self),
            "history": String(decoding: try encoder.encode(history), as: UTF8.self),
            "epoch": String(epoch),
            "batch_in_epoch": String(batchInEpoch),
            "best_validation_loss": String(bestValidationLoss),
            "epochs_without_improvement": String(epochsWithoutImprovement),
            "elapsed_seconds": String(elapsedSeconds),
        ]
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    public init(configuration: TrainingConfiguration, weights: CRNNWeights, optimizer: Adam, teacher: CRNNWeights? = nil) {
        self.configuration = configuration
        self.weights = weights
        self.teacher = teacher
        self.best = weights
        self.optimizer = optimizer
        self.epoch = 0
        self.batchInEpoch = 0
        self.bestValidationLoss = .infinity
        self.epochsWithoutImprovement = 0
        self.history = []
        self.elapsedSeconds = 0
    }

    public init(contentsOf url: URL) throws {
        let file = try SafeTensorsFile(contentsOf: url)
        func fail(_ problem: String) -> TrainingError { .corruptCheckpoint(url, problem) }
        guard file.metadata["format"] == Self.format else {
            throw fail("not an Arqam checkpoint (format \(file.metadata["format"] ?? "missing"))")
        }
        func tensors(_ prefix: String) -> [String: Tensor] {
            var named: [String: Tensor] = [:]
            for (key, stored) in file.tensors where key.hasPrefix(prefix) {
                if case .f32(let values) = stored.data {
                    named[String(key.dropFirst(prefix.count))] = Tensor(shape: stored.shape, scalars: values)
                }
            }
            return named
        }
        let decoder = JSONDecoder()
        guard let configurationText = file.metadata["configuration"],
              let configuration = try? decoder.decode(TrainingConfiguration.self, from: Data(configurationText.utf8)),
              let historyText = file.metadata["history"],
              let history = try? decoder.decode([EpochSummary].self, from: Data(historyText.utf8)),
              let epoch = file.metadata["epoch"].flatMap(Int.init),
              let batch = file.metadata["batch_in_epoch"].flatMap(Int.init),
              let bestLoss = file.metadata["best_validation_loss"].flatMap(Double.init),
              let stale = file.metadata["epochs_without_improvement"].flatMap(Int.init),
              let elapsed = file.metadata["elapsed_seconds"].flatMap(Double.init)
        else { throw fail("its metadata is incomplete") }
        do {
            weights = try CRNNWeights(tensors: tensors("weights/"), file: url.path)
            best = try CRNNWeights(tensors: tensors("best/"), file: url.path)
            let teacherTensors = tensors("teacher/")
            teacher = teacherTensors.isEmpty ? nil : try CRNNWeights(tensors: teacherTensors, file: url.path)
            optimizer = try Adam(restoring: file.tensors, file: url.path, learningRate: Float(configuration.learningRate),
                                 clipGlobalNorm: configuration.clipNorm)
        } catch {
            throw fail("\(error)")
        }
        self.configuration = configuration
        self.history = history
        self.epoch = epoch
        self.batchInEpoch = batch
        self.bestValidationLoss = bestLoss
        self.epochsWithoutImprovement = stale
        self.elapsedSeconds = elapsed
    }
}

public enum TrainingError: Error, CustomStringConvertible {
    case corruptCheckpoint(URL, String)
    case noTrainingData(String)
    case checkpointMismatch(URL, String)

    public var description: String {
        switch self {
        case .corruptCheckpoint(let url, let problem):
            "checkpoint \(url.path) cannot be used: \(problem). Delete it to start over."
        case .noTrainingData(let why):
            "nothing to train on: \(why)"
        case .checkpointMismatch(let url, let problem):
            "checkpoint \(url.path) belongs to a different run: \(problem). Use the same options, or delete it to start over."
        }
    }
}
