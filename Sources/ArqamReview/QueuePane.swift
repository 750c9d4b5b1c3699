import ArqamData

extension Painter {
    /// The queue list: cursor, status mark, file name and confidence, in display order,
    /// scrolled so the image on screen stays in view.
    mutating func drawQueue() {
        let width = layout.listWidth
        let x = 1
        let orderName: String
        switch state.order {
        case .leastConfident: orderName = "by confidence"
        case .fileName: orderName = "by name"
        case .newest: orderName = "newest first"
        }
        screen.put(fit("queue " + orderName, width), x: x, y: layout.bodyTop, style: Self.dimStyle)
        let visible = layout.bodyHeight - 1
        let position = state.currentPosition ?? 0
        let first = max(0, min(position - visible / 3, state.ordered.count - visible))
        for (row, index) in state.ordered.dropFirst(first).prefix(visible).enumerated() {
            drawQueueRow(state.items[index], x: x, y: layout.bodyTop + 1 + row, width: width)
        }
    }

    private mutating func drawQueueRow(_ item: QueueItem, x: Int, y: Int, width: Int) {
        let isCurrent = item.path == state.current
        let confidenceWidth = 4
        if isCurrent {
            screen[x, y] = Cell(character: glyphs.current, style: CellStyle(.accent, bold: true))
        }
        if let (mark, role) = statusMark(item.decision?.status) {
            screen[x + 1, y] = Cell(character: mark, style: CellStyle(role, bold: true))
        }
        let nameWidth = width - 3 - confidenceWidth - 1
        screen.put(fit(item.path, nameWidth), x: x + 3, y: y, style: item.isUndecided ? .plain : Self.dimStyle)
        let (confidence, style) = confidenceText(item)
        screen.put(confidence, x: x + width - confidenceWidth, y: y, style: style)
        if isCurrent { screen.restyle(x: x + 2, y: y, width: width - 2) { $0.reverse = true } }
    }

    func statusMark(_ status: ReviewStatus?) -> (Character, ColourRole)? {
        switch status {
        case .accepted: return (glyphs.accepted, .good)
        case .corrected: return (glyphs.corrected, .changed)
        case .unreadable: return (glyphs.unreadable, .bad)
        case .skipped: return (glyphs.skipped, .dim)
        case nil: return nil
        }
    }

    /// `0.41`, or a dash while the model has not read the image, or `err`.
    private func confidenceText(_ item: QueueItem) -> (String, CellStyle) {
        if let reading = item.reading {
            let low = reading.confidence < state.lowConfidence
            return (Self.twoDecimals(reading.confidence), low ? CellStyle(.warning, bold: true) : Self.dimStyle)
        }
        if item.readingError != nil { return (" err", CellStyle(.bad)) }
        return (charset == .unicode ? "   ·" : "   .", Self.dimStyle)
    }

    /// 0.4137 → "0.41", never rounding a doubtful 0.996 up to a certain-looking "1.00".
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = min(99, max(0, Int((value * 100).rounded(.down))))
        let whole = value >= 1 ? "1.00" : "0." + (hundredths < 10 ? "0" : "") + String(hundredths)
        return whole
    }
}
