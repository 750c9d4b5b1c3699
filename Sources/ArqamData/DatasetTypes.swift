import ArqamOCR
import Foundation

/// A dataset folder that cannot be read or written at all (a bad line is a `DatasetProblem`,
/// not an error: the line is skipped and the rest is read).
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    case folderMissing(URL)
    case labelsMissing(URL)
    case unreadable(URL, reason: String)
    case notWritable(URL, reason: String)
    case diskFull(URL)
    case invalidPath(String, reason: String)
    case invalidLabel(String, reason: String)
    case invalidColumn(String)

    public var description: String {
        switch self {
        case .folderMissing(let folder):
            return "dataset folder \(folder.path) does not exist; check the path"
        case .labelsMissing(let file):
            return "\(file.path) is missing; a dataset folder lists its images there (arqam synth and arqam export write it)"
        case .unreadable(let file, let reason):
            return "cannot read \(file.path): \(reason)"
        case .notWritable(let file, let reason):
            return "cannot write \(file.path): \(reason); check the folder's permissions or choose another one"
        case .diskFull(let file):
            return "cannot write \(file.path): no space left on the device; free some space or choose another folder"
        case .invalidPath(let path, let reason):
            return "image path '\(path)' \(reason)"
        case .invalidLabel(let label, let reason):
            return "label '\(label)': \(reason)"
        case .invalidColumn(let column):
            return "column '\(column)' holds a tab or a line break, which labels.tsv cannot store"
        }
    }
}

/// A `labels.tsv` line that was skipped, and why.
public struct DatasetProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// No tab: not `path<TAB>label`.
        case malformedLine
        case emptyPath
        case emptyLabel
        case absolutePath(String)
        case escapesFolder(String)
        case missingImage(String)
        case unsupportedCharacter(UnsupportedCharacter)
        /// Characters plus the blanks CTC needs between repeated ones exceed the model's steps.
        case labelTooLong(label: String, stepsNeeded: Int)
    }

    public var file: URL
    public var line: Int
    public var reason: Reason

    public var description: String {
        let what: String
        switch reason {
        case .malformedLine: what = "expected path<TAB>label, found no tab"
        case .emptyPath: what = "the image path is empty"
        case .emptyLabel: what = "the label is empty"
        case .absolutePath(let path): what = "image path '\(path)' is absolute; paths are relative to the folder"
        case .escapesFolder(let path): what = "image path '\(path)' leads outside the folder"
        case .missingImage(let path): what = "image '\(path)' does not exist"
        case .unsupportedCharacter(let problem): what = "label: \(problem)"
        case .labelTooLong(let label, let steps):
            what = "label '\(label)' needs \(steps) time steps (characters plus a blank between repeats); the model has \(LabelRules.timeSteps)"
        }
        return "\(file.path):\(line): \(what); line skipped"
    }
}

/// What the model can learn from: labels in its alphabet that fit its time steps.
public enum LabelRules {
    /// The model's output steps (200 columns / 4).
    public static let timeSteps = 50

    /// CTC emits at least one step per character and a blank between equal neighbours.
    public static func stepsNeeded(_ label: String) -> Int {
        let characters = Array(label)
        return characters.count + zip(characters, characters.dropFirst()).filter { $0 == $1 }.count
    }

    /// The label with Arabic-Indic and Persian digits made Western, or why it cannot be one.
    public static func normalize(_ label: String) -> Result<String, UnsupportedCharacter> {
        Alphabet.encode(label).map { _ in String(label.compactMap(Alphabet.westernDigit)) }
    }
}
