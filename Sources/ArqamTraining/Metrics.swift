import ArqamOCR

/// One evaluated image: its true label, what the model read, and the model's confidence (0…1).
public struct EvaluatedReading: Sendable, Equatable {
    public var label: String
    public var predicted: String
    public var confidence: Double

    public init(label: String, predicted: String, confidence: Double) {
        self.label = label
        self.predicted = predicted
        self.confidence = confidence
    }

    /// Texts compare by character, Arabic-Indic and Persian digits as their Western digit.
    var labelCharacters: [Character] { label.map { Alphabet.westernDigit($0) ?? $0 } }
    var predictedCharacters: [Character] { predicted.map { Alphabet.westernDigit($0) ?? $0 } }
}

/// Accuracy, character error rate, calibration, coverage and confusions of a set of readings.
public struct EvaluationMetrics: Sendable, Equatable {
    public let imageCount: Int
    /// Images whose reading equals the label exactly.
    public let correctCount: Int
    /// Σ Levenshtein distance between label and reading.
    public let characterErrors: Int
    /// Σ label length.
    public let labelCharacterCount: Int
    /// Equal-width confidence bins over [0, 1], the last one closed.
    public let calibrationBins: [CalibrationBin]
    public let coverage: Coverage
    public let confusion: ConfusionTable

    public init(_ readings: [EvaluatedReading], targetPrecision: Double = 0.995, binCount: Int = 10) {
        precondition(binCount >= 1 && (0...1).contains(targetPrecision), "need at least one bin and a precision in 0…1")
        imageCount = readings.count
        var correct = 0, errors = 0, characters = 0
        var bins = (0..<binCount).map { CalibrationBin(range: Double($0) / Double(binCount)...Double($0 + 1) / Double(binCount)) }
        var confusion = ConfusionTable()
        var ranked: [(confidence: Double, isCorrect: Bool)] = []
        ranked.reserveCapacity(readings.count)
        for reading in readings {
            let label = reading.labelCharacters, predicted = reading.predictedCharacters
            let isCorrect = label == predicted
            let alignment = EditAlignment(label, predicted)
            correct += isCorrect ? 1 : 0
            errors += alignment.distance
            characters += label.count
            confusion.add(alignment)
            // A NaN confidence counts as 0; values outside 0…1 go to the end bins.
            let confidence = reading.confidence.isNaN ? 0 : min(max(reading.confidence, 0), 1)
            bins[min(Int(confidence * Double(binCount)), binCount - 1)].add(confidence: confidence, isCorrect: isCorrect)
            ranked.append((confidence, isCorrect))
        }
        correctCount = correct
        characterErrors = errors
        labelCharacterCount = characters
        calibrationBins = bins
        self.confusion = confusion
        coverage = Coverage(ranked, targetPrecision: targetPrecision)
    }

    /// Fraction of images read exactly; nil without images.
    public var sequenceAccuracy: Double? {
        imageCount == 0 ? nil : Double(correctCount) / Double(imageCount)
    }

    /// Σ edit distance / Σ label length; nil when the labels hold no character.
    public var characterErrorRate: Double? {
        labelCharacterCount == 0 ? nil : Double(characterErrors) / Double(labelCharacterCount)
    }

    /// Σ_bins |bin| / n · |accuracy − mean confidence|; nil without images.
    public var expectedCalibrationError: Double? {
        guard imageCount > 0 else { return nil }
        return calibrationBins.map { abs(Double($0.correctCount) - $0.confidenceSum) }.reduce(0, +) / Double(imageCount)
    }
}

public struct CalibrationBin: Sendable, Equatable {
    public let range: ClosedRange<Double>
    public private(set) var count = 0
    public private(set) var correctCount = 0
    public private(set) var confidenceSum = 0.0

    init(range: ClosedRange<Double>) { self.range = range }

    mutating func add(confidence: Double, isCorrect: Bool) {
        count += 1
        correctCount += isCorrect ? 1 : 0
        confidenceSum += confidence
    }

    public var accuracy: Double? { count == 0 ? nil : Double(correctCount) / Double(count) }
    public var meanConfidence: Double? { count == 0 ? nil : confidenceSum / Double(count) }
}

/// The largest share of images that can be accepted automatically, most confident first, while
/// the accepted ones stay at least `targetPrecision` correct. Images of equal confidence are
/// accepted or refused together, since no threshold can separate them.
public struct Coverage: Sendable, Equatable {
    public let targetPrecision: Double
    public let acceptedCount: Int
    public let imageCount: Int
    /// The lowest accepted confidence (accept when confidence ≥ threshold); nil when none is accepted.
    public let threshold: Double?
    public let acceptedCorrectCount: Int

