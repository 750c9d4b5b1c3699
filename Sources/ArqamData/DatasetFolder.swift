import Foundation

/// A dataset folder: `labels.tsv` (`path<TAB>label[<TAB>more columns…]`, `#` comments) and
/// the images it names. Reading never stops at a bad line: the line is skipped and reported
/// in `problems` with its file and line number.
public struct DatasetFolder: Sendable, Equatable {
    public static let labelsFileName = "labels.tsv"

    public var url: URL
    /// Images with a valid label, in the order of their first line; a later line for the same
    /// image replaces the label.
    public var items: [LabeledImage]
    /// PNGs in the folder (and its subfolders, hidden ones excepted) with no valid label line:
    /// not training data, but counted and reported.
    public var unlabeled: [URL]
    public var problems: [DatasetProblem]

    public static func load(_ url: URL) throws(DatasetError) -> DatasetFolder {
        let folder = url.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .folderMissing(folder)
        }
        let labelsFile = folder.appendingPathComponent(labelsFileName)
        guard FileManager.default.fileExists(atPath: labelsFile.path) else { throw .labelsMissing(labelsFile) }
        let data: Data
        do {
            data = try Data(contentsOf: labelsFile)
        } catch {
            throw .unreadable(labelsFile, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(labelsFile, reason: "not UTF-8 text; save it as UTF-8")
        }
        var dataset = DatasetFolder(url: folder, items: [], unlabeled: [], problems: [])
        dataset.read(text, from: labelsFile)
        let labeled = Set(dataset.items.map { $0.url.standardizedFileURL.path })
        dataset.unlabeled = pngFiles(in: folder).filter { !labeled.contains($0.path) }
        return dataset
    }

    private mutating func read(_ text: String, from labelsFile: URL) {
        let realFolder = url.resolvingSymlinksInPath().path
        var position: [String: Int] = [:]
        var seenData = false
        // "\r\n" is one Character in Swift, so it is named as a separator of its own.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (offset, rawLine) in lines.enumerated() {
            var line = Substring(rawLine)
            if offset == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            // A header line someone typed by hand is not an image.
            if !seenData, fields.count >= 2, fields[0] == "path", fields[1] == "label" { continue }
            seenData = true
            func skip(_ reason: DatasetProblem.Reason) {
                problems.append(DatasetProblem(file: labelsFile, line: offset + 1, reason: reason))
            }
            guard fields.count >= 2 else { skip(.malformedLine); continue }
            let path = fields[0].trimmingCharacters(in: .whitespaces)
            let rawLabel = fields[1].trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { skip(.emptyPath); continue }
            guard !path.hasPrefix("/"), !path.hasPrefix("~") else { skip(.absolutePath(path)); continue }
            guard let relative = Self.normalizedRelativePath(path) else { skip(.escapesFolder(path)); continue }
            let image = url.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard !relative.isEmpty, FileManager.default.fileExists(atPath: image.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                skip(.missingImage(path))
                continue
            }
            // A symbolic link may still lead out of the folder.
            guard image.resolvingSymlinksInPath().path.hasPrefix(realFolder + "/") else { skip(.escapesFolder(path)); continue }
            guard !rawLabel.isEmpty else { skip(.emptyLabel); continue }
            let label: String
            switch LabelRules.normalize(rawLabel) {
            case .failure(let problem): skip(.unsupportedCharacter(problem)); continue
            case .success(let western): label = western
            }
            let steps = LabelRules.stepsNeeded(label)
            guard steps <= LabelRules.timeSteps else { skip(.labelTooLong(label: label, stepsNeeded: steps)); continue }
            let item = LabeledImage(url: image.standardizedFileURL, label: label)
            if let index = position[relative] {
                items[index] = item
            } else {
                position[relative] = items.count
                items.append(item)
            }
        }
    }

    /// `a/./b/../c.png` → `a/c.png`; nil when `..` climbs above the folder; "" for the folder itself.
    static func normalizedRelativePath(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// Every `.png` under the folder, hidden files and folders (such as `.arqam`) excepted, by path.
    static func pngFiles(in folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var files: [URL] = []
        for case let file as URL in walker where file.pathExtension.lowercased() == "png" {
            if (try? file.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory != true {
                files.append(file.standardizedFileURL)
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}
