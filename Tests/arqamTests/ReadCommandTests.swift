import Foundation
import Testing

/// `arqam read` run as a process: what other tools rely on (NDJSON shape, exit statuses,
/// errors per file) and the oracle's greedy texts through the whole pipeline.
@Suite struct ReadCommandTests {
    /// expected.json: stem → greedy text of the random model (the oracle's decoding).
    static func expectedTexts() throws -> [String: String] {
        let data = try Data(contentsOf: CommandRunner.fixtures.appendingPathComponent("expected.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let images = try #require(root["images"] as? [String: [String: Any]])
        return images.compactMapValues { $0["greedy_text"] as? String }
    }

    @Test func jsonLinesCarryTheOracleTextsForEveryReferenceImage() throws {
        let outcome = try CommandRunner.run(["read", CommandRunner.fixtureImages.path, "--json", "--weights", CommandRunner.randomWeights.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let expected = try Self.expectedTexts()
        #expect(outcome.lines.count == 14)
        for line in outcome.lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let file = try #require(object["file"] as? String)
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            #expect(object["text"] as? String == expected[stem], "\(stem)")
            let confidence = try #require(object["confidence"] as? Double)
            #expect(confidence >= 0 && confidence <= 1)
            #expect((object["trace"] as? String)?.count == 50)
            let alternatives = try #require(object["alternatives"] as? [[String: Any]])
            #expect(!alternatives.isEmpty && alternatives.count <= 3)
            #expect(alternatives.allSatisfy { $0["text"] is String && $0["confidence"] is Double })
            #expect(object["probs"] == nil)
        }
        let files = outcome.lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["file"] as? String
        }
        #expect(files == files.sorted(), "folders are read in name order")
    }

    @Test func probsAreFiftyRowsOfThirteenThatSumToOne() throws {
        let image = CommandRunner.fixtureImages.appendingPathComponent("gray8_w200_h50.png").path
        let outcome = try CommandRunner.run(["read", image, "--json", "--probs", "--weights", CommandRunner.randomWeights.path])
        #expect(outcome.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["probs"] as? [[Double]])
        #expect(rows.count == 50)
        for row in rows {
            #expect(row.count == 13)
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func aBadFileGetsItsOwnErrorAndTheOthersAreStillRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let notPNG = folder.appendingPathComponent("notes.png")
        try Data("not a picture".utf8).write(to: notPNG)
        let good = CommandRunner.fixtureImages.appendingPathComponent("gray8_w200_h50.png").path
        let missing = folder.appendingPathComponent("missing.png").path
        let outcome = try CommandRunner.run(["read", notPNG.path, good, missing, "--json", "--weights", CommandRunner.randomWeights.path])
        #expect(outcome.status == 1)
        let objects = try outcome.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.count == 3)
        #expect(objects[0]["file"] as? String == notPNG.path && objects[0]["error"] is String)
        #expect(objects[1]["text"] as? String == "/6")
        #expect(objects[2]["file"] as? String == missing && objects[2]["error"] is String)
    }

    @Test func tsvByDefaultAndNamesFromStandardInput() throws {
        let names = ["gray8_w200_h50.png", "rgb8_w640_h120.png"].map { CommandRunner.fixtureImages.appendingPathComponent($0).path }
        let outcome = try CommandRunner.run(["read", "-", "--weights", CommandRunner.randomWeights.path],
                                            stdin: names.joined(separator: "\n") + "\n")
        #expect(outcome.status == 0)
        let rows = outcome.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map(\.count) == [3, 3])
        #expect(rows.map { $0[0] } == names)
        #expect(rows.allSatisfy { Double($0[2]) != nil })
    }

    @Test func usageErrorsExitWithTwo() throws {
        let outcome = try CommandRunner.run(["read", "x.png", "--probs", "--weights", CommandRunner.randomWeights.path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--probs"))
        #expect(try CommandRunner.run(["read", "--no-such-flag"]).status == 2)
    }

    @Test func everyCommandThatReadsRefusesViewsOutsideOneToThree() throws {
        for (command, views) in [("read", "4"), ("eval", "0"), ("review", "5")] {
            let outcome = try CommandRunner.run([command, "x", "--views", views, "--weights", CommandRunner.randomWeights.path])
            #expect(outcome.status == 2, "\(command)")
            #expect(outcome.stderr.contains("--views must be 1, 2 or 3"), "\(command): \(outcome.stderr)")
        }
    }

    @Test func threeViewsReadEveryImageAndRankTheAlternativesByTheirMean() throws {
        let outcome = try CommandRunner.run(["read", CommandRunner.fixtureImages.path, "--json", "--views", "3",
                                             "--weights", CommandRunner.randomWeights.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.lines.count == 14)
        for line in outcome.lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let text = try #require(object["text"] as? String)
            let confidence = try #require(object["confidence"] as? Double)
            let alternatives = try #require(object["alternatives"] as? [[String: Any]])
            let means = alternatives.compactMap { $0["confidence"] as? Double }
            #expect(alternatives.first?["text"] as? String == text)
            #expect(zip(means, means.dropFirst()).allSatisfy { $0 >= $1 })
            // The surest view's probability is at least the mean over the views.
            #expect(confidence >= (means.first ?? 0) - 1e-6 && confidence <= 1)
        }
    }

    @Test func aMissingModelIsOneLineThatSaysWhereItLooked() throws {
        let outcome = try CommandRunner.run(["read", "x.png", "--weights", "/nonexistent/model.safetensors"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(outcome.stderr.contains("/nonexistent/model.safetensors"))
    }

    @Test func aTruncatedModelIsAClearError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-weights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let truncated = folder.appendingPathComponent("cut.safetensors")
        try Data(try Data(contentsOf: CommandRunner.randomWeights).prefix(1_000_000)).write(to: truncated)
        let outcome = try CommandRunner.run(["read", "x.png", "--weights", truncated.path])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(truncated.path))
        #expect(!outcome.stderr.contains("Fatal"))
    }
}
