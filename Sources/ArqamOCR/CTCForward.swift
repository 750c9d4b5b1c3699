import Foundation

/// Connectionist temporal classification over row-major `[steps × classes]` score arrays.
///
/// The last class is the CTC blank (the Keras convention, class 12 of `Alphabet`), and
/// `Alphabet.unknown` (class 0) is `[UNK]`, which the model may predict but never writes.
/// Every accumulation runs in log space with `Double`, whatever the length of the input.
public enum CTC {
    /// `log P(label | logits)`: the probability of `label` summed over every CTC alignment
    /// (forward algorithm), with the per-step distributions `softmax(logits / temperature)`.
    ///
    /// A label the steps cannot hold (it needs one step per class plus a blank between equal
    /// neighbours) or that contains the blank or an unknown class index has probability 0:
    /// the result is `-infinity`, never NaN. `temperature` must be positive and finite
    /// (callers validate values read from files).
    public static func logProbability(
        of label: [Int], logits: UnsafeBufferPointer<Float>, steps: Int, classes: Int, temperature: Double = 1
    ) -> Double {
        precondition(logits.count == steps * classes && classes >= 2, "logits hold \(logits.count) values, not \(steps) × \(classes)")
        precondition(temperature > 0 && temperature.isFinite, "temperature must be positive and finite, not \(temperature)")
        guard CTCLabel.problem(label, steps: steps, classes: classes) == nil else { return -.infinity }
        guard steps > 0 else { return 0 }  // no steps and an empty label: the one empty alignment
        let lattice = CTCLabel(label, blank: classes - 1)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: steps * classes) { logProbabilities in
            CTC.logSoftmaxRows(logits, steps: steps, classes: classes, temperature: temperature, into: logProbabilities)
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: steps * lattice.stateCount) { alpha in
                lattice.forward(UnsafeBufferPointer(logProbabilities), steps: steps, classes: classes, alpha: alpha)
            }
        }
    }

    public static func logProbability(
        of label: [Int], logits: [Float], steps: Int, classes: Int, temperature: Double = 1
    ) -> Double {
        logits.withUnsafeBufferPointer {
            logProbability(of: label, logits: $0, steps: steps, classes: classes, temperature: temperature)
        }
    }

    /// Why no alignment of `steps` steps spells `label`, or nil when some does.
    public static func problem(with label: [Int], steps: Int, classes: Int) -> CTCLabelProblem? {
        CTCLabel.problem(label, steps: steps, classes: classes)
    }

    /// `log(exp(a) + exp(b))`, exact when either side is `-infinity`.
    @inline(__always)
    static func logAddExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
    }

    /// `log_softmax(logits[t] / temperature)` for every step, in `Double`.
    static func logSoftmaxRows(
        _ logits: UnsafeBufferPointer<Float>, steps: Int, classes: Int, temperature: Double,
        into output: UnsafeMutableBufferPointer<Double>
    ) {
        let inverse = 1 / temperature
        for t in 0..<steps {
            let row = t * classes
            var largest = -Double.infinity
            for k in 0..<classes {
                let scaled = Double(logits[row + k]) * inverse
                output[row + k] = scaled
                largest = max(largest, scaled)
            }
            var sum = 0.0
            for k in 0..<classes { sum += exp(output[row + k] - largest) }
            let normaliser = largest + log(sum)
            for k in 0..<classes { output[row + k] -= normaliser }
        }
    }
}

/// Why a label has probability zero under CTC, whatever the scores.
public enum CTCLabelProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The label needs `required` steps (one per class, plus a blank between equal neighbours).
    case needsMoreSteps(required: Int, available: Int)
    /// The class at `position` is the blank or outside `0 ..< classes`.
    case invalidClass(position: Int, classIndex: Int)

    public var description: String {
        switch self {
        case let .needsMoreSteps(required, available):
            return "the label needs \(required) time steps but the model has \(available); shorten the label or drop the image"
        case let .invalidClass(position, classIndex):
            return "class \(classIndex) at position \(position + 1) of the label is the blank or not a class of the model"
        }
    }
}

/// A label laid out for the CTC lattice: `l' = (b, l₁, b, l₂, …, b, l_L, b)`, S = 2L + 1 states.
struct CTCLabel {
    let states: [Int]
    /// Whether state s may be entered from s − 2 (a label class different from the one two back).
    let canSkip: [Bool]
    var stateCount: Int { states.count }

    init(_ label: [Int], blank: Int) {
        var states = [blank]
        states.reserveCapacity(2 * label.count + 1)
        for classIndex in label {
            states.append(classIndex)
            states.append(blank)
        }
        self.states = states
        canSkip = states.indices.map { s in s >= 2 && states[s] != blank && states[s] != states[s - 2] }
    }

    static func minimumSteps(_ label: [Int]) -> Int {
        label.count + zip(label, label.dropFirst()).filter { $0 == $1 }.count
    }

    static func problem(_ label: [Int], steps: Int, classes: Int) -> CTCLabelProblem? {
        if let position = label.firstIndex(where: { $0 < 0 || $0 >= classes - 1 }) {
            return .invalidClass(position: position, classIndex: label[position])
        }
        let required = minimumSteps(label)
        return required > steps ? .needsMoreSteps(required: required, available: steps) : nil
    }

    /// Fills `alpha[t·S + s]` (log probability of the prefix alignments ending in state s at
    /// step t, including step t) and returns `log P(label)`. Needs `steps ≥ 1`.
    func forward(
        _ logProbabilities: UnsafeBufferPointer<Double>, steps: Int, classes: Int,
        alpha: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        let count = stateCount
        for s in 0..<count { alpha[s] = s < 2 ? logProbabilities[states[s]] : -.infinity }
        for t in 1..<steps {
            let row = t * count, previous = row - count, scores = t * classes
            for s in 0..<count {
                var sum = alpha[previous + s]
                if s >= 1 { sum = CTC.logAddExp(sum, alpha[previous + s - 1]) }
                if canSkip[s] { sum = CTC.logAddExp(sum, alpha[previous + s - 2]) }
                alpha[row + s] = sum + logProbabilities[scores + states[s]]
            }
        }
        let last = (steps - 1) * count
        return CTC.logAddExp(alpha[last + count - 1], count >= 2 ? alpha[last + count - 2] : -.infinity)
    }

    /// Fills `beta[t·S + s]` (log probability of the suffix alignments from state s at step t,
    /// including step t), the mirror of `forward`.
    func backward(
        _ logProbabilities: UnsafeBufferPointer<Double>, steps: Int, classes: Int,
        beta: UnsafeMutableBufferPointer<Double>
    ) {
        let count = stateCount
        let last = (steps - 1) * count
        for s in 0..<count {
            beta[last + s] = s >= count - 2 ? logProbabilities[(steps - 1) * classes + states[s]] : -.infinity
        }
        for t in stride(from: steps - 2, through: 0, by: -1) {
            let row = t * count, next = row + count, scores = t * classes
            for s in 0..<count {
                var sum = beta[next + s]
                if s + 1 < count { sum = CTC.logAddExp(sum, beta[next + s + 1]) }
                if s + 2 < count && canSkip[s + 2] { sum = CTC.logAddExp(sum, beta[next + s + 2]) }
                beta[row + s] = sum + logProbabilities[scores + states[s]]
            }
        }
    }
}
