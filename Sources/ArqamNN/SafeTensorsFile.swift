import Foundation

/// A safetensors file in memory: `u64 little-endian header length`, a JSON header
/// (`name → {dtype, shape, data_offsets}` plus an optional `__metadata__` of strings),
/// then the raw little-endian data (reference README section 8).
public struct SafeTensorsFile: Sendable, Equatable {
    public var tensors: [String: StoredTensor]
    public var metadata: [String: String]

    public init(tensors: [String: StoredTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    public init(contentsOf url: URL) throws(SafeTensorsError) {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError(file: url.path, problem: .cannotRead(reason: error.localizedDescription))
        }
        try self.init(bytes: bytes, file: url.path)
    }

    /// Parses the bytes of a whole file; `file` only names it in errors.
    public init(bytes: Data, file: String) throws(SafeTensorsError) {
        let parsed = try SafeTensorsHeader(bytes: bytes, file: file)
        metadata = parsed.metadata
        tensors = [:]
        let dataStart = parsed.dataStart
        bytes.withUnsafeBytes { raw in
            for entry in parsed.entries {
                let begin = dataStart + entry.begin
                let count = entry.shape.reduce(1, *)
                let data: TensorData
                switch entry.dtype {
                case "U8":
                    data = .u8(Array(raw[begin ..< begin + count]))
                case "I32":
                    data = .i32(Self.littleEndianWords(raw, from: begin, count: count).map { Int32(bitPattern: $0) })
                default:
                    data = .f32(Self.littleEndianWords(raw, from: begin, count: count).map(Float.init(bitPattern:)))
                }
                tensors[entry.name] = StoredTensor(shape: entry.shape, data: data)
            }
        }
    }

    private static func littleEndianWords(_ raw: UnsafeRawBufferPointer, from begin: Int, count: Int) -> [UInt32] {
        var words = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[begin ..< begin + 4 * count]))
            initialized = count
        }
        #if _endian(big)
        for index in words.indices { words[index] = UInt32(littleEndian: words[index]) }
        #endif
        return words
    }

    /// The float32 tensor `name`; `file` only names the file in errors.
    public func float32(_ name: String, file: String = "safetensors") throws(SafeTensorsError) -> Tensor {
        guard let stored = tensors[name] else { throw SafeTensorsError(file: file, tensor: name, problem: .missingTensor) }
        guard case .f32(let values) = stored.data else {
            throw SafeTensorsError(file: file, tensor: name, problem: .wrongDType(expected: "F32", found: stored.data.dtype))
        }
        return Tensor(shape: stored.shape, scalars: values)
    }

    public func uint8(_ name: String, file: String = "safetensors") throws(SafeTensorsError) -> (shape: [Int], values: [UInt8]) {
        guard let stored = tensors[name] else { throw SafeTensorsError(file: file, tensor: name, problem: .missingTensor) }
        guard case .u8(let values) = stored.data else {
            throw SafeTensorsError(file: file, tensor: name, problem: .wrongDType(expected: "U8", found: stored.data.dtype))
        }
        return (stored.shape, values)
    }

    public func int32(_ name: String, file: String = "safetensors") throws(SafeTensorsError) -> (shape: [Int], values: [Int32]) {
        guard let stored = tensors[name] else { throw SafeTensorsError(file: file, tensor: name, problem: .missingTensor) }
        guard case .i32(let values) = stored.data else {
            throw SafeTensorsError(file: file, tensor: name, problem: .wrongDType(expected: "I32", found: stored.data.dtype))
        }
        return (stored.shape, values)
    }
}

/// The validated header: every entry's dtype, shape and byte range checked against
/// each other and against the data that actually follows the header.
struct SafeTensorsHeader {
    struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    var metadata: [String: String] = [:]
    var entries: [Entry] = []
    var dataStart: Int

    init(bytes: Data, file: String) throws(SafeTensorsError) {
        func fail(_ tensor: String, _ problem: SafeTensorsError.Problem) -> SafeTensorsError {
            SafeTensorsError(file: file, tensor: tensor, problem: problem)
        }
        func fail(_ problem: SafeTensorsError.Problem) -> SafeTensorsError {
            SafeTensorsError(file: file, problem: problem)
        }
        guard bytes.count >= 8 else { throw fail(.shorterThanLengthPrefix(fileSize: bytes.count)) }
        let headerLength = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail(.headerLongerThanFile(headerLength: headerLength, bytesAfterPrefix: bytes.count - 8))
        }
        dataStart = 8 + Int(headerLength)
        let dataSize = bytes.count - dataStart
        let json: Any
        do {
            let headerBytes = bytes.subdata(in: bytes.startIndex + 8 ..< bytes.startIndex + dataStart)
            guard String(data: headerBytes, encoding: .utf8) != nil else { throw fail(.headerNotJSON(reason: "not UTF-8")) }
            json = try JSONSerialization.jsonObject(with: headerBytes)
        } catch let error as SafeTensorsError {
            throw error
        } catch {
            throw fail(.headerNotJSON(reason: "\(error)"))
        }
        guard let object = json as? [String: Any] else { throw fail(.headerNotObject) }

        for (name, value) in object {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else { throw fail(.metadataNotStrings) }
                metadata = strings
                continue
            }
            guard let fields = value as? [String: Any] else { throw fail(name, .entryNotObject) }
            guard let dtype = fields["dtype"] as? String else { throw fail(name, .missingField("dtype")) }
            guard let elementSize = TensorData.elementSize(of: dtype) else { throw fail(name, .unsupportedDType(dtype)) }
            guard let shapeValues = fields["shape"] as? [Any] else { throw fail(name, .missingField("shape")) }
            let shape = shapeValues.map(Self.nonNegativeInt)
            guard shape.allSatisfy({ $0 != nil }) else { throw fail(name, .badShape("dimensions must be non-negative integers")) }
            guard let offsetValues = fields["data_offsets"] as? [Any], offsetValues.count == 2 else {
                throw fail(name, .missingField("data_offsets"))
            }
            guard let begin = Self.nonNegativeInt(offsetValues[0]), let end = Self.nonNegativeInt(offsetValues[1]) else {
                throw fail(name, .badOffsets("must be two non-negative integers"))
            }
            guard begin <= end else { throw fail(name, .badOffsets("begin \(begin) is after end \(end)")) }
            var byteCount = elementSize
            for dimension in shape {
                let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension ?? 0)
                guard !overflow else { throw fail(name, .badShape("element count overflows")) }
                byteCount = product
            }
            let dims = shape.map { $0 ?? 0 }
            guard byteCount == end - begin else {
                throw fail(name, .byteCountMismatch(shape: dims, dtype: dtype, expected: byteCount, found: end - begin))
            }
            guard end <= dataSize else { throw fail(name, .offsetsOutsideData(begin: begin, end: end, dataSize: dataSize)) }
            entries.append(Entry(name: name, dtype: dtype, shape: dims, begin: begin, end: end))
        }

        let ordered = entries.filter { $0.end > $0.begin }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.begin < previous.end {
            throw fail(next.name, .overlaps(otherTensor: previous.name))
        }
    }

    private static func nonNegativeInt(_ value: Any) -> Int? {
        guard let number = value as? Int, number >= 0 else { return nil }
        return number
    }
}
