import ArqamNN

/// What a synthetic field says: the label (Western digits and `/`, read left to right) and
/// where a writer would leave a wider gap (after which characters).
struct SynthText: Equatable {
    enum Kind: CaseIterable {
        case nationalID, mobile, date, shortNumber, digitRun
    }

    var kind: Kind
    var label: String
    var gapsAfter: Set<Int> = []

    /// Longest label drawn: far inside the model's 50 time steps even if every pair repeats.
    static let maximumLength = 16

    /// Shares follow the fields of the forms the product reads; `digitRun` (any digits) keeps
    /// the model from leaning on the prefixes of IDs and mobiles.
    static func random(_ rng: inout SeededRandom) -> SynthText {
        switch rng.weighted([0.25, 0.2, 0.25, 0.18, 0.12]) {
        case 0: return nationalID(&rng)
        case 1: return mobile(&rng)
        case 2: return date(&rng)
        case 3: return shortNumber(&rng)
        default: return digitRun(&rng)
        }
    }

    /// Governorate codes of Egyptian national IDs (88 = born abroad).
    static let governorates = [1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                               21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 34, 35, 88]

    /// Century digit (2 = 1900s, 3 = 2000s), birth date YYMMDD, governorate, 4-digit serial
    /// (odd 4th digit for men, even for women), check digit.
    static func nationalID(_ rng: inout SeededRandom) -> SynthText {
        let year = rng.integer(1935...2012)
        let month = rng.integer(1...12)
        let day = rng.integer(1...daysIn(month: month, year: year))
        var digits = [year < 2000 ? 2 : 3]
        digits += twoDigits(year % 100) + twoDigits(month) + twoDigits(day)
        digits += twoDigits(rng.pick(governorates))
        digits += (0..<4).map { _ in rng.below(10) }
        digits.append(nationalIDCheckDigit(digits))
        let gaps: Set<Int> = rng.chance(0.1) ? [0, 6, 8, 12] : []
        return SynthText(kind: .nationalID, label: digits.map(String.init).joined(), gapsAfter: gaps)
    }

    /// The weighted mod-11 check digit commonly cited for Egyptian IDs (the official rule is
    /// not published; the model only needs IDs that look right, not ones a registry accepts).
    static func nationalIDCheckDigit(_ first13: [Int]) -> Int {
        let weights = [2, 7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        let sum = zip(first13, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (11 - sum % 11) % 10
    }

    /// 010, 011, 012 or 015, then eight digits; sometimes grouped 3-4-4 or 4-3-4.
    static func mobile(_ rng: inout SeededRandom) -> SynthText {
        var digits = [0, 1, rng.pick([0, 1, 2, 5])]
        digits += (0..<8).map { _ in rng.below(10) }
        let gaps: Set<Int>
        switch rng.weighted([0.75, 0.15, 0.1]) {
        case 0: gaps = []
        case 1: gaps = [2, 6]
        default: gaps = [3, 6]
        }
        return SynthText(kind: .mobile, label: digits.map(String.init).joined(), gapsAfter: gaps)
    }

    /// dd/mm/yyyy or yyyy/mm/dd, day and month sometimes without a leading zero.
    static func date(_ rng: inout SeededRandom) -> SynthText {
        let year = rng.integer(1930...2035)
        let month = rng.integer(1...12)
        let day = rng.integer(1...daysIn(month: month, year: year))
        let padded = !rng.chance(0.3)
        func part(_ value: Int) -> String { padded && value < 10 ? "0\(value)" : "\(value)" }
        let parts = rng.chance(0.55) ? [part(day), part(month), "\(year)"] : ["\(year)", part(month), part(day)]
        let label = parts.joined(separator: "/")
        var gaps: Set<Int> = []
        if rng.chance(0.12) {
            // Spaces around the slashes: a gap before and after each one.
            for (offset, character) in label.enumerated() where character == "/" {
                gaps.insert(offset - 1)
                gaps.insert(offset)
            }
        }
        return SynthText(kind: .date, label: label, gapsAfter: gaps)
    }

    /// 1 to 6 digits, rarely with leading zeros (serials, counts, codes).
    static func shortNumber(_ rng: inout SeededRandom) -> SynthText {
        let length = rng.integer(1...6)
        var digits = (0..<length).map { _ in rng.below(10) }
        if length > 1, digits[0] == 0, !rng.chance(0.15) { digits[0] = rng.integer(1...9) }
        return SynthText(kind: .shortNumber, label: digits.map(String.init).joined())
    }

    /// Any digits, 7 to 16 of them, now and then with one `/` inside.
    static func digitRun(_ rng: inout SeededRandom) -> SynthText {
        let length = rng.integer(7...maximumLength)
        var characters = (0..<length).map { _ in Character(String(rng.below(10))) }
        if rng.chance(0.15) { characters[rng.integer(1...(length - 2))] = "/" }
        return SynthText(kind: .digitRun, label: String(characters))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func twoDigits(_ value: Int) -> [Int] { [value / 10, value % 10] }
}

/// The digit shapes a field is printed with.
enum DigitScript: Equatable {
    /// U+0660…0669, the digits of Egyptian forms.
    case arabicIndic
    /// U+06F0…06F9: ۴ ۵ ۶ differ from ٤ ٥ ٦, the rest match.
    case persian

    func scalar(for character: Character) -> UInt32 {
        guard let value = character.asciiValue else { return 0x2F }
        switch value {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return (self == .arabicIndic ? 0x660 : 0x6F0) + UInt32(value - UInt8(ascii: "0"))
        default:
            return UInt32(value)
        }
    }
}
