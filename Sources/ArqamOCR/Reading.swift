/// What the model read in one image.
public struct Reading: Sendable, Equatable {
    /// The greedy CTC decoding, Western digits and `/`.
    public var text: String
    /// The calibrated probability of `text` under the model, summed over all CTC alignments.
    public var confidence: Double
    /// The per-step argmax class (50 steps, each covering 4 pixel columns of the input).
    public var trace: [Int]
    /// N-best strings from the CTC prefix beam search, most probable first.
    public var alternatives: [Alternative]
    /// The softmax rows, time-major [steps × classes], when asked for.
    public var probabilities: [Float]?

    public init(text: String, confidence: Double, trace: [Int], alternatives: [Alternative], probabilities: [Float]? = nil) {
        self.text = text
        self.confidence = confidence
        self.trace = trace
        self.alternatives = alternatives
        self.probabilities = probabilities
    }

    /// One symbol per time step: the character of the step's class, `-` for the blank and `[UNK]`.
    public var traceString: String {
        String(trace.map { Alphabet.character(of: $0) ?? "-" })
    }
}

public struct Alternative: Sendable, Equatable {
    public var text: String
    public var confidence: Double

    public init(text: String, confidence: Double) {
        self.text = text
        self.confidence = confidence
    }
}
