import ArqamData
import ArqamOCR

extension Painter {
    private var labelGutter: Int { 7 }

    /// The image on screen: name, art, trace under it, prediction, confidence, alternatives,
    /// the label, the last message, and where there is room the zoom's crop.
    mutating func drawDetail(_ item: QueueItem) {
        let x = layout.paneX + 1
        let width = layout.paneWidth - 2
        var y = layout.bodyTop
        let spare = layout.spareRows
        if spare >= 2 {
            drawName(item, x: x, y: y, width: width)
            y += 1
        }
        drawArt(item, x: x, y: y)
        y += layout.artRows
        drawTrace(item, x: x, y: y)
        y += 1
        if spare >= 3 { y += 1 }
        drawRead(item, x: x, y: y, width: width)
        drawAlternatives(item, x: x, y: y + 1, width: width)
        drawLabel(item, x: x, y: y + 2, width: width)
        if spare >= 1, let message = state.message {
            let below = y + 4 < layout.bodyTop + layout.bodyHeight ? y + 4 : y + 3
            drawMessage(message, x: x, y: below, width: width)
        }
        drawZoomed(item, x: x, y: y + 5, width: width)
    }

    /// The crop the zoom read a second time, as the model saw it: digits small in their crop
    /// are legible there.
    private mutating func drawZoomed(_ item: QueueItem, x: Int, y: Int, width: Int) {
        guard case .loaded(let picture)? = state.zoomedPictures[item.path],
              y + 1 + layout.artRows <= layout.bodyTop + layout.bodyHeight else { return }
        screen.put(fit("zoomed to the digits, as the model read them a second time", width), x: x, y: y, style: Self.dimStyle)
        drawPicture(picture, x: x, y: y + 1)
    }

    private mutating func drawPicture(_ picture: ModelPicture, x: Int, y: Int) {
        for (row, line) in PictureArt(cellsPerStep: layout.cellsPerStep).lines(picture, charset: charset).enumerated() {
            screen.put(String(line), x: x, y: y + row)
        }
    }

    private mutating func drawName(_ item: QueueItem, x: Int, y: Int, width: Int) {
        var column = x + screen.put(fit(item.path, width), x: x, y: y, style: CellStyle(bold: true))
        guard let decision = item.decision, let (mark, role) = statusMark(decision.status) else { return }
        column += 2
        screen[column, y] = Cell(character: mark, style: CellStyle(role, bold: true))
        let label = decision.label.map { " " + $0 } ?? ""
        screen.put(" " + decision.status.rawValue + label, x: column + 1, y: y, style: CellStyle(role), limit: x + width - column - 1)
    }

    private mutating func drawArt(_ item: QueueItem, x: Int, y: Int) {
        switch state.pictures[item.path] {
        case .loaded(let picture)?:
            drawPicture(picture, x: x, y: y)
        case .failed(let reason)?:
            screen.put(fit("cannot show the image: " + reason, layout.paneWidth - 2), x: x, y: y + layout.artRows / 2,
                       style: CellStyle(.bad))
        case nil:
            screen.put("loading the image" + glyphs.ellipsis, x: x, y: y + layout.artRows / 2, style: Self.dimStyle)
        }
    }

    /// One symbol per time step, each under the pixel columns the step covers; the step where
    /// a character is written is bold, its repeats and the blanks are dim.
    private mutating func drawTrace(_ item: QueueItem, x: Int, y: Int) {
        guard let trace = item.reading?.trace else { return }
        let cells = layout.cellsPerStep
        var previous = Alphabet.blank
        for (step, classIndex) in trace.prefix(ModelPicture.steps).enumerated() {
            let symbol: Character
            var style = Self.dimStyle
            if let character = Alphabet.character(of: classIndex) {
                symbol = character
                if classIndex != previous { style = CellStyle(.accent, bold: true) }
            } else {
                symbol = classIndex == Alphabet.blank ? glyphs.traceBlank : glyphs.traceUnknown
            }
            previous = classIndex
            screen[x + step * cells + (cells - 1) / 2, y] = Cell(character: symbol, style: style)
        }
    }

