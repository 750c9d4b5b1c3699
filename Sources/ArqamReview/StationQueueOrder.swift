extension StationState {
    /// Undecided images first, then skipped ones (they come back later), then decided ones,
    /// most recent decision first; within the first two groups, `order`. The queue can hold
    /// tens of thousands of images, so each is reduced to a key of plain numbers, kept in
    /// `sortKeys`; a change to a few images moves just those.
    mutating func reorder() {
        if nameRanks.count != items.count { rankNames() }
        sortKeys = items.indices.map(sortKey)
        let keys = sortKeys
        ordered = keys.indices.sorted { keys[$0] < keys[$1] }
    }

    /// Moves images whose key may have changed to their new places.
    mutating func reposition(_ changed: [Int]) {
        // Past a few dozen, one sort is cheaper than moving each.
        guard changed.count <= 64, sortKeys.count == items.count else { return reorder() }
        for index in changed {
            let key = sortKey(index)
            guard key != sortKeys[index] else { continue }
            let keys = sortKeys
            let oldPosition = Self.insertionPoint(of: keys[index], in: ordered) { keys[$0] }
            ordered.remove(at: oldPosition)
            sortKeys[index] = key
            let updated = sortKeys
            ordered.insert(index, at: Self.insertionPoint(of: key, in: ordered) { updated[$0] })
        }
    }

    /// The first position in `ordered` whose key is not below `key` (keys are unique).
    private static func insertionPoint(of key: SortKey, in ordered: [Int], keyOf: (Int) -> SortKey) -> Int {
        var low = 0, high = ordered.count
        while low < high {
            let middle = (low + high) / 2
            if keyOf(ordered[middle]) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    struct SortKey: Comparable, Sendable {
        var group: Int
        var primary: Double
        var secondary: Int64
        /// Unique per image, so no two keys are equal.
        var nameRank: Int

        static func < (left: SortKey, right: SortKey) -> Bool {
            (left.group, left.primary, left.secondary, left.nameRank) < (right.group, right.primary, right.secondary, right.nameRank)
        }
    }

    private func sortKey(_ index: Int) -> SortKey {
        let nameRank = nameRanks[index]
        switch items[index].decision?.status {
        case nil, .skipped?:
            let group = items[index].decision == nil ? 0 : 1
            switch order {
            case .leastConfident:
                // An image the model could not read at all is as doubtful as it gets; one not
                // read yet waits at the end until it is.
                let confidence = items[index].reading?.confidence ?? (items[index].readingError != nil ? 0 : 2)
                return SortKey(group: group, primary: confidence, secondary: 0, nameRank: nameRank)
            case .fileName:
                return SortKey(group: group, primary: 0, secondary: 0, nameRank: nameRank)
            case .newest:
                return SortKey(group: group, primary: 0, secondary: -items[index].modifiedNanoseconds, nameRank: nameRank)
            }
        default:
            return SortKey(group: 2, primary: 0, secondary: Int64(-items[index].decisionSequence), nameRank: nameRank)
        }
    }

    /// Each image's place in file-name order, worked out once per change of the file list.
    private mutating func rankNames() {
        let paths = items.map(\.path)
        var ranks = [Int](repeating: 0, count: paths.count)
        for (rank, index) in paths.indices.sorted(by: { Self.naturalLess(paths[$0], paths[$1]) }).enumerated() {
            ranks[index] = rank
        }
        nameRanks = ranks
    }

    /// File names compared as people sort them: runs of digits by their value, so `2.png` < `10.png`.
    static func naturalLess(_ left: String, _ right: String) -> Bool {
        var left = left, right = right
        return left.withUTF8 { a in right.withUTF8 { b in naturalLess(a, b) } }
    }

    private static func naturalLess(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            guard isDigit(a[i]) && isDigit(b[j]) else {
                if a[i] != b[j] { return a[i] < b[j] }
                i += 1
                j += 1
                continue
            }
            // Compare the two digit runs by value: leading zeros aside, the longer is larger;
            // equal lengths compare by their first differing digit; equal values, fewer zeros first.
            let zerosStartA = i, zerosStartB = j
            while i < a.count && a[i] == UInt8(ascii: "0") { i += 1 }
            while j < b.count && b[j] == UInt8(ascii: "0") { j += 1 }
            let zerosA = i - zerosStartA, zerosB = j - zerosStartB
            let runStartA = i, runStartB = j
            while i < a.count && isDigit(a[i]) { i += 1 }
            while j < b.count && isDigit(b[j]) { j += 1 }
            let lengthA = i - runStartA, lengthB = j - runStartB
            if lengthA != lengthB { return lengthA < lengthB }
            for offset in 0..<lengthA where a[runStartA + offset] != b[runStartB + offset] {
                return a[runStartA + offset] < b[runStartB + offset]
            }
            if zerosA != zerosB { return zerosA < zerosB }
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
