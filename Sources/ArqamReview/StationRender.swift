import ArqamOCR

/// Draws the whole station into a screen buffer. Pure: the same state, size and charset
/// always give the same cells.
public func render(_ state: StationState, size: ScreenSize, charset: Charset) -> ScreenBuffer {
    var screen = ScreenBuffer(size: size)
    let glyphs = Glyphs.of(charset)
    guard let layout = StationLayout(size: size) else {
        drawTooSmall(&screen, charset: charset)
        return screen
    }
    var painter = Painter(screen: screen, glyphs: glyphs, charset: charset, layout: layout, state: state)
    painter.drawFrame()
    painter.drawHeader()
    if layout.showsList { painter.drawQueue() }
    switch (state.mode, state.currentItem) {
    case (.help, _): painter.drawHelp()
    case (_, let item?): painter.drawDetail(item)
    case _ where state.items.isEmpty: painter.drawEmpty()
    default: painter.drawFinished()
    }
    painter.drawKeyLine()
    screen = painter.screen
    return screen
}

private func drawTooSmall(_ screen: inout ScreenBuffer, charset: Charset) {
    let times = charset == .unicode ? "×" : "x"
    let lines = [
        "Terminal too small (\(screen.size.width)\(times)\(screen.size.height)).",
        "The station needs \(StationLayout.minimumWidth)\(times)\(StationLayout.minimumHeight).",
        "Enlarge the window; q quits.",
    ]
    let top = max(0, (screen.size.height - lines.count) / 2)
    for (offset, line) in lines.enumerated() {
        let clipped = String(line.prefix(screen.size.width))
        screen.put(clipped, x: max(0, (screen.size.width - clipped.count) / 2), y: top + offset,
                   style: CellStyle(.warning, bold: offset == 0))
    }
}

/// The drawing helpers, with the state and the layout at hand.
struct Painter {
    var screen: ScreenBuffer
    let glyphs: Glyphs
    let charset: Charset
    let layout: StationLayout
    let state: StationState

    static let frameStyle = CellStyle(.frame)
    static let dimStyle = CellStyle(.dim)

    /// Text the charset can show: outside ASCII mode untouched, inside it non-ASCII becomes `?`.
    func printable(_ text: String) -> String {
        charset == .unicode ? text : String(text.map { $0.isASCII ? $0 : "?" })
    }

    /// Cuts text to `width` columns, ending in an ellipsis when cut.
    func fit(_ text: String, _ width: Int) -> String {
        let shown = printable(text)
        guard shown.count > width else { return shown }
        guard width > glyphs.ellipsis.count else { return String(shown.prefix(max(0, width))) }
        return String(shown.prefix(width - glyphs.ellipsis.count)) + glyphs.ellipsis
    }

    mutating func drawFrame() {
        let width = layout.size.width, bottom = layout.size.height - 1
        screen.fill(glyphs.horizontal, x: 1, y: 0, width: width - 2, style: Self.frameStyle)
        screen.fill(glyphs.horizontal, x: 1, y: layout.separatorRow, width: width - 2, style: Self.frameStyle)
        screen.fill(glyphs.horizontal, x: 1, y: bottom, width: width - 2, style: Self.frameStyle)
        for row in 1..<bottom where row != layout.separatorRow {
            screen[0, row] = Cell(character: glyphs.vertical, style: Self.frameStyle)
            screen[width - 1, row] = Cell(character: glyphs.vertical, style: Self.frameStyle)
        }
        screen[0, 0] = Cell(character: glyphs.topLeft, style: Self.frameStyle)
        screen[width - 1, 0] = Cell(character: glyphs.topRight, style: Self.frameStyle)
        screen[0, layout.separatorRow] = Cell(character: glyphs.teeLeft, style: Self.frameStyle)
        screen[width - 1, layout.separatorRow] = Cell(character: glyphs.teeRight, style: Self.frameStyle)
        screen[0, bottom] = Cell(character: glyphs.bottomLeft, style: Self.frameStyle)
        screen[width - 1, bottom] = Cell(character: glyphs.bottomRight, style: Self.frameStyle)
        if layout.showsList {
            let column = layout.listWidth + 1
            screen[column, 0] = Cell(character: glyphs.teeDown, style: Self.frameStyle)
            screen[column, layout.separatorRow] = Cell(character: glyphs.teeUp, style: Self.frameStyle)
            for row in 1..<layout.separatorRow {
                screen[column, row] = Cell(character: glyphs.vertical, style: Self.frameStyle)
            }
        }
    }