    private mutating func drawRead(_ item: QueueItem, x: Int, y: Int, width: Int) {
        screen.put("read", x: x, y: y, style: Self.dimStyle)
        let textX = x + labelGutter
        guard let reading = item.reading else {
            if let error = item.readingError {
                screen.put(fit("cannot read: " + error, width - labelGutter), x: textX, y: y, style: CellStyle(.bad))
            } else {
                screen.put("reading" + glyphs.ellipsis, x: textX, y: y, style: Self.dimStyle)
            }
            return
        }
        let low = reading.confidence < state.lowConfidence
        let bar = confidenceBar(reading.confidence)
        let figure = "confidence " + Self.twoDecimals(reading.confidence) + " "
        let rightWidth = figure.count + bar.count
        let textWidth = width - labelGutter - (rightWidth + 2 <= width - labelGutter - 4 ? rightWidth + 2 : 0)
        let text = reading.text.isEmpty ? "(nothing)" : reading.text
        screen.put(fit(text, textWidth), x: textX, y: y, style: CellStyle(low ? .warning : .normal, bold: true))
        guard textWidth < width - labelGutter else { return }
        let rightX = x + width - rightWidth
        let style = CellStyle(low ? .warning : .good, bold: low)
        screen.put(figure, x: rightX, y: y, style: style)
        screen.put(bar, x: rightX + figure.count, y: y, style: style)
    }

    private func confidenceBar(_ confidence: Double) -> String {
        let filled = min(10, max(0, Int((confidence * 10).rounded())))
        let bar = String(repeating: glyphs.barFull, count: filled) + String(repeating: glyphs.barEmpty, count: 10 - filled)
        return charset == .unicode ? bar : "[" + bar + "]"
    }

    private mutating func drawAlternatives(_ item: QueueItem, x: Int, y: Int, width: Int) {
        screen.put("alts", x: x, y: y, style: Self.dimStyle)
        let choices = state.alternatives(of: item)
        var column = x + labelGutter
        let end = x + width
        guard !choices.isEmpty else {
            if item.reading != nil { screen.put(charset == .unicode ? "—" : "-", x: column, y: y, style: Self.dimStyle) }
            return
        }
        for (number, choice) in choices.enumerated() {
            let entry = choice.text + " " + Self.twoDecimals(choice.confidence)
            guard column + 2 + entry.count <= end else { break }
            column += screen.put("\(number + 1) ", x: column, y: y, style: CellStyle(.accent, bold: true))
            column += screen.put(entry + "   ", x: column, y: y, limit: end - column)
        }
    }

    private mutating func drawLabel(_ item: QueueItem, x: Int, y: Int, width: Int) {
        let textX = x + labelGutter
        let room = width - labelGutter
        switch state.mode {
        case .editing(let editor):
            screen.put("label", x: x, y: y, style: CellStyle(.changed, bold: true))
            let changed = editor.text != item.reading?.text
            let style = CellStyle(changed ? .changed : .normal, bold: true)
            screen.put(String(editor.characters.prefix(room - 1)), x: textX, y: y, style: style)
            let cursorX = textX + min(editor.cursor, room - 1)
            let under = editor.cursor < editor.characters.count ? editor.characters[editor.cursor] : " "
            screen[cursorX, y] = Cell(character: under, style: CellStyle(.changed, bold: true, reverse: true))
            if changed, let prediction = item.reading?.text, editor.text.count + 12 < room {
                screen.put("was " + prediction, x: textX + editor.characters.count + 3, y: y, style: Self.dimStyle,
                           limit: room - editor.characters.count - 3)
            }
        case .jumping(let query):
            screen.put("find", x: x, y: y, style: CellStyle(.accent, bold: true))
            let shown = fit(query, room - 16)
            screen.put(shown, x: textX, y: y, style: CellStyle(bold: true))
            screen[textX + shown.count, y] = Cell(character: " ", style: CellStyle(.accent, reverse: true))
            let count = state.matchCount(query)
            let note = query.isEmpty ? "" : count == 1 ? "1 match" : "\(count) matches"
            screen.put(note, x: textX + shown.count + 3, y: y, style: Self.dimStyle)
        case .reviewing, .help:
            screen.put("label", x: x, y: y, style: Self.dimStyle)
            if let decision = item.decision, let label = decision.label {
                let role: ColourRole = decision.status == .corrected ? .changed : .good
                screen.put(fit(label, room), x: textX, y: y, style: CellStyle(role, bold: true))
            } else if let text = item.reading?.text, !text.isEmpty {
                let hint = "  " + glyphs.enterKey + " accepts, e or a digit corrects"
                let shown = fit(text, room)
                screen.put(shown, x: textX, y: y, style: Self.dimStyle)
                if shown.count + hint.count <= room { screen.put(hint, x: textX + shown.count, y: y, style: Self.dimStyle) }
            } else {
                screen.put(fit("type the label (e or a digit)", room), x: textX, y: y, style: Self.dimStyle)
            }
        }
    }
}
