import ArqamImaging
import Foundation

/// Adds images and label lines to a dataset folder. Images are written atomically (a reader
/// never sees half a PNG); each label line goes to `labels.tsv` with one `write` as soon as
/// it is added, after its image, so a crash leaves no line without its image. Adding to an
/// existing folder appends: a later line for the same image wins when the folder is read.
public final class DatasetWriter {
    public let folder: URL
    public let labelsFile: URL
    private var descriptor: Int32

    /// Creates the folder (and its parents) and `labels.tsv` if needed.
    public init(folder: URL) throws(DatasetError) {
        self.folder = folder.standardizedFileURL
        labelsFile = self.folder.appendingPathComponent(DatasetFolder.labelsFileName)
        do {
            try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        } catch {
            throw .notWritable(self.folder, reason: error.localizedDescription)
        }
        descriptor = open(labelsFile.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.failure(labelsFile, code: errno) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Self.failure(labelsFile, code: errno) }
        if status.st_size == 0 {
            try append("# arqam dataset: path<TAB>label, labels in Western digits and '/'\n")
        } else if !Self.endsWithNewline(labelsFile) {
            try append("\n")
        }
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// Writes the image at `path` (relative to the folder; subfolders are created), then its line.
    public func add(_ image: GrayImage, path: String, label: String, columns: [String] = []) throws(DatasetError) {
        let line = try Self.line(path: path, label: label, columns: columns)
        let url = folder.appendingPathComponent(path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .notWritable(url.deletingLastPathComponent(), reason: error.localizedDescription)
        }
        try Self.writeImage(image, to: url)
        try append(line)
    }

    /// Adds the line for an image already in the folder (written by `writeImage` or copied).
    public func addLine(path: String, label: String, columns: [String] = []) throws(DatasetError) {
        try append(Self.line(path: path, label: label, columns: columns))
    }

    /// Writes a PNG atomically. Safe to call from several threads at once (for different files).
    public static func writeImage(_ image: GrayImage, to url: URL) throws(DatasetError) {
        do {
            try PNGWriter.write(image, to: url)
        } catch {
            if case .unwritable(_, let reason) = error, reason.contains(String(cString: strerror(ENOSPC))) {
                throw .diskFull(url)
            }
            throw .notWritable(url, reason: error.description)
        }
    }

    /// Forces `labels.tsv` to the disk and closes it; the writer takes no more lines.
    public func close() throws(DatasetError) {
        guard descriptor >= 0 else { return }
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = Glibc.close(descriptor) == 0 ? 0 : errno
        descriptor = -1
        if synced != 0 { throw Self.failure(labelsFile, code: synced) }
        if closed != 0 { throw Self.failure(labelsFile, code: closed) }
    }

    /// `path<TAB>label[<TAB>column…]` with the label made Western, after checking all of it.
    static func line(path: String, label: String, columns: [String]) throws(DatasetError) -> String {
        guard !path.isEmpty, !path.hasPrefix("/") else { throw .invalidPath(path, reason: "must be relative to the folder") }
        guard DatasetFolder.normalizedRelativePath(path).map({ !$0.isEmpty }) == true else {
            throw .invalidPath(path, reason: "leads outside the folder")
        }
        guard !path.contains(where: { $0 == "\t" || $0.isNewline }) else {
            throw .invalidPath(path, reason: "holds a tab or a line break")
        }
        let western: String
        switch LabelRules.normalize(label) {
        case .failure(let problem): throw .invalidLabel(label, reason: problem.description)
        case .success(let value): western = value
        }
        guard !western.isEmpty else { throw .invalidLabel(label, reason: "empty; an empty label is not training data") }
        let steps = LabelRules.stepsNeeded(western)
        guard steps <= LabelRules.timeSteps else {
            throw .invalidLabel(label, reason: "needs \(steps) time steps, the model has \(LabelRules.timeSteps)")
        }
        if let bad = columns.first(where: { $0.contains { $0 == "\t" || $0.isNewline } }) { throw .invalidColumn(bad) }
        return ([path, western] + columns).joined(separator: "\t") + "\n"
    }

    private func append(_ text: String) throws(DatasetError) {
        guard descriptor >= 0 else { throw .notWritable(labelsFile, reason: "the writer was closed") }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure(labelsFile, code: errno)
            }
            offset += written
        }
    }

    private static func endsWithNewline(_ file: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return true }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size > 0 else { return true }
        try? handle.seek(toOffset: size - 1)
        return (try? handle.read(upToCount: 1)) == Data([0x0A])
    }

    static func failure(_ file: URL, code: Int32) -> DatasetError {
        code == ENOSPC || code == EDQUOT ? .diskFull(file) : .notWritable(file, reason: String(cString: strerror(code)))
    }
}
