import Foundation

/// A label sequence and its probability summed over the alignments the search kept.
public struct CTCHypothesis: Sendable, Equatable {
    public var labels: [Int]
    public var logProbability: Double

    public init(labels: [Int], logProbability: Double) {
        self.labels = labels
        self.logProbability = logProbability
    }

    /// `labels` in Western digits and `/`.
    public var text: String { Alphabet.decode(labels) }
}

extension CTC {
    /// The `count` most probable distinct label sequences by CTC prefix beam search, most
    /// probable first (ties: the prefix found first).
    ///
    /// Every prefix carries two log probabilities, of its alignments ending in a blank and of
    /// those ending in its last class, so that a repeated class extends the prefix only after
    /// a blank. The `width` most probable prefixes survive each step. When `width` is at least
    /// the number of prefixes that can occur, the probabilities are exact.
    ///
    /// `[UNK]` is an ordinary CTC class to the model (it stands for a character outside the
    /// alphabet in training labels), so an alignment through it spells a string containing an
    /// unreadable character, which is none of the strings this search can return. Prefixes are
    /// therefore never extended with `[UNK]` and that mass is dropped: treating `[UNK]` like a
    /// blank would credit a string with alignments that spell a different one. The returned
    /// probabilities are those of the printable strings, so they sum to at most 1 − P([UNK] in
    /// the string).
    public static func beamSearch(
        logits: UnsafeBufferPointer<Float>, steps: Int, classes: Int,
        temperature: Double = 1, width: Int = 16, count: Int = 3
    ) -> [CTCHypothesis] {
        precondition(logits.count == steps * classes && classes >= 2, "logits hold \(logits.count) values, not \(steps) × \(classes)")
        precondition(temperature > 0 && temperature.isFinite, "temperature must be positive and finite, not \(temperature)")
        precondition(width >= 1 && count >= 0, "the beam needs a width of at least 1")
        var logProbabilities = [Double](repeating: 0, count: steps * classes)
        logProbabilities.withUnsafeMutableBufferPointer {
            logSoftmaxRows(logits, steps: steps, classes: classes, temperature: temperature, into: $0)
        }
        var search = PrefixBeam(classes: classes, width: width)
        for t in 0..<steps {
            search.advance(logProbabilities[(t * classes)..<((t + 1) * classes)])
        }
        return search.beam.prefix(count).map {
            CTCHypothesis(labels: search.tree.labels(of: $0.node), logProbability: $0.total)
        }
    }

    public static func beamSearch(
        logits: [Float], steps: Int, classes: Int, temperature: Double = 1, width: Int = 16, count: Int = 3
    ) -> [CTCHypothesis] {
        logits.withUnsafeBufferPointer {
            beamSearch(logits: $0, steps: steps, classes: classes, temperature: temperature, width: width, count: count)
        }
    }
}

/// Every prefix ever scored, as a tree: a node is a prefix, its parent the prefix one shorter.
private struct PrefixTree {
    private(set) var parent: [Int] = [-1]
    private(set) var lastClass: [Int] = [-1]
    private var children: [Int: Int] = [:]
    private let classes: Int

    init(classes: Int) { self.classes = classes }

    var nodeCount: Int { parent.count }

    mutating func child(of node: Int, appending classIndex: Int) -> Int {
        let key = node * classes + classIndex
        if let existing = children[key] { return existing }
        parent.append(node)
        lastClass.append(classIndex)
        children[key] = parent.count - 1
        return parent.count - 1
    }

    func labels(of node: Int) -> [Int] {
        var labels: [Int] = []
        var current = node
        while current > 0 {
            labels.append(lastClass[current])
            current = parent[current]
        }
        return labels.reversed()
    }
}

private struct PrefixBeam {
    struct Entry {
        var node: Int
        var endingInBlank: Double
        var endingInLabel: Double
        var total: Double { CTC.logAddExp(endingInBlank, endingInLabel) }
    }

    private(set) var tree: PrefixTree
    /// The surviving prefixes, most probable first; the empty prefix to start with.
    private(set) var beam = [Entry(node: 0, endingInBlank: 0, endingInLabel: -.infinity)]
    private let classes: Int
    private let width: Int
    // Next-step scores indexed by node, and the nodes touched this step.
    private var nextBlank: [Double] = [-.infinity]
    private var nextLabel: [Double] = [-.infinity]
    private var touched: [Int] = []

    init(classes: Int, width: Int) {
        self.classes = classes
        self.width = width
        tree = PrefixTree(classes: classes)
    }

    mutating func advance(_ step: ArraySlice<Double>) {
        let blank = classes - 1
        let base = step.startIndex
        for entry in beam {
            let total = entry.total
            add(entry.node, blank: total + step[base + blank])
            for k in 0..<blank where k != Alphabet.unknown {
                let score = step[base + k]
                let extended = node(extending: entry.node, with: k)
                if k == tree.lastClass[entry.node] {
                    // Without a blank between them, equal classes merge into the same prefix.
                    add(entry.node, label: entry.endingInLabel + score)
                    add(extended, label: entry.endingInBlank + score)
                } else {
                    add(extended, label: total + score)
                }
            }
        }
        beam = touched.map { Entry(node: $0, endingInBlank: nextBlank[$0], endingInLabel: nextLabel[$0]) }
        for node in touched {
            nextBlank[node] = -.infinity
            nextLabel[node] = -.infinity
        }
        touched.removeAll(keepingCapacity: true)
        // Stable on `touched` order, so equal scores keep the prefix reached first.
        beam = beam.enumerated()
            .sorted { $0.element.total > $1.element.total || ($0.element.total == $1.element.total && $0.offset < $1.offset) }
            .prefix(width).map(\.element)
    }

    private mutating func node(extending node: Int, with classIndex: Int) -> Int {
        let child = tree.child(of: node, appending: classIndex)
        while nextBlank.count < tree.nodeCount {
            nextBlank.append(-.infinity)
            nextLabel.append(-.infinity)
        }
        return child
    }

    private mutating func add(_ node: Int, blank: Double = -.infinity, label: Double = -.infinity) {
        guard blank > -.infinity || label > -.infinity else { return }
        if nextBlank[node] == -.infinity && nextLabel[node] == -.infinity { touched.append(node) }
        nextBlank[node] = CTC.logAddExp(nextBlank[node], blank)
        nextLabel[node] = CTC.logAddExp(nextLabel[node], label)
    }
}
