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
        var a = left.utf8.makeIterator(), b = right.utf8.makeIterator()
        var nextA = a.next(), nextB = b.next()
        while let byteA = nextA, let byteB = nextB {
            guard isDigit(byteA) && isDigit(byteB) else {
                if byteA != byteB { return byteA < byteB }
                nextA = a.next()
                nextB = b.next()
                continue
            }
            // Compare the two digit runs by value: leading zeros aside, the longer is larger;
            // equal lengths compare by their first differing digit; equal values, fewer zeros first.
            var zerosA = 0, zerosB = 0
            while nextA == UInt8(ascii: "0") { zerosA += 1; nextA = a.next() }
            while nextB == UInt8(ascii: "0") { zerosB += 1; nextB = b.next() }
            var lengthA = 0, lengthB = 0, firstDifference = 0
            while let digitA = nextA, let digitB = nextB, isDigit(digitA), isDigit(digitB) {
                if firstDifference == 0 && digitA != digitB { firstDifference = digitA < digitB ? -1 : 1 }
                lengthA += 1
                lengthB += 1
                nextA = a.next()
                nextB = b.next()
            }
            while let digit = nextA, isDigit(digit) { lengthA += 1; nextA = a.next() }
            while let digit = nextB, isDigit(digit) { lengthB += 1; nextB = b.next() }
            if lengthA != lengthB { return lengthA < lengthB }
            if firstDifference != 0 { return firstDifference < 0 }
            if zerosA != zerosB { return zerosA < zerosB }
        }
        return nextA == nil && nextB != nil
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
