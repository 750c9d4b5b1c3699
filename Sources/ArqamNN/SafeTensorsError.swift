/// Why a safetensors file could not be read or written, naming the file, the tensor
/// (when one is concerned) and what is wrong with it.
public struct SafeTensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case cannotRead(reason: String)
        case cannotWrite(reason: String)
        case shorterThanLengthPrefix(fileSize: Int)
        case headerLongerThanFile(headerLength: UInt64, bytesAfterPrefix: Int)
        case headerNotJSON(reason: String)
        case headerNotObject
        case metadataNotStrings
        case entryNotObject
        case missingField(String)
        case unsupportedDType(String)
        case badShape(String)
        case badOffsets(String)
        case byteCountMismatch(shape: [Int], dtype: String, expected: Int, found: Int)
        case offsetsOutsideData(begin: Int, end: Int, dataSize: Int)
        case overlaps(otherTensor: String)
        case missingTensor
        case wrongDType(expected: String, found: String)
        case reservedName
    }

    public var file: String
    public var tensor: String?
    public var problem: Problem

    public init(file: String, tensor: String? = nil, problem: Problem) {
        self.file = file
        self.tensor = tensor
        self.problem = problem
    }

    public var description: String {
        let subject = tensor.map { "\(file): tensor \"\($0)\"" } ?? file
        return "\(subject): \(explanation)"
    }

    private var explanation: String {
        switch problem {
        case .cannotRead(let reason):
            "cannot read the file (\(reason)); check the path and permissions"
        case .cannotWrite(let reason):
            "cannot write the file (\(reason)); check free space and permissions of the folder"
        case .shorterThanLengthPrefix(let size):
            "only \(size) bytes, shorter than the 8-byte header length; the file is truncated or not safetensors"
        case .headerLongerThanFile(let length, let available):
            "header claims \(length) bytes but only \(available) follow the length prefix; the file is truncated or not safetensors"
        case .headerNotJSON(let reason):
            "header is not valid UTF-8 JSON (\(reason)); the file is damaged or not safetensors"
        case .headerNotObject:
            "header JSON is not an object of tensor entries; the file is not safetensors"
        case .metadataNotStrings:
            "__metadata__ must map strings to strings"
        case .entryNotObject:
            "entry is not an object with dtype, shape and data_offsets"
        case .missingField(let field):
            "entry has no valid \"\(field)\""
        case .unsupportedDType(let dtype):
            "dtype \(dtype) is not supported (only F32, U8 and I32)"
        case .badShape(let reason):
            "shape is invalid: \(reason)"
        case .badOffsets(let reason):
            "data_offsets are invalid: \(reason)"
        case .byteCountMismatch(let shape, let dtype, let expected, let found):
            "shape \(shape) of \(dtype) needs \(expected) bytes but data_offsets span \(found)"
        case .offsetsOutsideData(let begin, let end, let size):
            "data_offsets [\(begin), \(end)] lie outside the \(size) data bytes; the file is truncated or damaged"
        case .overlaps(let other):
            "data overlaps that of tensor \"\(other)\"; the file is damaged"
        case .missingTensor:
            "no such tensor in the file"
        case .wrongDType(let expected, let found):
            "expected dtype \(expected), found \(found)"
        case .reservedName:
            "\"__metadata__\" is reserved and cannot name a tensor"
        }
    }
}
