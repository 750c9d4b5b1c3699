import Foundation

/// Which per-step log probabilities the CTC loss is taken on (reference README, section 6).
public enum CTCLossConvention: Sendable, Equatable {
    /// Keras `ctc_batch_cost` on softmax probabilities, as the original training recipe:
    /// `y = log_softmax(log(softmax(z) + 1e-7))`. The ε caps `−log p` near 16.1, which keeps a
    /// confident model's loss and gradient bounded on a wrong label.
    case kerasBatchCost
    /// Plain CTC on `log_softmax(z)`.
    case exact

    static let kerasEpsilon = 1e-7
}

/// One sample's CTC loss and its gradient with respect to the logits.
public struct CTCLossResult: Sendable, Equatable {
    /// `−log P(label | logits)`; `+infinity` when the label is impossible.
    public var loss: Double
    /// `∂loss/∂logits`, row-major `[steps × classes]`; all zero when the label is impossible.
    public var gradient: [Float]
    /// Why the label is impossible, or nil.
    public var problem: CTCLabelProblem?
}

public enum CTCLoss {
    /// The CTC loss of one sample and its gradient with respect to its logits.
    public static func compute(
        logits: [Float], steps: Int, classes: Int, label: [Int], convention: CTCLossConvention = .kerasBatchCost
    ) -> CTCLossResult {
        var gradient = [Float](repeating: 0, count: logits.count)
        let (loss, problem) = logits.withUnsafeBufferPointer { logits in
            gradient.withUnsafeMutableBufferPointer { gradient in
                compute(logits: logits, steps: steps, classes: classes, label: label, convention: convention, gradient: gradient)
            }
        }
        return CTCLossResult(loss: loss, gradient: gradient, problem: problem)
    }

    /// The CTC loss of one sample; writes `gradientScale · ∂loss/∂logits` into `gradient`
    /// (e.g. a scale of 1/batch for the gradient of the batch mean), or zeros and returns an
    /// infinite loss with the problem when the label is impossible.
    public static func compute(
        logits: UnsafeBufferPointer<Float>, steps: Int, classes: Int, label: [Int],
        convention: CTCLossConvention = .kerasBatchCost, gradientScale: Float = 1,
        gradient: UnsafeMutableBufferPointer<Float>
    ) -> (loss: Double, problem: CTCLabelProblem?) {
        precondition(logits.count == steps * classes && classes >= 2, "logits hold \(logits.count) values, not \(steps) × \(classes)")
        precondition(gradient.count == logits.count, "the gradient needs \(logits.count) values, not \(gradient.count)")
        if let problem = CTCLabel.problem(label, steps: steps, classes: classes) {
            gradient.update(repeating: 0)
            return (.infinity, problem)
        }
        guard steps > 0 else { return (0, nil) }
        let lattice = CTCLabel(label, blank: classes - 1)
        let cells = steps * classes, latticeCells = steps * lattice.stateCount
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * cells + 2 * latticeCells) { workspace in
            let base = workspace.baseAddress!
            let probabilities = UnsafeMutableBufferPointer(start: base, count: cells)
            let logProbabilities = UnsafeMutableBufferPointer(start: base + cells, count: cells)
            let posterior = UnsafeMutableBufferPointer(start: base + 2 * cells, count: cells)
            let alpha = UnsafeMutableBufferPointer(start: base + 3 * cells, count: latticeCells)
            let beta = UnsafeMutableBufferPointer(start: base + 3 * cells + latticeCells, count: latticeCells)

            CTC.logSoftmaxRows(logits, steps: steps, classes: classes, temperature: 1, into: logProbabilities)
            for i in 0..<cells { probabilities[i] = exp(logProbabilities[i]) }
            if convention == .kerasBatchCost {
                // The model's probabilities, shifted by ε, become the logits of a second softmax.
                for i in 0..<cells { logProbabilities[i] = log(probabilities[i] + CTCLossConvention.kerasEpsilon) }
                for t in 0..<steps {
                    let row = UnsafeMutableBufferPointer(rebasing: logProbabilities[(t * classes)..<((t + 1) * classes)])
                    var sum = 0.0
                    for value in row { sum += exp(value) }
                    let normaliser = log(sum)
                    for k in row.indices { row[k] -= normaliser }
                }
            }
            let scores = UnsafeBufferPointer(logProbabilities)
            let logLikelihood = lattice.forward(scores, steps: steps, classes: classes, alpha: alpha)
            lattice.backward(scores, steps: steps, classes: classes, beta: beta)
            lattice.posterior(
                alpha: UnsafeBufferPointer(alpha), beta: UnsafeBufferPointer(beta), logProbabilities: scores,
                logLikelihood: logLikelihood, steps: steps, classes: classes, into: posterior)

            for t in 0..<steps {
                let row = t * classes
                switch convention {
                case .exact:
                    for k in 0..<classes {
                        gradient[row + k] = gradientScale * Float(probabilities[row + k] - posterior[row + k])
                    }
                case .kerasBatchCost:
                    // ∂L/∂p = (q − γ) / (p + ε), q = exp(y); then back through the softmax.
                    var weighted = 0.0
                    for k in 0..<classes {
                        let p = probabilities[row + k]
                        let g = (exp(logProbabilities[row + k]) - posterior[row + k]) / (p + CTCLossConvention.kerasEpsilon)
                        posterior[row + k] = g
                        weighted += p * g
                    }
                    for k in 0..<classes {
                        gradient[row + k] = gradientScale * Float(probabilities[row + k] * (posterior[row + k] - weighted))
                    }
                }
            }
            return (-logLikelihood, nil)
        }
    }
}

extension CTCLabel {
    /// `γ_t(k)`: the posterior probability that step t emits class k, given the label.
    func posterior(
        alpha: UnsafeBufferPointer<Double>, beta: UnsafeBufferPointer<Double>,
        logProbabilities: UnsafeBufferPointer<Double>, logLikelihood: Double,
        steps: Int, classes: Int, into posterior: UnsafeMutableBufferPointer<Double>
    ) {
        posterior.update(repeating: 0)
        let count = stateCount
        for t in 0..<steps {
            for s in 0..<count {
                let cell = t * count + s
                // α and β both include step t's own score; take it out once.
                let logOccupancy = alpha[cell] + beta[cell] - logProbabilities[t * classes + states[s]] - logLikelihood
                if logOccupancy > -.infinity { posterior[t * classes + states[s]] += exp(logOccupancy) }
            }
        }
    }
}
