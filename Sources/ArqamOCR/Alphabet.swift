/// The model's classes: 0 `[UNK]`, 1 `/`, 2…11 the digits `0`…`9`, 12 the CTC blank.
/// Labels and readings are written with Western digits; Arabic-Indic (U+0660–0669) and
/// Persian (U+06F0–06F9) digits are the same classes.
public enum Alphabet {
    public static let vocabulary = ["[UNK]", "/", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
    public static let unknown = 0
    public static let blank = 12
    public static let classCount = 13

    /// The class of one character, or nil when the model cannot write it.
    public static func classIndex(of character: Character) -> Int? {
        guard let western = westernDigit(character) else { return nil }
        return western == "/" ? 1 : Int(String(western))! + 2
    }

    /// The character a class writes; nil for `[UNK]` and the blank, which are never printed.
    public static func character(of classIndex: Int) -> Character? {
        switch classIndex {
        case 1: return "/"
        case 2...11: return Character(String(classIndex - 2))
        default: return nil
        }
    }

    /// `/`, `0`…`9`, or an Arabic-Indic or Persian digit turned Western; nil for anything else.
    public static func westernDigit(_ character: Character) -> Character? {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return nil }
        switch scalar.value {
        case 0x2F: return "/"
        case 0x30...0x39: return character
        case 0x660...0x669: return Character(String(scalar.value - 0x660))
        case 0x6F0...0x6F9: return Character(String(scalar.value - 0x6F0))
        default: return nil
        }
    }

    /// A label in class indices, or the first character the model cannot write.
    public static func encode(_ text: String) -> Result<[Int], UnsupportedCharacter> {
        var classes: [Int] = []
        classes.reserveCapacity(text.count)
        for (offset, character) in text.enumerated() {
            guard let index = classIndex(of: character) else {
                return .failure(UnsupportedCharacter(character: character, offset: offset))
            }
            classes.append(index)
        }
        return .success(classes)
    }

    /// Western-digit text of a class sequence; `[UNK]` and blanks write nothing.
    public static func decode(_ classes: [Int]) -> String {
        String(classes.compactMap(character(of:)))
    }
}

public struct UnsupportedCharacter: Error, Equatable, CustomStringConvertible {
    public let character: Character
    public let offset: Int
    public var description: String {
        let code = character.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: " ")
        return "character '\(character)' (\(code)) at position \(offset + 1) is not a digit or '/'"
    }
}
