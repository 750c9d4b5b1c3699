import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func systemError() -> String {
    String(cString: strerror(errno))
}

/// The whole content of the file at `path`, with the reason spelled out when it cannot be had.
func readFile(at path: String) throws(ImageError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
        let code = errno
        if code == ENOENT || code == ENOTDIR { throw .missing(file: path) }
        if code == EISDIR { throw .isDirectory(file: path) }
        throw .unreadable(file: path, reason: "\(String(cString: strerror(code))); check that you may read it")
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw .unreadable(file: path, reason: systemError()) }
    if (status.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(file: path) }

    var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
    var count = 0
    while true {
        if count == bytes.count {
            // The file grew since fstat (or is not a regular file): keep reading.
            bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096)))
        }
        let received = bytes.withUnsafeMutableBytes { buffer in
            read(descriptor, buffer.baseAddress! + count, buffer.count - count)
        }
        if received < 0 {
            if errno == EINTR { continue }
            throw .unreadable(file: path, reason: systemError())
        }
        if received == 0 { break }
        count += received
    }
    bytes.removeSubrange(count...)
    return bytes
}

func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(ImageError) {
    let folder = (path as NSString).deletingLastPathComponent
    let leaf = (path as NSString).lastPathComponent
    var template = Array("\(folder.isEmpty ? "." : folder)/.\(leaf).XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw .unwritable(file: path, reason: systemError()) }
    let temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    var failure: String?
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = systemError()
                return
            }
            offset += written
        }
    }
    // mkstemp creates the file readable by its owner only; an image is an ordinary file.
    if failure == nil, fchmod(descriptor, 0o644) != 0 { failure = systemError() }
    if close(descriptor) != 0, failure == nil { failure = systemError() }
    if failure == nil, rename(temporaryPath, path) != 0 { failure = systemError() }
    if let failure {
        unlink(temporaryPath)
        throw .unwritable(file: path, reason: failure)
    }
}

