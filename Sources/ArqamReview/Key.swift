/// A key the operator pressed, as the station understands it.
public enum Key: Equatable, Sendable {
    case character(Character)
    case enter, escape, backspace, delete, tab
    case up, down, left, right, pageUp, pageDown, home, end
    /// Ctrl-C, which arrives as a key because the terminal is in raw mode.
    case interrupt
}