    /// `┌ arqam review  inbox/ ──── 37/120 done · 12 corrected · model m ┐`, dropping the
    /// least needed figures first when the line is short.
    mutating func drawHeader() {
        let width = layout.size.width
        let title = " arqam review  "
        let queue = fit(state.queueName + "/", max(4, width / 3)) + " "
        var x = 1
        x += screen.put(title, x: x, y: 0, style: CellStyle(.title, bold: true))
        x += screen.put(queue, x: x, y: 0, style: CellStyle(.title))
        let separator = charset == .unicode ? " · " : " | "
        var figures = ["\(state.doneCount)/\(state.items.count) done", "\(state.correctedCount) corrected"]
        let read = state.readCount
        if read < state.items.count { figures.append("reading \(read)/\(state.items.count)") }
        figures.append("model \(state.modelName)")
        while !figures.isEmpty {
            let text = " " + printable(figures.joined(separator: separator)) + " "
            if x + 2 + text.count <= width - 1 {
                screen.put(text, x: width - 1 - text.count, y: 0, style: CellStyle(.title))
                return
            }
            figures.removeLast()
        }
    }

    mutating func drawKeyLine() {
        // Each key with how much it matters: the least important go first on a short line.
        let keys: [(String, String, Int)]
        switch state.mode {
        case .editing:
            keys = [("0-9 /", "type", 1), (glyphs.arrowsKey, "move", 2), (glyphs.backspaceKey, "delete", 1),
                    (glyphs.enterKey, "save", 0), ("Esc", "cancel", 0)]
        case .jumping:
            keys = [("type", "part of a file name", 1), (glyphs.enterKey, "go", 0), ("Esc", "cancel", 0)]
        case .help:
            keys = [("any key", "back to the queue", 0)]
        case .reviewing where state.currentItem == nil:
            keys = [("u", "undo", 0), ("j/k", "revisit", 1), ("o", "order", 2), ("/", "find", 2), ("?", "help", 0), ("q", "quit", 0)]
        case .reviewing:
            keys = [(glyphs.enterKey, "accept", 0), ("e", "edit", 2), ("1-3", "alternative", 1), ("s", "skip", 1),
                    ("x", "unreadable", 1), ("u", "undo", 1), ("j/k", "move", 3), ("o", "order", 4), ("/", "find", 4),
                    ("?", "help", 0), ("q", "quit", 0)]
        }
        let row = layout.keyRow
        let available = layout.size.width - 3
        if layout.spareRows < 1, let message = state.message {
            drawMessage(message, x: 2, y: row, width: available)
            return
        }
        var shown = keys
        func length(_ list: [(String, String, Int)]) -> Int { list.reduce(0) { $0 + $1.0.count + $1.1.count + 3 } - 2 }
        while length(shown) > available, let least = shown.map(\.2).max(), least > 0,
              let drop = shown.lastIndex(where: { $0.2 == least }) {
            shown.remove(at: drop)
        }
        var x = 2
        for (key, label, _) in shown {
            x += screen.put(key, x: x, y: row, style: CellStyle(.accent, bold: true), limit: layout.size.width - 1 - x)
            x += screen.put(" " + label + "  ", x: x, y: row, limit: layout.size.width - 1 - x)
        }
    }

    mutating func drawMessage(_ message: StationMessage, x: Int, y: Int, width: Int) {
        let style = message.kind == .warning ? CellStyle(.warning, bold: true) : CellStyle(.accent)
        screen.put(fit(message.text, width), x: x, y: y, style: style)
    }
}
