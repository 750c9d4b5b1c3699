import Foundation
import Testing
@testable import ArqamNN

/// Builds a file from a literal header and data bytes, for malformed-input cases.
private func rawFile(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> Data {
    let json = Array(header.utf8)
    var bytes = Data()
    withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: json)
    bytes.append(contentsOf: data)
    return bytes
}

private func problem(_ bytes: Data) -> SafeTensorsError.Problem? {
    do {
        _ = try SafeTensorsFile(bytes: bytes, file: "test.safetensors")
        return nil
    } catch {
        return error.problem
    }
}

@Suite struct SafeTensorsTests {
    @Test func readsTheWeightFixture() throws {
        let file = try Fixtures.file("crnn_random.safetensors")
        #expect(file.tensors.count == 20)
        #expect(file.metadata["format"] == "arqam-crnn-v1")
        #expect(file.metadata["blank"] == "12")
        // README section 2: 431,693 parameters in the 20 tensors.
        #expect(file.tensors.values.map(\.data.count).reduce(0, +) == 431_693)
        let kernel = try file.float32("Conv2/kernel")
        #expect(kernel.shape == [3, 3, 32, 64])
        // README section 2: the forget-gate block of every LSTM bias is 1, the rest 0.
        let bias = try file.float32("bidirectional_1/backward_lstm/bias")
        #expect(bias.scalars[0 ..< 64].allSatisfy { $0 == 0 } && bias.scalars[64 ..< 128].allSatisfy { $0 == 1 })
    }

    @Test func readsU8AndI32Fixtures() throws {
        let expected = try Fixtures.file("expected.safetensors")
        #expect(expected.tensors.count == 56)
        let gray = try expected.uint8("gray8_w1_h1/gray")
        #expect(gray.shape == [1, 1] && gray.values == [27])  // README 3.1: 1×1, value 27
        let ctc = try Fixtures.file("ctc_grad.safetensors")
        #expect(try ctc.int32("label_lengths").values == [10, 14, 4, 1])
        let labels = try ctc.int32("labels")
        #expect(labels.shape == [4, 14])
        #expect(Array(labels.values[0 ..< 14]) == [4, 2, 4, 6, 1, 2, 7, 1, 3, 5, -1, -1, -1, -1])
        #expect(throws: SafeTensorsError.self) { try ctc.float32("labels") }
        #expect(throws: SafeTensorsError.self) { try ctc.float32("no such tensor") }
    }

    @Test func truncationAtAnyOffsetIsAClearError() throws {
        let bytes = try Data(contentsOf: Fixtures.url("crnn_random.safetensors"))
        let headerEnd = 8 + Int(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var offsets = Array(0 ... 9) + [headerEnd - 1, headerEnd, headerEnd + 1, bytes.count - 1]
        offsets += stride(from: 100, to: bytes.count, by: 9_973)
        for length in offsets {
            let found = problem(bytes.prefix(length))
            switch found {
            case .shorterThanLengthPrefix: #expect(length < 8)
            case .headerLongerThanFile: #expect(length >= 8 && length < headerEnd)
            case .offsetsOutsideData: #expect(length >= headerEnd)
            default: Issue.record("truncated to \(length) bytes: \(String(describing: found))")
            }
        }
    }

    @Test func malformedHeadersNameTheProblem() {
        let four: [UInt8] = [0, 0, 128, 63]  // 1.0 as float32
        #expect(problem(rawFile(header: #"{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#, data: four + four))
            == .unsupportedDType("F64"))
        #expect(problem(rawFile(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]"#, data: four)).map {
            if case .headerNotJSON = $0 { true } else { false }
        } == true)
        #expect(problem(rawFile(header: "[1, 2]", data: [])) == .headerNotObject)
        #expect(problem(rawFile(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: four + four))
            == .byteCountMismatch(shape: [2], dtype: "F32", expected: 8, found: 4))
        #expect(problem(rawFile(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: four))
            == .offsetsOutsideData(begin: 4, end: 8, dataSize: 4))
        #expect(problem(rawFile(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: four, declaredLength: 1_000))
            == .headerLongerThanFile(headerLength: 1_000, bytesAfterPrefix: 58))  // 54 header bytes + 4 data bytes
        #expect(problem(rawFile(header: #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: four))
            == .badShape("dimensions must be non-negative integers"))
        #expect(problem(rawFile(header: #"{"a":{"dtype":"F32","shape":[1]}}"#, data: four)) == .missingField("data_offsets"))
        #expect(problem(rawFile(header: #"{"__metadata__":{"n":1}}"#, data: [])) == .metadataNotStrings)
    }

    @Test func overlappingDataIsRejectedNamingBothTensors() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#
        do {
            _ = try SafeTensorsFile(bytes: rawFile(header: header, data: [UInt8](repeating: 0, count: 8)), file: "x.safetensors")
            Issue.record("overlap accepted")
        } catch {
            #expect(error.problem == .overlaps(otherTensor: "a"))
            #expect(error.tensor == "b")
            #expect(error.description.contains("x.safetensors") && error.description.contains("\"b\""))
        }
    }

    @Test func writeThenReadGivesTheSameFile() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = SafeTensorsFile(
            tensors: [
                "w/kernel": StoredTensor(Tensor(shape: [2, 3], scalars: [1, -2, 3.5, .pi, -0.0, 1e-30])),
                "pixels": StoredTensor(shape: [3], data: .u8([0, 127, 255])),
                "labels": StoredTensor(shape: [2, 2], data: .i32([-1, 0, 7, .max])),
                "empty": StoredTensor(shape: [0, 4], data: .f32([])),
            ],
            metadata: ["format": "arqam-crnn-v1", "vocabulary": #"["[UNK]", "/"]"#])
        let url = folder.appendingPathComponent("round.safetensors")
        try original.write(to: url)
        #expect(try SafeTensorsFile(contentsOf: url) == original)
        // Nothing but the file itself is left in the folder (the temporary was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["round.safetensors"])
        // The header is padded to a multiple of 8 bytes, as the safetensors reference writer does.
        let bytes = try Data(contentsOf: url)
        #expect(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } % 8 == 0)
        // The fixture itself survives a round trip bit for bit in content.
        let fixture = try Fixtures.file("crnn_random.safetensors")
        try fixture.write(to: url)
        #expect(try SafeTensorsFile(contentsOf: url) == fixture)
    }

    @Test func failedWritesLeaveNoFile() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no/such/folder/w.safetensors")
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile().write(to: missing) }
        let reserved = SafeTensorsFile(tensors: ["__metadata__": StoredTensor(shape: [], data: .f32([1]))])
        let url = folder.appendingPathComponent("w.safetensors")
        #expect(throws: SafeTensorsError.self) { try reserved.write(to: url) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
