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

/// The prefixes that ever survived a step, as a tree: a node is a prefix, its parent the
/// prefix one class shorter.
private struct PrefixTree {
    private(set) var parent: [Int] = [-1]
    private(set) var lastClass: [Int] = [-1]

    mutating func append(parent node: Int, classIndex: Int) -> Int {
        parent.append(node)
        lastClass.append(classIndex)
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
        let node: Int
        let endingInBlank: Double
        let endingInLabel: Double
        let total: Double
    }

    /// A prefix scored for the next step: a surviving one (`node ≥ 0`) or an extension of one
    /// that gets a node only if it survives.
    struct Candidate {
        var node: Int
        var parent: Int
        var classIndex: Int
        var endingInBlank = -Double.infinity
        var endingInLabel = -Double.infinity
    }

    private(set) var tree = PrefixTree()
    /// The surviving prefixes, most probable first; the empty prefix to start with.
    private(set) var beam = [Entry(node: 0, endingInBlank: 0, endingInLabel: -.infinity, total: 0)]
    private let classes: Int
    private let width: Int
    private var candidates: [Candidate] = []
    /// Beam positions by `parent · classes + last class`, so an extension that is already a
    /// surviving prefix adds to it instead of duplicating it.
    private var survivorByExtension: [Int: Int] = [:]
    private var ranked: [(total: Double, candidate: Int)] = []

    init(classes: Int, width: Int) {
        self.classes = classes
        self.width = width
    }

    mutating func advance(_ step: ArraySlice<Double>) {
        let blank = classes - 1
        let base = step.startIndex
        candidates.removeAll(keepingCapacity: true)
        survivorByExtension.removeAll(keepingCapacity: true)
        for (position, entry) in beam.enumerated() {
            candidates.append(Candidate(node: entry.node, parent: -1, classIndex: -1))
            if entry.node > 0 {
                survivorByExtension[tree.parent[entry.node] * classes + tree.lastClass[entry.node]] = position
            }
        }
        for (position, entry) in beam.enumerated() {
            candidates[position].endingInBlank = entry.total + step[base + blank]
            let last = tree.lastClass[entry.node]
            for k in 0..<blank where k != Alphabet.unknown {
                let score = step[base + k]
                let target: Int
                if let survivor = survivorByExtension[entry.node * classes + k] {
                    target = survivor
                } else {
                    target = candidates.count
                    candidates.append(Candidate(node: -1, parent: entry.node, classIndex: k))
                }
                if k == last {
                    // Without a blank between them, equal classes merge into the same prefix.
                    candidates[position].endingInLabel = CTC.logAddExp(candidates[position].endingInLabel, entry.endingInLabel + score)
                    candidates[target].endingInLabel = CTC.logAddExp(candidates[target].endingInLabel, entry.endingInBlank + score)
                } else {
                    candidates[target].endingInLabel = CTC.logAddExp(candidates[target].endingInLabel, entry.total + score)
                }
            }
        }
        selectBest()
        beam = ranked.map { total, index in
            let candidate = candidates[index]
            let node = candidate.node >= 0 ? candidate.node : tree.append(parent: candidate.parent, classIndex: candidate.classIndex)
            return Entry(node: node, endingInBlank: candidate.endingInBlank, endingInLabel: candidate.endingInLabel, total: total)
        }
    }

    /// The `width` most probable candidates into `ranked`, best first; equal totals keep candidate
    /// order, so results are reproducible.
    private mutating func selectBest() {
        ranked.removeAll(keepingCapacity: true)
        for (index, candidate) in candidates.enumerated() {
            let total = CTC.logAddExp(candidate.endingInBlank, candidate.endingInLabel)
            guard total > -.infinity, ranked.count < width || total > ranked[ranked.count - 1].total else { continue }
            var slot = ranked.count
            while slot > 0 && ranked[slot - 1].total < total { slot -= 1 }
            ranked.insert((total, index), at: slot)
            if ranked.count > width { ranked.removeLast() }
        }
    }
}