    public var fraction: Double? { imageCount == 0 ? nil : Double(acceptedCount) / Double(imageCount) }

    init(_ ranked: [(confidence: Double, isCorrect: Bool)], targetPrecision: Double) {
        self.targetPrecision = targetPrecision
        imageCount = ranked.count
        let sorted = ranked.sorted { $0.confidence > $1.confidence }
        var best: (accepted: Int, correct: Int, threshold: Double?) = (0, 0, nil)
        var correct = 0
        for (index, item) in sorted.enumerated() {
            correct += item.isCorrect ? 1 : 0
            let accepted = index + 1
            let endsGroup = accepted == sorted.count || sorted[accepted].confidence != item.confidence
            // The tolerance keeps exact ratios such as 199/200 = 99.5 % from failing on rounding.
            if endsGroup && Double(correct) >= targetPrecision * Double(accepted) - 1e-9 {
                best = (accepted, correct, item.confidence)
            }
        }
        acceptedCount = best.accepted
        acceptedCorrectCount = best.correct
        threshold = best.threshold
    }
}

/// Character confusions over the alphabet's classes (0 `[UNK]` stands for any other character),
/// from a minimum-edit alignment of each label with its reading.
public struct ConfusionTable: Sendable, Equatable {
    public static let classCount = Alphabet.vocabulary.count
    /// `aligned[labelClass][predictedClass]`: aligned pairs; the diagonal holds the correct ones.
    public private(set) var aligned = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
    /// Label characters the reading missed, per class.
    public private(set) var deletions = [Int](repeating: 0, count: classCount)
    /// Characters the reading added, per class.
    public private(set) var insertions = [Int](repeating: 0, count: classCount)

    public var substitutionCount: Int {
        aligned.indices.map { row in aligned[row].indices.filter { $0 != row }.map { aligned[row][$0] }.reduce(0, +) }.reduce(0, +)
    }

    static func classIndex(_ character: Character) -> Int {
        Alphabet.classIndex(of: character) ?? Alphabet.unknown
    }

    mutating func add(_ alignment: EditAlignment) {
        for step in alignment.steps {
            switch step {
            case let .pair(label, predicted): aligned[Self.classIndex(label)][Self.classIndex(predicted)] += 1
            case let .deletion(label): deletions[Self.classIndex(label)] += 1
            case let .insertion(predicted): insertions[Self.classIndex(predicted)] += 1
            }
        }
    }
}

/// A minimum-edit (Levenshtein) alignment of a label with a reading. Among equally short
/// alignments the backtrace prefers pairing characters, then deletions, then insertions.
struct EditAlignment {
    enum Step: Equatable {
        case pair(Character, Character)
        case deletion(Character)
        case insertion(Character)
    }

    let distance: Int
    let steps: [Step]

    init(_ label: [Character], _ predicted: [Character]) {
        let rows = label.count + 1, columns = predicted.count + 1
        // cost[i][j]: edits turning label[..<i] into predicted[..<j].
        var cost = [Int](repeating: 0, count: rows * columns)
        for i in 0..<rows { cost[i * columns] = i }
        for j in 0..<columns { cost[j] = j }
        for i in 1..<rows {
            for j in 1..<columns {
                let substitution = cost[(i - 1) * columns + j - 1] + (label[i - 1] == predicted[j - 1] ? 0 : 1)
                cost[i * columns + j] = min(substitution, cost[(i - 1) * columns + j] + 1, cost[i * columns + j - 1] + 1)
            }
        }
        distance = cost[rows * columns - 1]
        var steps: [Step] = []
        var i = label.count, j = predicted.count
        while i > 0 || j > 0 {
            let here = cost[i * columns + j]
            if i > 0 && j > 0 && here == cost[(i - 1) * columns + j - 1] + (label[i - 1] == predicted[j - 1] ? 0 : 1) {
                steps.append(.pair(label[i - 1], predicted[j - 1]))
                i -= 1
                j -= 1
            } else if i > 0 && here == cost[(i - 1) * columns + j] + 1 {
                steps.append(.deletion(label[i - 1]))
                i -= 1
            } else {
                steps.append(.insertion(predicted[j - 1]))
                j -= 1
            }
        }
        self.steps = steps.reversed()
    }
}
