@testable import ArqamReview
import ArqamData
import ArqamOCR
import Foundation

/// A picture like a scanned field: light paper with a little noise and dark seven-segment
/// digits "2024/05" — made here so the art tests need no image decoder.
func samplePicture() -> ModelPicture {
    var values = [Float](repeating: 0, count: ModelPicture.width * ModelPicture.height)
    var seed: UInt32 = 12345
    for index in values.indices {
        // Numerical Recipes' LCG: deterministic noise of ±0.04 on 0.92 paper.
        seed = seed &* 1_664_525 &+ 1_013_904_223
        values[index] = 0.92 + (Float(seed >> 8) / Float(1 << 24) - 0.5) * 0.08
    }
    func ink(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        for x in x0..<x1 { for y in y0..<y1 { values[x * ModelPicture.height + y] = 0.1 } }
    }
    // Segments of a 16 × 30 digit cell: a top, b upper right, c lower right, d bottom,
    // e lower left, f upper left, g middle.
    let segments: [Character: String] = ["0": "abcdef", "2": "abdeg", "4": "bcfg", "5": "acdfg"]
    var left = 12
    for character in "2024/05" {
        if character == "/" {
            for step in 0..<30 { ink(left + 14 - step / 2, 10 + step, left + 17 - step / 2, 11 + step) }
        } else {
            for segment in segments[character] ?? "" {
                switch segment {
                case "a": ink(left, 10, left + 16, 13)
                case "b": ink(left + 13, 10, left + 16, 25)
                case "c": ink(left + 13, 25, left + 16, 40)
                case "d": ink(left, 37, left + 16, 40)
                case "e": ink(left, 25, left + 3, 40)
                case "f": ink(left, 10, left + 3, 25)
                default: ink(left, 24, left + 16, 27)
                }
            }
        }
        left += 25
    }
    return ModelPicture(values: values)!
}

/// A reading whose trace writes `text` one character every few steps, blanks between.
func sampleReading(_ text: String, confidence: Double, alternatives: [(String, Double)] = []) -> Reading {
    var trace = [Int](repeating: Alphabet.blank, count: ModelPicture.steps)
    for (offset, character) in text.enumerated() where 3 + offset * 6 + 1 < trace.count {
        let classIndex = Alphabet.classIndex(of: character) ?? Alphabet.unknown
        trace[3 + offset * 6] = classIndex
        trace[3 + offset * 6 + 1] = classIndex
    }
    let alternativeList = [Alternative(text: text, confidence: confidence)]
        + alternatives.map { Alternative(text: $0.0, confidence: $0.1) }
    return Reading(text: text, confidence: confidence, trace: trace, alternatives: alternativeList)
}

let sessionStart = Date(timeIntervalSince1970: 1_790_000_000)

func decision(_ id: Int64, _ path: String, _ status: ReviewStatus, label: String? = nil,
              at seconds: Double = 60) -> ReviewDecision {
    ReviewDecision(id: id, draft: DecisionDraft(path: path, contentHash: "h-\(path)", status: status, label: label,
                                                prediction: nil, confidence: nil, modelID: "m"),
                   decidedAt: sessionStart.addingTimeInterval(seconds), station: "test", withdrawnAt: nil)
}

/// Six images: four read with different confidences, one still being read, one the model
/// could not read; the first two were decided in an earlier session.
func sampleState() -> StationState {
    let files = [
        QueueItem(path: "0001.png", modifiedNanoseconds: 1, reading: sampleReading("2024/05/13", confidence: 0.99)),
        QueueItem(path: "0002.png", modifiedNanoseconds: 2, reading: sampleReading("1987", confidence: 0.97)),
        QueueItem(path: "0031.png", modifiedNanoseconds: 3, reading: sampleReading("2024/05", confidence: 0.41,
            alternatives: [("2024/06", 0.21), ("2021/05", 0.09), ("224/05", 0.05)])),
        QueueItem(path: "0032.png", modifiedNanoseconds: 6, reading: sampleReading("3301", confidence: 0.55)),
        QueueItem(path: "0040-very-long-scanner-name.png", modifiedNanoseconds: 5),
        QueueItem(path: "0041.png", modifiedNanoseconds: 4, reading: sampleReading("771", confidence: 0.93)),
    ]
    let history = [
        HistoryEntry(decisionID: 1, path: "0001.png", status: .accepted, label: "2024/05/13", thisSession: false),
        HistoryEntry(decisionID: 2, path: "0002.png", status: .corrected, label: "1981", thisSession: false),
    ]
    var state = StationState(queueName: "inbox", modelName: "2026-11", files: files, history: history, startedAt: sessionStart)
    _ = state.apply(.pictureLoaded(path: "0031.png", .loaded(samplePicture())))
    return state
}

/// Applies actions in turn, returning the effects of the last.
@discardableResult
func send(_ state: inout StationState, _ actions: StationAction...) -> [StationEffect] {
    send(&state, actions)
}

@discardableResult
func send(_ state: inout StationState, _ actions: [StationAction]) -> [StationEffect] {
    var effects: [StationEffect] = []
    for action in actions { effects = state.apply(action) }
    return effects
}

func keys(_ text: String) -> [StationAction] { text.map { .key(.character($0)) } }
