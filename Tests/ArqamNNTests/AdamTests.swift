import Foundation
import Testing
@testable import ArqamNN

@Suite struct AdamTests {
    /// Weights of 0.5 everywhere except dense2/bias[0]; gradients zero except that element.
    private func single(_ value: Float) -> CRNNWeights {
        var gradients = CRNNWeights.zeros
        gradients[.dense2Bias].scalars[0] = value
        return gradients
    }

    private var halves: CRNNWeights {
        var weights = CRNNWeights.zeros
        for index in weights.tensors.indices {
            weights.tensors[index].scalars = [Float](repeating: 0.5, count: weights.tensors[index].count)
        }
        return weights
    }

    @Test func twoStepsMatchTheKerasFormulaByHand() {
        var weights = halves
        var adam = Adam()
        // By hand (float64): step 1, g = 0.2: m = 0.02, v = 4e-5, α = 1e-3·√0.001/0.1,
        // w = 0.5 − m·α/(√v + 1e-7) = 0.49900001581…; step 2, g = −0.1: m = 0.008,
        // v = 4.996e-5, α = 1e-3·√(1 − 0.999²)/(1 − 0.9²), w = 0.49873368253…
        adam.update(&weights, gradients: single(0.2))
        #expect(abs(weights[.dense2Bias].scalars[0] - 0.499_000_015_811_138_3) < 1e-7)
        adam.update(&weights, gradients: single(-0.1))
        #expect(abs(weights[.dense2Bias].scalars[0] - 0.498_733_682_539_506_7) < 1e-7)
        #expect(adam.step == 2)
        #expect(abs(adam.m[.dense2Bias].scalars[0] - 0.008) < 1e-8)  // float32 rounding of 0.02 − 0.012
        // A zero gradient with zero moments leaves a weight exactly where it was.
        #expect(weights[.dense2Bias].scalars[1] == 0.5 && weights[.conv1Kernel].scalars[0] == 0.5)
    }

    @Test func globalNormClippingScalesTheGradients() {
        var weights = halves
        var adam = Adam(clipGlobalNorm: 0.1)
        adam.update(&weights, gradients: single(0.2))
        // Norm 0.2 > 0.1: the step is the one for g = 0.1 (by hand: 0.49900003162…).
        #expect(abs(weights[.dense2Bias].scalars[0] - 0.499_000_031_621_776_6) < 1e-7)
        #expect(Adam.globalNorm(single(0.2)) == Double(Float(0.2)))
    }

    @Test func stateRestoresExactlyThroughAFile() throws {
        var weights = CRNNWeights.kerasInitialised(seed: 3)
        var adam = Adam()
        let gradients = CRNNWeights.kerasInitialised(seed: 4)
        adam.update(&weights, gradients: gradients)
        adam.update(&weights, gradients: gradients)

        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("state.safetensors")
        try SafeTensorsFile(tensors: adam.stateTensors).write(to: url)
        var restored = try Adam(restoring: try SafeTensorsFile(contentsOf: url).tensors)
        #expect(restored == adam)

        var copy = weights
        adam.update(&weights, gradients: gradients)
        restored.update(&copy, gradients: gradients)
        #expect(copy == weights)
    }

    @Test func restoringNamesWhatIsMissing() {
        var tensors = Adam().stateTensors
        tensors["adam/v/dense1/bias"] = nil
        #expect(throws: CRNNWeightsError.missingTensor("adam/v/dense1/bias", file: "c")) { try Adam(restoring: tensors, file: "c") }
    }
}
