import ArqamImaging
import ArqamOCR
import Foundation
import Testing
@testable import ArqamData

/// A dataset folder written by hand: image files (any bytes: reading a folder only checks
/// they exist) and a labels.tsv.
private struct HandmadeFolder {
    let url: URL

    init(images: [String], labels: String) throws {
        url = try temporaryFolder("dataset")
        for image in images {
            let file = url.appendingPathComponent(image)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("png".utf8).write(to: file)
        }
        try Data(labels.utf8).write(to: url.appendingPathComponent("labels.tsv"))
    }

    func load() throws -> DatasetFolder { try DatasetFolder.load(url) }

    func image(_ path: String) -> URL { url.appendingPathComponent(path).standardizedFileURL }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite struct DatasetFolderTests {
    @Test func goodLinesBecomeItemsWithWesternLabels() throws {
        let folder = try HandmadeFolder(
            images: ["a.png", "b.png", "sub/c.png"],
            labels: "# made by hand\na.png\t2024/05/13\nb.png\t٢٠٢٤/٠٥/١٣\tcorrected\t0.91\nsub/c.png\t۰۱۲۳۴۵۶۷۸۹\n")
        defer { folder.remove() }
        let dataset = try folder.load()
        #expect(dataset.items == [
            LabeledImage(url: folder.image("a.png"), label: "2024/05/13"),
            LabeledImage(url: folder.image("b.png"), label: "2024/05/13"),
            LabeledImage(url: folder.image("sub/c.png"), label: "0123456789"),
        ])
        #expect(dataset.problems.isEmpty)
        #expect(dataset.unlabeled.isEmpty)
    }

    @Test func eachBadLineIsReportedWithItsLineAndSkipped() throws {
        let outside = try temporaryFolder("outside")
        defer { try? FileManager.default.removeItem(at: outside) }
        try Data("png".utf8).write(to: outside.appendingPathComponent("secret.png"))
        let lines = [
            "ok.png\t123",                       // 1
            "ok2.png\t12a4",                     // 2 foreign character
            "../outside.png\t1",                 // 3 escapes
            "/etc/passwd\t1",                    // 4 absolute
            "gone.png\t1",                       // 5 missing image
            "long.png\t" + String(repeating: "7", count: 26),  // 6: 26 + 25 blanks = 51 steps
            "just tab-less text",                // 7 malformed
            "empty.png\t",                       // 8 empty label
            "link.png\t5",                       // 9 symlink out of the folder
            "\t5",                               // 10 empty path
            "sub\t5",                            // 11 a folder, not an image
        ]
        let folder = try HandmadeFolder(images: ["ok.png", "ok2.png", "long.png", "empty.png", "sub/x.png"],
                                        labels: lines.joined(separator: "\n") + "\n")
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(at: folder.url.appendingPathComponent("link.png"),
                                                   withDestinationURL: outside.appendingPathComponent("secret.png"))
        let dataset = try folder.load()
        #expect(dataset.items == [LabeledImage(url: folder.image("ok.png"), label: "123")])
        let labels = folder.url.appendingPathComponent("labels.tsv")
        #expect(dataset.problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(dataset.problems.allSatisfy { $0.file == labels })
        let reasons = dataset.problems.map(\.reason)
        guard case .unsupportedCharacter(let problem) = reasons[0] else { Issue.record("line 2: \(reasons[0])"); return }
        #expect(problem.character == "a" && problem.offset == 2)
        #expect(reasons[1] == .escapesFolder("../outside.png"))
        #expect(reasons[2] == .absolutePath("/etc/passwd"))
        #expect(reasons[3] == .missingImage("gone.png"))
        #expect(reasons[4] == .labelTooLong(label: String(repeating: "7", count: 26), stepsNeeded: 51))
        #expect(reasons[5] == .malformedLine)
        #expect(reasons[6] == .emptyLabel)
        #expect(reasons[7] == .escapesFolder("link.png"))
        #expect(reasons[8] == .emptyPath)
        #expect(reasons[9] == .missingImage("sub"))
        #expect(dataset.problems[0].description.hasSuffix("labels.tsv:2: label: character 'a' (U+0061) at position 3 is not a digit or '/'; line skipped"))
        // Images whose only line was bad are unlabeled, like images with no line.
        #expect(Set(dataset.unlabeled.map(\.lastPathComponent)) == ["ok2.png", "long.png", "empty.png", "x.png", "link.png"])
    }

    @Test func labelsUpToFiftyStepsAreKept() throws {
        // 50 alternating digits: no repeats, 50 steps. 25 equal digits: 25 + 24 blanks = 49.
        let alternating = String(repeating: "12", count: 25)
        let repeated = String(repeating: "3", count: 25)
        let folder = try HandmadeFolder(images: ["a.png", "b.png"], labels: "a.png\t\(alternating)\nb.png\t\(repeated)\n")
        defer { folder.remove() }
        let dataset = try folder.load()
        #expect(dataset.items.map(\.label) == [alternating, repeated])
        #expect(LabelRules.stepsNeeded(alternating) == 50 && LabelRules.stepsNeeded(repeated) == 49)
    }

    @Test func aLaterLineForTheSameImageWins() throws {
        let folder = try HandmadeFolder(images: ["a.png", "b.png"],
                                        labels: "a.png\t111\nb.png\t222\n./a.png\t333\nsub/../a.png\tbad!\n")
        defer { folder.remove() }
        let dataset = try folder.load()
        // The last good line (line 3, spelled ./a.png) wins; line 4 is bad and skipped.
        #expect(dataset.items == [LabeledImage(url: folder.image("a.png"), label: "333"),
                                  LabeledImage(url: folder.image("b.png"), label: "222")])
        #expect(dataset.problems.map(\.line) == [4])
    }

    @Test func commentsBlankLinesHeaderBOMAndCRLFAreTolerated() throws {
        let folder = try HandmadeFolder(images: ["a.png", "b.png"],
                                        labels: "\u{FEFF}path\tlabel\r\n# comment\r\n\r\n  \r\na.png\t 42 \r\n  # indented comment\nb.png\t7\r\n")
        defer { folder.remove() }
        let dataset = try folder.load()
        #expect(dataset.items.map(\.label) == ["42", "7"])
        #expect(dataset.problems.isEmpty)
    }

    @Test func picturesWithoutALineAreUnlabeledButHiddenOnesAreIgnored() throws {
        let folder = try HandmadeFolder(images: ["a.png", "b.PNG", "notes.txt", "deep/c.png", ".arqam/cache.png", ".hidden.png"],
                                        labels: "a.png\t1\n")
        defer { folder.remove() }
        let dataset = try folder.load()
        #expect(dataset.unlabeled == [folder.image("b.PNG"), folder.image("deep/c.png")])
    }

    @Test func aFolderWithoutLabelsOrAtAllIsAnError() throws {
        let folder = try temporaryFolder("no-labels")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: DatasetError.labelsMissing(folder.standardizedFileURL.appendingPathComponent("labels.tsv"))) {
            try DatasetFolder.load(folder)
        }
        let nowhere = folder.appendingPathComponent("nothing-here")
        #expect(throws: DatasetError.folderMissing(nowhere.standardizedFileURL)) { try DatasetFolder.load(nowhere) }
        try Data([0xFF, 0xFE, 0x00]).write(to: folder.appendingPathComponent("labels.tsv"))
        #expect {
            try DatasetFolder.load(folder)
        } throws: { error in
            guard case .unreadable(_, let reason) = error as? DatasetError else { return false }
            return reason.contains("UTF-8")
        }
    }

    @Test func pathsAreNormalisedInsideTheFolder() {
        #expect(DatasetFolder.normalizedRelativePath("a/./b/../c.png") == "a/c.png")
        #expect(DatasetFolder.normalizedRelativePath("a//c.png") == "a/c.png")
        #expect(DatasetFolder.normalizedRelativePath("a/../../c.png") == nil)
        #expect(DatasetFolder.normalizedRelativePath(".") == "")
    }
}
