import CNCurses
import Foundation

/// The station's one door to the terminal, through ncursesw: copies screen buffers onto the
/// screen (only the cells that changed) and turns keys into `Key`s. Nothing else here knows
/// about ncurses.
public final class CursesTerminal: StationTerminal {
    public let charset: Charset
    private let hasColours: Bool
    private var drawn: ScreenBuffer?
    private var isOpen = true

    /// Starts the terminal: the locale first (wide characters need it), then ncurses in raw
    /// mode so Ctrl-C arrives as a key. `ascii` forces ASCII art and frames.
    public init(ascii: Bool = false) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw StationError.terminalNotInteractive }
        setlocale(LC_ALL, "")
        let term = ProcessInfo.processInfo.environment["TERM"]
        let codeset = arqam_codeset().map { String(cString: $0) } ?? ""
        charset = ascii ? .ascii : Charset.detect(codeset: codeset, term: term)
        guard arqam_newterm() != nil else { throw StationError.terminalUnavailable(term: term) }
        raw()
        noecho()
        nonl()
        keypad(arqam_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        hasColours = has_colors()
        if hasColours {
            start_color()
            use_default_colors()
            for role in ColourRole.allCases where role != .normal {
                init_pair(Int16(role.rawValue), Self.colour(of: role), -1)
            }
        }
    }

    deinit { close() }

    /// Gives the terminal back as it was.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        endwin()
        arqam_flush_output()
    }

    public var size: ScreenSize { ScreenSize(width: Int(arqam_columns()), height: Int(arqam_rows())) }

    public func draw(_ screen: ScreenBuffer) {
        let previous = drawn?.size == screen.size ? drawn : nil
        if previous == nil { werase(arqam_stdscr()) }
        for y in 0..<screen.size.height {
            for x in 0..<screen.size.width {
                let cell = screen[x, y]
                if let previous, previous[x, y] == cell { continue }
                var text = cell.character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                text.append(0)
                let (attributes, pair) = attributes(of: cell.style)
                // The bottom-right cell makes ncurses report an error after drawing it; the
                // cell is drawn all the same.
                _ = arqam_put_cell(Int32(y), Int32(x), text, attributes, pair)
            }
        }
        wnoutrefresh(arqam_stdscr())
        doupdate()
        drawn = screen
    }

    public func nextKey(timeoutMilliseconds: Int32) -> Key? {
        wtimeout(arqam_stdscr(), timeoutMilliseconds)
        var value: UInt32 = 0
        let result = arqam_get_key(&value)
        if result == arqam_key_code_yes() { return Self.functionKey(Int32(bitPattern: value)) }
        guard result == OK else { return nil }
        switch value {
        case 3: return .interrupt
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard value >= 32, let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        // KEY_RESIZE: ncurses has already taken the new size; the next draw uses it.
        default: return nil
        }
    }

    /// Colour where the terminal has it; where not, each role still looks different.
    private func attributes(of style: CellStyle) -> (attr_t, Int16) {
        var attributes = arqam_attr_normal()
        if style.bold { attributes |= arqam_attr_bold() }
        if style.reverse { attributes |= arqam_attr_reverse() }
        if style.role == .dim { attributes |= arqam_attr_dim() }
        guard hasColours else {
            switch style.role {
            case .warning, .bad, .title: attributes |= arqam_attr_bold()
            case .changed: attributes |= arqam_attr_bold() | arqam_attr_underline()
            default: break
            }
            return (attributes, 0)
        }
        return (attributes, style.role == .normal ? 0 : Int16(style.role.rawValue))
    }

    private static func colour(of role: ColourRole) -> Int16 {
        switch role {
        case .normal, .dim: return -1
        case .frame: return Int16(COLOR_BLUE)
        case .title, .accent: return Int16(COLOR_CYAN)
        case .good: return Int16(COLOR_GREEN)
        case .warning: return Int16(COLOR_YELLOW)
        case .bad: return Int16(COLOR_RED)
        case .changed: return Int16(COLOR_MAGENTA)
        }
    }
}
