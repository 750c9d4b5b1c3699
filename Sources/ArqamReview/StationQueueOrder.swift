extension StationState {
    /// Undecided images first, then skipped ones (they come back later), then decided ones,
    /// most recent decision first; within the first two groups, `order`.
    mutating func reorder() {
        let order = self.order
        let items = self.items
        ordered = items.indices.sorted { left, right in
            Self.precedes(items[left], items[right], by: order)
        }
    }

    static func precedes(_ left: QueueItem, _ right: QueueItem, by order: QueueOrder) -> Bool {
        let leftGroup = group(left), rightGroup = group(right)
        if leftGroup != rightGroup { return leftGroup < rightGroup }
        if leftGroup == 2 { return left.decisionSequence > right.decisionSequence }
        switch order {
        case .leastConfident:
            let leftKnown = left.reading != nil || left.readingError != nil
            let rightKnown = right.reading != nil || right.readingError != nil
            if leftKnown != rightKnown { return leftKnown }
            // An image the model could not read at all is as doubtful as it gets.
            let leftConfidence = left.reading?.confidence ?? 0, rightConfidence = right.reading?.confidence ?? 0
            if leftConfidence != rightConfidence { return leftConfidence < rightConfidence }
        case .fileName:
            break
        case .newest:
            if left.modifiedNanoseconds != right.modifiedNanoseconds { return left.modifiedNanoseconds > right.modifiedNanoseconds }
        }
        return naturalLess(left.path, right.path)
    }

    private static func group(_ item: QueueItem) -> Int {
        switch item.decision?.status {
        case nil: return 0
        case .skipped: return 1
        default: return 2
        }
    }

    /// File names compared as people sort them: runs of digits by their value, so `2.png` < `10.png`.
    static func naturalLess(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8), b = Array(right.utf8)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if isDigit(a[i]) && isDigit(b[j]) {
                let startA = i, startB = j
                while i < a.count && isDigit(a[i]) { i += 1 }
                while j < b.count && isDigit(b[j]) { j += 1 }
                let runA = a[startA..<i].drop { $0 == UInt8(ascii: "0") }
                let runB = b[startB..<j].drop { $0 == UInt8(ascii: "0") }
                if runA.count != runB.count { return runA.count < runB.count }
                if !runA.elementsEqual(runB) { return runA.lexicographicallyPrecedes(runB) }
                if i - startA != j - startB { return i - startA < j - startB }
            } else {
                if a[i] != b[j] { return a[i] < b[j] }
                i += 1
                j += 1
            }
        }
        return a.count - i < b.count - j
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// The image after a decision: the first undecided one; once none is left, each skipped
    /// image once more; then the finished screen.
    mutating func selectNext() {
        if let index = ordered.first(where: { items[$0].isUndecided }) {
            current = items[index].path
            finished = false
            return
        }
        if let index = ordered.first(where: { items[$0].decision?.status == .skipped && !revisited.contains(items[$0].path) }) {
            current = items[index].path
            revisited.insert(items[index].path)
            finished = false
            return
        }
        current = nil
        finished = !items.isEmpty
        revisited = []
    }

    /// Position of the image on screen in the displayed order.
    var currentPosition: Int? {
        guard let current, let index = indexByPath[current] else { return nil }
        return ordered.firstIndex(of: index)
    }

    mutating func move(by offset: Int) {
        guard !ordered.isEmpty else { return }
        let target = currentPosition.map { $0 + offset } ?? (offset >= 0 ? 0 : ordered.count - 1)
        current = items[ordered[min(max(target, 0), ordered.count - 1)]].path
        finished = false
    }

    /// The images worth having ready: the one on screen and the next few undecided ones.
    func wantedPaths(count: Int = 4) -> [String] {
        var paths = current.map { [$0] } ?? []
        for index in ordered where paths.count <= count {
            let item = items[index]
            if item.isUndecided && item.path != current { paths.append(item.path) }
        }
        return paths
    }
}
