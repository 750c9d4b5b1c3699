extension Painter {
    /// The help in place of the image.
    mutating func drawHelp() {
        let arabicDigits = charset == .unicode ? "٠-٩ ۰-۹" : "Arabic digits"
        let rows: [(String, String)] = [
            (glyphs.enterKey, "accept the prediction as the label"),
            ("e", "correct the label, starting from the prediction"),
            ("0 4-9", "start a correction with that digit"),
            (arabicDigits, "also start one; they are written as 0-9"),
            ("1 2 3", "take alternative 1, 2 or 3"),
            ("s", "skip: no decision, the image comes back later"),
            ("x", "unreadable: recorded, kept out of training"),
            ("u", "undo the last decision; again for earlier ones"),
            ("j k", "move in the queue (also arrows, PgUp, PgDn)"),
            ("o", "order: least confident first, name, newest"),
            ("/", "find a file by name"),
            ("q", "quit; every decision is already saved"),
        ]
        let x = layout.paneX + 1
        let width = layout.paneWidth - 2
        var y = layout.bodyTop
        let bottom = layout.bodyTop + layout.bodyHeight
        screen.put("Keys", x: x, y: y, style: CellStyle(.title, bold: true))
        y += 1
        for (key, meaning) in rows where y < bottom - 1 {
            screen.put(key, x: x + 1, y: y, style: CellStyle(.accent, bold: true))
            screen.put(fit(meaning, width - 15), x: x + 15, y: y)
            y += 1
        }
        let editing = "While correcting: digits and /, " + glyphs.backspaceKey + " deletes, " + glyphs.arrowsKey
            + " move, " + glyphs.enterKey + " saves, Esc cancels; no other key acts."
        if y < bottom { screen.put(fit(editing, width), x: x, y: y, style: Self.dimStyle) }
    }

    /// Every image has a decision: say so, with this session's figures.
    mutating func drawFinished() {
        let x = layout.paneX + 1
        let width = layout.paneWidth - 2
        var y = layout.bodyTop
        let session = state.session
        let rate = session.imagesPerHour.map { String(Int($0.rounded())) } ?? (charset == .unicode ? "—" : "-")
        let waiting = state.items.count { $0.decision?.status == .skipped }
        var lines: [(String, CellStyle)] = [
            (fit("Queue finished: every image in \(state.queueName)/ has a decision.", width), CellStyle(.good, bold: true)),
            ("", .plain),
            ("This session", CellStyle(.title, bold: true)),
        ]
        for (name, value) in [("reviewed", String(session.reviewed)), ("accepted", String(session.accepted)),
                              ("corrected", String(session.corrected)), ("unreadable", String(session.unreadable)),
                              ("skipped", String(session.skipped)), ("images/hour", rate)] {
            lines.append(("  " + name.padding(toLength: 13, withPad: " ", startingAt: 0) + value, .plain))
        }
        lines.append(("", .plain))
        if waiting > 0 {
            lines.append((fit("\(waiting) skipped image\(waiting == 1 ? " is" : "s are") still without a decision: j/k reach them.",
                              width), CellStyle(.warning)))
        }
        lines.append((fit("New images appear here as they arrive. u undoes, q quits.", width), Self.dimStyle))
        for (text, style) in lines where y < layout.bodyTop + layout.bodyHeight {
            screen.put(text, x: x, y: y, style: style)
            y += 1
        }
        if layout.spareRows >= 1, let message = state.message {
            drawMessage(message, x: x, y: layout.bodyTop + layout.bodyHeight - 1, width: width)
        }
    }

    mutating func drawEmpty() {
        let x = layout.paneX + 1
        let width = layout.paneWidth - 2
        screen.put(fit("The queue folder \(state.queueName)/ has no PNG images yet.", width), x: x, y: layout.bodyTop,
                   style: CellStyle(.title, bold: true))
        screen.put(fit("Images dropped into it appear here within a second; q quits.", width), x: x, y: layout.bodyTop + 1,
                   style: Self.dimStyle)
    }
}
