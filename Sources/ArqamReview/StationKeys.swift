import ArqamData
import ArqamOCR

extension StationState {
    /// Keys moved by Page Up and Page Down.
    static let pageStep = 10
    /// The model has 50 time steps, so no label it can learn is longer.
    static let longestLabel = ModelPicture.steps
    static let alternativeKeys: [Character: Int] = ["1": 1, "2": 2, "3": 3]

    mutating func handle(_ key: Key) -> [StationEffect] {
        if key == .interrupt { return [.quit] }
        switch mode {
        case .reviewing: return handleReviewing(key)
        case .editing(let editor): return handleEditing(key, editor)
        case .jumping(let query): handleJumping(key, query)
        case .help: mode = .reviewing
        }
        return []
    }

    private mutating func handleReviewing(_ key: Key) -> [StationEffect] {
        switch key {
        case .character("q"): return [.quit]
        case .character("?"): mode = .help
        case .character("/"): mode = .jumping(query: "")
        case .character("o"):
            order = order.next
            reorder()
            message = StationMessage(text: "order: \(order.title)", kind: .info)
        case .character("u"):
            guard let last = history.last else {
                message = StationMessage(text: "nothing to undo", kind: .info)
                return []
            }
            return [.withdraw(decisionID: last.decisionID)]
        case .character("j"), .down: move(by: 1)
        case .character("k"), .up: move(by: -1)
        case .pageDown: move(by: Self.pageStep)
        case .pageUp: move(by: -Self.pageStep)
        case .home: move(by: -items.count)
        case .end: move(by: items.count)
        default:
            return decide(key)
        }
        return []
    }

    /// The keys that decide about the image on screen.
    private mutating func decide(_ key: Key) -> [StationEffect] {
        guard let item = currentItem else {
            message = StationMessage(text: finished ? "the queue is finished: u undoes, j/k go back to an image, q quits"
                                                    : "no image to decide on", kind: .info)
            return []
        }
        switch key {
        case .enter:
            guard let reading = item.reading else {
                let text = item.readingError == nil ? "no prediction yet: type the label, or wait for the model"
                                                    : "the model could not read this image: type the label, or x for unreadable"
                message = StationMessage(text: text, kind: .warning)
                return []
            }
            guard !reading.text.isEmpty else {
                message = StationMessage(text: "the model read nothing: type the label, or x for unreadable", kind: .warning)
                return []
            }
            return [record(item, .accepted, label: reading.text)]
        case .character("e"):
            mode = .editing(LabelEditor(item.decision?.label ?? item.reading?.text ?? ""))
        case .character("s"):
            return [record(item, .skipped, label: nil)]
        case .character("x"):
            return [record(item, .unreadable, label: nil)]
        case .character(let typed) where Self.alternativeKeys[typed] != nil:
            let number = Self.alternativeKeys[typed] ?? 1
            let choices = alternatives(of: item)
            guard number <= choices.count else {
                message = StationMessage(text: "there is no alternative \(number)", kind: .warning)
                return []
            }
            return [record(item, .corrected, label: choices[number - 1].text)]
        case .character(let typed) where typed != "/" && Alphabet.westernDigit(typed) != nil:
            mode = .editing(LabelEditor(Alphabet.westernDigit(typed).map { String($0) } ?? ""))
        default:
            message = StationMessage(text: "that key does nothing here: ? shows the keys", kind: .info)
        }
        return []
    }

    private mutating func handleEditing(_ key: Key, _ original: LabelEditor) -> [StationEffect] {
        var editor = original
        switch key {
        case .escape:
            mode = .reviewing
            message = StationMessage(text: "correction cancelled", kind: .info)
            return []
        case .enter:
            guard let item = currentItem else { return [] }
            guard !editor.characters.isEmpty else {
                message = StationMessage(text: "the label is empty: type digits, or Esc then x for unreadable", kind: .warning)
                return []
            }
            let status: ReviewStatus = editor.text == item.reading?.text ? .accepted : .corrected
            return [record(item, status, label: editor.text)]
        case .backspace:
            if editor.cursor > 0 {
                editor.characters.remove(at: editor.cursor - 1)
                editor.cursor -= 1
            }
        case .delete:
            if editor.cursor < editor.characters.count { editor.characters.remove(at: editor.cursor) }
        case .left: editor.cursor = max(0, editor.cursor - 1)
        case .right: editor.cursor = min(editor.characters.count, editor.cursor + 1)
        case .home: editor.cursor = 0
        case .end: editor.cursor = editor.characters.count
        case .character(let typed):
            guard let western = Alphabet.westernDigit(typed) else {
                message = StationMessage(text: "a label holds only digits and /", kind: .warning)
                return []
            }
            guard editor.characters.count < Self.longestLabel else {
                message = StationMessage(text: "a label holds at most \(Self.longestLabel) characters", kind: .warning)
                return []
            }
            editor.characters.insert(western, at: editor.cursor)
            editor.cursor += 1
        default:
            break
        }
        mode = .editing(editor)
        return []
    }

    private mutating func handleJumping(_ key: Key, _ query: String) {
        switch key {
        case .escape:
            mode = .reviewing
        case .enter:
            mode = .reviewing
            guard let path = firstMatch(query) else {
                message = StationMessage(text: "no file name contains \"\(query)\"", kind: .warning)
                return
            }
            current = path
            finished = false
        case .backspace:
            mode = .jumping(query: String(query.dropLast()))
        case .character(let typed):
            mode = .jumping(query: query + String(typed))
        default:
            break
        }
    }

    /// The first file, in display order, whose name starts with the query, else contains it.
    func firstMatch(_ query: String) -> String? {
        let needle = query.lowercased()
        guard !needle.isEmpty else { return nil }
        let names = ordered.map { items[$0].path }
        return names.first { $0.lowercased().hasPrefix(needle) } ?? names.first { $0.lowercased().contains(needle) }
    }

    func matchCount(_ query: String) -> Int {
        let needle = query.lowercased()
        guard !needle.isEmpty else { return 0 }
        return items.count { $0.path.lowercased().contains(needle) }
    }

    /// The N-best strings other than the prediction itself, at most three: keys 1–3. An empty
    /// string is no label, so it is not offered.
    func alternatives(of item: QueueItem) -> [Alternative] {
        guard let reading = item.reading else { return [] }
        return Array(reading.alternatives.filter { $0.text != reading.text && !$0.text.isEmpty }.prefix(3))
    }

    private func record(_ item: QueueItem, _ status: ReviewStatus, label: String?) -> StationEffect {
        .record(DecisionRequest(path: item.path, contentHash: item.contentHash, status: status, label: label,
                                prediction: item.reading?.text, confidence: item.reading?.confidence))
    }
}
