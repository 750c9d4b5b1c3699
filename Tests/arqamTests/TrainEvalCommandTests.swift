import ArqamNN
import Foundation
import Testing

/// `arqam synth`, `train` and `eval` run as processes on a small rendered dataset with bad
/// lines mixed in: problems are reported with file and line, skipped and counted; the run goes on.
@Suite(.serialized) struct TrainEvalCommandTests {
    static func datasetWithProblems() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-dataset-\(UUID().uuidString)")
        let synth = try CommandRunner.run(["synth", "--count", "24", "--seed", "3", "--out", folder.path])
        #expect(synth.status == 0, "\(synth.stderr)")
        let labels = folder.appendingPathComponent("labels.tsv")
        for extra in ["foreign.png", "long.png"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent("000000.png"), to: folder.appendingPathComponent(extra))
        }
        let handle = try FileHandle(forWritingTo: labels)
        handle.seekToEndOfFile()
        handle.write(Data("missing.png\t123\nforeign.png\t12a3\nlong.png\t\(String(repeating: "1", count: 30))\n".utf8))
        try handle.close()
        return folder
    }

    @Test func evalScoresTheGoodImagesAndNamesEachBadLine() throws {
        let folder = try Self.datasetWithProblems()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try CommandRunner.run(["eval", folder.path, "--json", "--weights", CommandRunner.randomWeights.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["images"] as? Int == 24)
        #expect(object["skipped"] as? Int == 3)
        // foreign.png and long.png have no usable label line: they count as unlabeled too.
        #expect(object["unlabeled"] as? Int == 2)
        let labelsPath = folder.appendingPathComponent("labels.tsv").path
        for line in [26, 27, 28] { #expect(outcome.stderr.contains("\(labelsPath):\(line)"), "line \(line) named") }
        for key in ["sequence_accuracy", "character_error_rate", "expected_calibration_error", "coverage_at_99_5", "images_per_second"] {
            #expect(object[key] != nil, "\(key)")
        }
    }

    @Test func evalInThreeViewsScoresWhatReadInThreeViewsReads() throws {
        let folder = try Self.datasetWithProblems()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = CommandRunner.packageRoot.appendingPathComponent("Weights/arqam.safetensors").path
        let eval = try CommandRunner.run(["eval", folder.path, "--json", "--views", "3", "--weights", shipped])
        #expect(eval.status == 0, "\(eval.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        #expect(object["images"] as? Int == 24)
        // The same images through `read`, which frames them from the decoded picture itself.
        let labels = try String(contentsOf: folder.appendingPathComponent("labels.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.prefix(24).map { $0.split(separator: "\t").map(String.init) }
        let read = try CommandRunner.run(["read"] + labels.map { folder.appendingPathComponent($0[0]).path } + ["--views", "3", "--weights", shipped])
        #expect(read.status == 0, "\(read.stderr)")
        let texts = read.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)[1] }
        #expect(object["correct"] as? Int == zip(labels, texts).filter { $0[1] == $1 }.count)
    }

    @Test func evalWithTheZoomScoresWhatReadWithTheZoomReads() throws {
        let folder = try Self.datasetWithProblems()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = CommandRunner.packageRoot.appendingPathComponent("Weights/arqam.safetensors").path
        let eval = try CommandRunner.run(["eval", folder.path, "--json", "--zoom", "--weights", shipped])
        #expect(eval.status == 0, "\(eval.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        #expect(object["images"] as? Int == 24)
        let labels = try String(contentsOf: folder.appendingPathComponent("labels.tsv"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.prefix(24).map { $0.split(separator: "\t").map(String.init) }
        let read = try CommandRunner.run(["read"] + labels.map { folder.appendingPathComponent($0[0]).path } + ["--zoom", "--weights", shipped])
        #expect(read.status == 0, "\(read.stderr)")
        let texts = read.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)[1] }
        #expect(object["correct"] as? Int == zip(labels, texts).filter { $0[1] == $1 }.count)
        // The zoom reads a second time: some image reads otherwise than in one view.
        let once = try CommandRunner.run(["read"] + labels.map { folder.appendingPathComponent($0[0]).path } + ["--weights", shipped])
        #expect(once.lines != read.lines)
    }

    static func trainArguments(_ folder: URL, epochs: Int, model: URL) -> [String] {
        ["train", "--data", folder.path, "--epochs", "\(epochs)", "--batch", "8", "--validation-synth", "8",
         "--fonts", CommandRunner.packageRoot.appendingPathComponent("Assets/fonts").path, "--out", model.path]
    }

    @Test func trainWritesAModelAndTheSameCommandTrainsAgain() throws {
        let folder = try Self.datasetWithProblems()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("out/model.safetensors")
        let arguments = Self.trainArguments(folder, epochs: 1, model: model)

        let noEpochs = try CommandRunner.run(Self.trainArguments(folder, epochs: 0, model: model))
        #expect(noEpochs.status == 2 && noEpochs.stderr.contains("--epochs must be at least 1"), "\(noEpochs.stderr)")
        let noFolder = try CommandRunner.run(arguments)
        #expect(noFolder.status == 1 && noFolder.stderr.contains("does not exist"), "\(noFolder.stderr)")

        try FileManager.default.createDirectory(at: model.deletingLastPathComponent(), withIntermediateDirectories: true)
        let trained = try CommandRunner.run(arguments)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("foreign.png") || trained.stderr.contains(":27"))
        #expect(trained.stdout.contains("epoch  1/1"))
        let read = try CommandRunner.run(["read", folder.appendingPathComponent("000001.png").path, "--weights", model.path])
        #expect(read.status == 0, "\(read.stderr)")
        let metadata = try CRNNWeights(contentsOf: model).metadata
        for key in ["temperature", "temperature_views_2", "temperature_views_3",
                    "temperature_zoom_views_1", "temperature_zoom_views_2", "temperature_zoom_views_3"] {
            #expect(metadata[key].flatMap(Double.init).map { $0 > 0 } == true, "\(key)")
        }
        #expect(trained.stdout.contains("3 views: temperature"))

        // A finished run leaves nothing to resume: next week's run on new corrections just runs.
        #expect(!FileManager.default.fileExists(atPath: model.path + ".checkpoint"))
        let nothingToResume = try CommandRunner.run(arguments + ["--resume"])
        #expect(nothingToResume.status == 1 && nothingToResume.stderr.contains("no checkpoint"), "\(nothingToResume.stderr)")
        let again = try CommandRunner.run(arguments)
        #expect(again.status == 0 && again.stdout.contains("wrote \(model.path)"), "\(again.stderr)")
    }

    @Test func calibrateChangesTheConfidencesAndNothingElse() throws {
        let folder = try Self.datasetWithProblems()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = CommandRunner.packageRoot.appendingPathComponent("Weights/arqam.safetensors")
        let calibrated = folder.appendingPathComponent("calibrated.safetensors")
        let nothing = try CommandRunner.run(["calibrate", "--out", calibrated.path, "--weights", shipped.path])
        #expect(nothing.status == 2 && nothing.stderr.contains("give labeled folders"), "\(nothing.stderr)")

        let outcome = try CommandRunner.run(["calibrate", folder.path, "--out", calibrated.path, "--weights", shipped.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("fitting on 24 labeled and 0 synthetic images (3 skipped, 2 unlabeled)"), "\(outcome.stdout)")
        #expect(outcome.stderr.contains("foreign.png") || outcome.stderr.contains(":27"))
        let before = try SafeTensorsFile(contentsOf: shipped), after = try SafeTensorsFile(contentsOf: calibrated)
        #expect(after.tensors == before.tensors)
        for key in ["temperature", "temperature_views_2", "temperature_views_3",
                    "temperature_zoom_views_1", "temperature_zoom_views_2", "temperature_zoom_views_3"] {
            #expect(after.metadata[key].flatMap(Double.init) != nil, "\(key)")
        }
        #expect(after.metadata["trained_on"] == before.metadata["trained_on"])

        let keptURL = folder.appendingPathComponent("kept.safetensors")
        let keeping = try CommandRunner.run(["calibrate", folder.path, "--keep-one-view", "--out", keptURL.path, "--weights", shipped.path])
        #expect(keeping.status == 0 && keeping.stdout.contains("one view: temperature 0.968 kept"), "\(keeping.stdout)")
        let kept = try CRNNWeights(contentsOf: keptURL).metadata
        #expect(kept["temperature"] == before.metadata["temperature"])
        #expect(kept["temperature_views_2"] != nil && kept["temperature_views_3"] != nil)

        // Every image reads the same text; only the confidences move.
        let images = (0..<24).map { folder.appendingPathComponent(String(format: "%06d.png", $0)).path }
        let old = try CommandRunner.run(["read"] + images + ["--weights", shipped.path])
        let new = try CommandRunner.run(["read"] + images + ["--weights", calibrated.path])
        func columns(_ outcome: CommandRunner.Outcome, _ index: Int) -> [String] {
            outcome.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)[index] }
        }
        #expect(columns(old, 1) == columns(new, 1))
        #expect(columns(old, 2) != columns(new, 2))
    }

    @Test func ctrlCKeepsACheckpointThatResumeFinishes() throws {
        let folder = try Self.datasetWithProblems()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.safetensors")
        let checkpoint = model.path + ".checkpoint"
        let arguments = Self.trainArguments(folder, epochs: 30, model: model)

        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        let log = folder.appendingPathComponent("train.log")
        try Data().write(to: log)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first epoch's checkpoint shows the signal handler is in place.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: checkpoint) && process.isRunning && Date() < deadline { usleep(10_000) }
        process.interrupt()
        process.waitUntilExit()
        let printed = try String(contentsOf: log, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(printed)")
        #expect(printed.contains("stopped: interrupted") && printed.contains("--resume"), "\(printed)")
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        #expect(!FileManager.default.fileExists(atPath: model.path))

        let rerun = try CommandRunner.run(arguments)
        #expect(rerun.status == 1 && rerun.stderr.contains("--resume"), "\(rerun.stderr)")
        let changed = try CommandRunner.run(arguments.map { $0 == "8" ? "4" : $0 } + ["--resume"])
        #expect(changed.status == 1 && changed.stderr.contains("different run"), "\(changed.stderr)")
        let resumed = try CommandRunner.run(arguments + ["--resume"])
        #expect(resumed.status == 0 && resumed.stdout.contains("wrote \(model.path)"), "\(resumed.stderr)")
        #expect(FileManager.default.fileExists(atPath: model.path))
        #expect(!FileManager.default.fileExists(atPath: checkpoint))
    }
}
