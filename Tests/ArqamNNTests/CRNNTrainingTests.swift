import Testing
@testable import ArqamNN

/// Training-mode behaviour the Keras fixtures cannot show (they use inference mode):
/// dropout masks, their backward, and determinism.
@Suite struct CRNNTrainingTests {
    static let inputs: [Float] = {
        var random = SeededRandom(seed: 31)
        return (0 ..< 2 * CRNNShape.inputSize).map { _ in Float(random.nextFloat()) }
    }()

    @Test func dropoutMasksFollowTheSeedNotTheThreads() {
        let weights = CRNNWeights.kerasInitialised(seed: 32)
        let one = CRNN(weights: weights, threads: 1), two = CRNN(weights: weights, threads: 2)
        let a = one.forwardForTraining(inputs: Self.inputs, batch: 2, dropoutSeed: 7).logits
        let b = two.forwardForTraining(inputs: Self.inputs, batch: 2, dropoutSeed: 7).logits
        let c = one.forwardForTraining(inputs: Self.inputs, batch: 2, dropoutSeed: 8).logits
        let inference = one.logits(inputs: Self.inputs, batch: 2)
        // Threads 1 and 2 split this batch differently; the masks (drawn per image) agree,
        // so only float32 rounding of the batched products separates the logits.
        #expect(maxAbsDifference(a, b) < 1e-5)
        #expect(a == one.forwardForTraining(inputs: Self.inputs, batch: 2, dropoutSeed: 7).logits)
        #expect(maxAbsDifference(a, c) > 1e-3)
        #expect(maxAbsDifference(a, inference) > 1e-3)
        #expect(one.forwardForTraining(inputs: Self.inputs, batch: 2, dropoutSeed: nil).logits == inference)
    }

    /// Finite differences through the whole model with dropout on (the same seed, so the
    /// same masks, on both sides), for entries of every tensor after the convolutions.
    /// Float32 model, loss Σ r·logits in Double, h = 1e-2; see GradientCheck.swift for
    /// the error budget. The convolutions are left out: a step there can cross a ReLU or
    /// max-pool decision somewhere in 20,000 activations.
    @Test func backwardWithDropoutMatchesFiniteDifferences() {
        let weights = CRNNWeights.kerasInitialised(seed: 33)
        var random = SeededRandom(seed: 34)
        let r = randomArray(2 * CRNNShape.outputSize, &random)
        func loss(_ weights: CRNNWeights) -> Double {
            dot(r, CRNN(weights: weights, threads: 1).forwardForTraining(inputs: Self.inputs, batch: 2, dropoutSeed: 9).logits)
        }
        let model = CRNN(weights: weights, threads: 2)
        let gradients = model.backward(model.forwardForTraining(inputs: Self.inputs, batch: 2, dropoutSeed: 9), dLogits: r)
        let names = CRNNWeights.Name.allCases.filter { $0.rawValue >= CRNNWeights.Name.dense1Kernel.rawValue }
        for name in names {
            let largest = maxAbs(gradients[name].scalars)
            // The largest gradient entry of the tensor, where errors would show most.
            let indices = gradients[name].scalars.indices.sorted { abs(gradients[name].scalars[$0]) > abs(gradients[name].scalars[$1]) }.prefix(1)
            for index in indices {
                var plus = weights, minus = weights
                plus[name].scalars[index] += 1e-2
                minus[name].scalars[index] -= 1e-2
                let numeric = Float((loss(plus) - loss(minus)) / 2e-2)
                #expect(abs(numeric - gradients[name].scalars[index]) <= 2e-3 * largest + 2e-4,
                        "\(name.key)[\(index)]: numeric \(numeric), analytic \(gradients[name].scalars[index])")
            }
        }
    }
}
