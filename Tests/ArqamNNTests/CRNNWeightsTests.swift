import Foundation
import Testing
@testable import ArqamNN

@Suite struct CRNNWeightsTests {
    @Test func loadsTheKerasFixtureByName() throws {
        let weights = try CRNNWeights(contentsOf: Fixtures.url("crnn_random.safetensors"))
        #expect(weights.tensors.map(\.count).reduce(0, +) == CRNNWeights.parameterCount)
        #expect(weights.metadata["width"] == "200")
        #expect(weights[.lstm2BackwardRecurrentKernel].shape == [64, 256])
        let file = try Fixtures.file("crnn_random.safetensors")
        #expect(weights[.dense1Kernel] == (try file.float32("dense1/kernel")))
    }

    @Test func missingOrMisshapenTensorsAreNamed() throws {
        var named: [String: Tensor] = [:]
        for name in CRNNWeights.Name.allCases { named[name.key] = Tensor(zeros: name.shape) }
        named["dense2/bias"] = nil
        #expect(throws: CRNNWeightsError.missingTensor("dense2/bias", file: "w")) { try CRNNWeights(tensors: named, file: "w") }
        named["dense2/bias"] = Tensor(zeros: [12])
        let error = CRNNWeightsError.wrongShape("dense2/bias", expected: [13], found: [12], file: "w")
        #expect(throws: error) { try CRNNWeights(tensors: named, file: "w") }
        #expect(error.description.contains("dense2/bias") && error.description.contains("[13]") && error.description.contains("[12]"))
    }

    @Test func saveAndLoadRoundTrip() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("w.safetensors")
        var weights = CRNNWeights.kerasInitialised(seed: 7)
        weights.metadata = ["format": "arqam-crnn-v1"]
        try weights.save(to: url)
        #expect(try CRNNWeights(contentsOf: url) == weights)
        try weights.save(to: url, metadata: ["temperature": "1.5"])
        #expect(try CRNNWeights(contentsOf: url).metadata == ["temperature": "1.5"])
    }

    @Test func kerasInitialisationHasKerasStatistics() {
        let weights = CRNNWeights.kerasInitialised(seed: 1)
        #expect(weights == CRNNWeights.kerasInitialised(seed: 1))
        #expect(weights != CRNNWeights.kerasInitialised(seed: 2))
        #expect(weights.tensors.map(\.count).reduce(0, +) == CRNNWeights.parameterCount)

        // he_normal: standard deviation √(2/fan_in), fan_in = 3·3·32 = 288; nothing past
        // 2σ′ = 2·√(2/288)/0.8796. 18,432 samples give the std to about ±1 %.
        let conv2 = weights[.conv2Kernel].scalars
        let std = (conv2.reduce(0) { $0 + Double($1 * $1) } / Double(conv2.count)).squareRoot()
        #expect(abs(std / (2.0 / 288).squareRoot() - 1) < 0.05)
        #expect(maxAbs(conv2) <= Float(2 * (2.0 / 288).squareRoot() / 0.8796256610342398) + 1e-6)

        // glorot_uniform: inside ±√(6/(fan_in + fan_out)), and reaching near the bound.
        let limit = Float((6.0 / Double(768 + 64)).squareRoot())
        #expect(maxAbs(weights[.dense1Kernel].scalars) <= limit && maxAbs(weights[.dense1Kernel].scalars) > 0.99 * limit)

        // Orthogonal recurrent kernels: U·Uᵀ = I (rows orthonormal).
        for name in [CRNNWeights.Name.lstm2BackwardRecurrentKernel] {
            let (rows, columns) = (name.shape[0], name.shape[1])
            let u = weights[name].scalars
            var worst: Float = 0
            for a in 0 ..< rows {
                for b in 0 ..< rows {
                    var dot: Float = 0
                    for k in 0 ..< columns { dot += u[a * columns + k] * u[b * columns + k] }
                    worst = max(worst, abs(dot - (a == b ? 1 : 0)))
                }
            }
            #expect(worst < 1e-5)
        }

        // Biases: zero, except the LSTM forget blocks, as in the Keras fixture (README section 2).
        let keras = try? CRNNWeights(contentsOf: Fixtures.url("crnn_random.safetensors"))
        for name in [CRNNWeights.Name.conv1Bias, .conv2Bias, .dense1Bias, .dense2Bias, .lstm1ForwardBias, .lstm2BackwardBias] {
            #expect(weights[name] == keras?[name])
        }
    }
}
