import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SafeTensorsFile {
    /// Writes `tensors` (data in name order, header padded with spaces to a multiple of
    /// 8 bytes) atomically: a temporary file in the destination folder is written,
    /// flushed to disk and renamed over `url`, so a full disk or a killed process never
    /// leaves a partial file under the final name.
    public static func write(tensors: [String: StoredTensor], metadata: [String: String], to url: URL) throws(SafeTensorsError) {
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: url)
    }

    public func write(to url: URL) throws(SafeTensorsError) {
        let bytes = try encoded(file: url.path)
        try Self.writeAtomically(bytes, to: url)
    }

    /// The complete file contents.
    public func encoded(file: String = "safetensors") throws(SafeTensorsError) -> Data {
        let names = tensors.keys.sorted()
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for name in names {
            guard name != "__metadata__" else { throw SafeTensorsError(file: file, tensor: name, problem: .reservedName) }
            let tensor = tensors[name]!
            let size = tensor.data.count * TensorData.elementSize(of: tensor.data.dtype)!
            header[name] = ["dtype": tensor.data.dtype, "shape": tensor.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        var json: Data
        do {
            json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw SafeTensorsError(file: file, problem: .cannotWrite(reason: "header JSON: \(error)"))
        }
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))

        var bytes = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(json)
        for name in names {
            switch tensors[name]!.data {
            case .f32(let values):
                Self.appendLittleEndian(values.map(\.bitPattern), to: &bytes)
            case .u8(let values):
                bytes.append(contentsOf: values)
            case .i32(let values):
                Self.appendLittleEndian(values.map { UInt32(bitPattern: $0) }, to: &bytes)
            }
        }
        return bytes
    }

    private static func appendLittleEndian(_ words: [UInt32], to bytes: inout Data) {
        #if _endian(big)
        let words = words.map(\.littleEndian)
        #endif
        words.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    static func writeAtomically(_ bytes: Data, to url: URL) throws(SafeTensorsError) {
        let path = url.path
        func failure(_ what: String) -> SafeTensorsError {
            SafeTensorsError(file: path, problem: .cannotWrite(reason: "\(what): \(String(cString: strerror(errno)))"))
        }
        let folder = url.deletingLastPathComponent().path
        let temporary = "\(folder)/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0 ... .max)).partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw failure("creating \(temporary)") }
        var written = 0
        let writeError: SafeTensorsError? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let result = Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return failure("writing \(temporary)")
                }
                written += result
            }
            return fsync(descriptor) == 0 ? nil : failure("flushing \(temporary)")
        }
        let closeFailed = close(descriptor) != 0
        if let writeError {
            unlink(temporary)
            throw writeError
        }
        if closeFailed {
            let error = failure("closing \(temporary)")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("renaming \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
        // The rename itself must reach the disk for the new file to survive a power loss.
        let folderDescriptor = open(folder, O_RDONLY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}
