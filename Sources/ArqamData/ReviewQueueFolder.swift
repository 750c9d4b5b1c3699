import Foundation

/// One PNG image in a queue folder.
public struct QueueFile: Sendable, Equatable {
    /// File name relative to the queue folder.
    public var path: String
    public var size: Int64
    public var modifiedNanoseconds: Int64

    public init(path: String, size: Int64, modifiedNanoseconds: Int64) {
        self.path = path
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}

/// The images of a queue: the `.png` files directly in the folder, in the folder's own order
/// (callers that show them sort them). Hidden files and names with control characters (which
/// cannot go into `labels.tsv`) are left out.
public enum QueueFolder {
    public static func list(_ queue: URL) throws -> [QueueFile] {
        guard let directory = opendir(queue.path) else {
            throw ReviewStoreError.queueNotFound(queue)
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var files: [QueueFile] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard isImageName(name) else { continue }
            var status = stat()
            guard fstatat(descriptor, name, &status, 0) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            files.append(QueueFile(path: name, size: Int64(status.st_size), modifiedNanoseconds: modifiedNanoseconds(status)))
        }
        return files
    }

    /// The folder's own modification time; it changes when a file is added, removed or renamed.
    public static func folderStamp(_ queue: URL) -> Int64? {
        var status = stat()
        guard stat(queue.path, &status) == 0 else { return nil }
        return modifiedNanoseconds(status)
    }

    public static func isImageName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard bytes.count > 4, bytes.first != UInt8(ascii: "."),
              bytes.suffix(4).map({ $0 | 0x20 }).elementsEqual(".png".utf8.map { $0 | 0x20 }) else { return false }
        // Control characters: C0 and DEL as single bytes, C1 (U+0080–U+009F) as 0xC2 0x80–0x9F.
        var previous: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) { return false }
            previous = byte
        }
        return true
    }

    private static func modifiedNanoseconds(_ status: stat) -> Int64 {
        #if os(Linux)
        return Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        #else
        return Int64(status.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(status.st_mtimespec.tv_nsec)
        #endif
    }
}
