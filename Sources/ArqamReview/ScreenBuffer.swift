/// What a cell's colour means; the terminal maps roles to colours, or to bold/reverse where
/// it has none, so every role stays distinguishable in monochrome.
public enum ColourRole: Int, Sendable, CaseIterable {
    case normal, frame, title, dim, accent, good, warning, bad, changed
}

public struct CellStyle: Hashable, Sendable {
    public var role: ColourRole
    public var bold: Bool
    public var reverse: Bool

    public init(_ role: ColourRole = .normal, bold: Bool = false, reverse: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
    }

    public static let plain = CellStyle()
}

public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: CellStyle

    public static let blank = Cell(character: " ", style: .plain)
}

public struct ScreenSize: Equatable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// The whole screen as cells, one character of display width 1 each: what the terminal copies
/// and what the tests read.
public struct ScreenBuffer: Equatable, Sendable {
    public let size: ScreenSize
    public private(set) var cells: [Cell]

    public init(size: ScreenSize) {
        self.size = size
        cells = Array(repeating: .blank, count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
            cells[y * size.width + x] = newValue
        }
    }

    /// Writes `text` from (x, y), clipped to `limit` columns and to the screen; returns the
    /// columns written. Characters a terminal would draw two columns wide become `?`.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int = .max) -> Int {
        guard y >= 0, y < size.height else { return 0 }
        var column = x
        let end = min(size.width, limit == .max ? size.width : x + limit)
        for character in text {
            guard column < end else { break }
            if column >= 0 {
                self[column, y] = Cell(character: Self.isSingleWidth(character) ? character : "?", style: style)
            }
            column += 1
        }
        return max(0, column - x)
    }

    public mutating func fill(_ character: Character, x: Int, y: Int, width: Int, style: CellStyle = .plain) {
        for column in x..<(x + max(0, width)) { self[column, y] = Cell(character: character, style: style) }
    }

    public mutating func restyle(x: Int, y: Int, width: Int, _ change: (inout CellStyle) -> Void) {
        for column in max(0, x)..<min(size.width, x + max(0, width)) where y >= 0 && y < size.height {
            change(&cells[y * size.width + column].style)
        }
    }

    /// The characters, one line per row.
    public var lines: [String] {
        (0..<size.height).map { row in
            String(cells[(row * size.width)..<((row + 1) * size.width)].map(\.character))
        }
    }

    /// Whether a terminal draws the character one column wide: East Asian wide and fullwidth
    /// forms and emoji take two, control characters none.
    static func isSingleWidth(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        if scalar.properties.generalCategory == .control { return false }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD:
            return false
        default:
            return true
        }
    }
}
