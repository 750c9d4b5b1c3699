/// Which characters the terminal can show.
public enum Charset: Sendable, Equatable {
    /// Braille art, box drawing, marks: a UTF-8 locale on a terminal with those glyphs.
    case unicode
    /// ASCII art and frames: a non-UTF-8 locale, or the Linux console (`TERM=linux`).
    case ascii

    /// The charset for a locale's codeset (`nl_langinfo(CODESET)`) and `TERM`.
    public static func detect(codeset: String, term: String?) -> Charset {
        let normalized = codeset.uppercased().replacingOccurrences(of: "-", with: "")
        guard normalized == "UTF8", term != "linux" else { return .ascii }
        return .unicode
    }
}

/// The characters each charset draws with.
struct Glyphs {
    let horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    let teeLeft, teeRight, teeDown, teeUp: Character
    let current: Character
    let accepted, corrected, unreadable, skipped: Character
    let barFull, barEmpty: Character
    let traceBlank, traceUnknown: Character
    let labelCursor: Character
    let ellipsis: String
    let enterKey, backspaceKey, arrowsKey: String

    static func of(_ charset: Charset) -> Glyphs { charset == .unicode ? unicode : ascii }

    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeLeft: "├", teeRight: "┤", teeDown: "┬", teeUp: "┴", current: "▸",
        accepted: "✓", corrected: "✎", unreadable: "✗", skipped: "↷",
        barFull: "█", barEmpty: "░", traceBlank: "·", traceUnknown: "?", labelCursor: "▏",
        ellipsis: "…", enterKey: "⏎", backspaceKey: "⌫", arrowsKey: "←/→")

    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeLeft: "+", teeRight: "+", teeDown: "+", teeUp: "+", current: ">",
        accepted: "+", corrected: "*", unreadable: "x", skipped: "~",
        barFull: "#", barEmpty: ".", traceBlank: ".", traceUnknown: "?", labelCursor: "|",
        ellipsis: "...", enterKey: "Enter", backspaceKey: "BS", arrowsKey: "Left/Right")
}
