import ArqamImaging
import Foundation
import Testing
@testable import ArqamData

@Suite struct DatasetWriterTests {
    @Test func writtenFoldersReadBackTheSame() throws {
        let folder = try temporaryFolder("writer").appendingPathComponent("new/dataset")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        let generator = try sharedGenerator.get()
        let samples = (0..<4).map { generator.sample(seed: 21, index: $0) }
        let writer = try DatasetWriter(folder: folder)
        for (index, sample) in samples.enumerated() {
            try writer.add(sample.image, path: "img/\(index).png", label: sample.label, columns: ["synth", "seed 21"])
        }
        // A label in Arabic-Indic digits is stored Western.
        try writer.add(samples[0].image, path: "arabic.png", label: "٠١٢/٣")
        try writer.close()

        let dataset = try DatasetFolder.load(folder)
        #expect(dataset.problems.isEmpty && dataset.unlabeled.isEmpty)
        #expect(dataset.items.map(\.label) == samples.map(\.label) + ["012/3"])
        for (index, sample) in samples.enumerated() {
            #expect(try PNGDecoder().decode(contentsOf: dataset.items[index].url) == sample.image)
        }
        let lines = try String(contentsOf: folder.appendingPathComponent("labels.tsv"), encoding: .utf8)
            .split(separator: "\n")
        #expect(lines[0].hasPrefix("#"))
        #expect(lines[1] == "img/0.png\t\(samples[0].label)\tsynth\tseed 21")
    }

    @Test func appendingContinuesAnExistingFileEvenWithoutAFinalNewline() throws {
        let folder = try temporaryFolder("append")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("png".utf8).write(to: folder.appendingPathComponent("old.png"))
        try Data("old.png\t1".utf8).write(to: folder.appendingPathComponent("labels.tsv"))
        try Data("png".utf8).write(to: folder.appendingPathComponent("new.png"))
        let writer = try DatasetWriter(folder: folder)
        try writer.addLine(path: "new.png", label: "2")
        try writer.addLine(path: "old.png", label: "3")
        try writer.close()
        let text = try String(contentsOf: folder.appendingPathComponent("labels.tsv"), encoding: .utf8)
        #expect(text == "old.png\t1\nnew.png\t2\nold.png\t3\n")
        // The later line for old.png wins.
        #expect(try DatasetFolder.load(folder).items.map(\.label) == ["3", "2"])
    }

    @Test func badLinesAreRefusedBeforeAnythingIsWritten() throws {
        let folder = try temporaryFolder("refuse")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try DatasetWriter(folder: folder)
        let image = GrayImage(width: 2, height: 1, pixels: [0, 255])
        #expect(throws: DatasetError.self) { try writer.add(image, path: "a.png", label: "12-3") }
        #expect(throws: DatasetError.self) { try writer.add(image, path: "a.png", label: "") }
        #expect(throws: DatasetError.self) { try writer.add(image, path: "a.png", label: String(repeating: "1", count: 26)) }
        #expect(throws: DatasetError.self) { try writer.add(image, path: "../a.png", label: "1") }
        #expect(throws: DatasetError.self) { try writer.add(image, path: "/tmp/a.png", label: "1") }
        #expect(throws: DatasetError.self) { try writer.add(image, path: "a\tb.png", label: "1") }
        #expect(throws: DatasetError.invalidColumn("x\ty")) { try writer.add(image, path: "a.png", label: "1", columns: ["x\ty"]) }
        try writer.close()
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("a.png").path))
        #expect(try DatasetFolder.load(folder).items.isEmpty)
    }

    @Test func aFolderThatCannotBeCreatedIsNamed() throws {
        let parent = try temporaryFolder("blocked")
        defer { try? FileManager.default.removeItem(at: parent) }
        let file = parent.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        #expect {
            try DatasetWriter(folder: file.appendingPathComponent("dataset"))
        } throws: { error in
            guard case .notWritable(let url, _) = error as? DatasetError else { return false }
            return url.lastPathComponent == "dataset"
        }
    }

    @Test func aFullDiskIsToldApart() {
        let file = URL(fileURLWithPath: "/data/labels.tsv")
        #expect(DatasetWriter.failure(file, code: ENOSPC) == .diskFull(file))
        #expect(DatasetWriter.failure(file, code: EACCES) == .notWritable(file, reason: String(cString: strerror(EACCES))))
        #expect(DatasetError.diskFull(file).description.contains("no space left"))
    }
}
