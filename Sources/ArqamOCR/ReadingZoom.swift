import ArqamImaging
import ArqamNN

/// The digits' own frame, found from a first reading, to read them again larger.
///
/// The model sees every picture at 200 × 50, so digits in a wide crop beside a caption, or
/// small in a tall box, reach it a few pixels high, where ٢ and ٣ differ by one tooth: the
/// shipped model reads a fifth of its held-out pictures whose digits are under 12 of its 50
/// rows wrong, against 7 % of those over 18. The first reading's trace says which of its
/// 50 steps (4 input columns each) wrote characters: that span, widened by one and a half
/// characters on each side, is where the digits are across. Down the picture, within that
/// span, they are the band of rows holding the most ink that is not a ruled line, with a
/// margin of 30 % of its height. Cropped from the picture as decoded, so the second reading
/// gets the picture's own resolution.
public enum ReadingZoom {
    /// Widening of the written span on each side, in character widths (the span's width over
    /// its characters, at least 2 steps).
    static let sideMargin = 1.5
    /// Margin above and below the band, as a share of its height.
    static let bandMargin = 0.3
    /// A row with ink along more than this share of the span is a rule or a box's edge.
    static let ruleShare = 0.6
    /// A row is in a band with at least this share of the inkiest row's ink (rules aside).
    static let bandShare = 0.12
    /// Rows of less ink inside a band: a digit's thin middle, or the gap between two rows of dots.
    static let bandGap = 2

    /// The part of `image` the digits of the reading traced by `trace` are in; the whole
    /// image if the trace wrote nothing.
    public static func picture(of image: GrayImage, trace: [Int]) -> GrayImage {
        let columns = span(of: trace, width: image.width)
        guard !columns.isEmpty else { return image }
        return image.region(columns: columns, rows: band(in: image, columns: columns))
    }

    /// Each picture cropped to its digits, found from the greedy trace of the picture's first
    /// view (the picture as given) in `firstLogits`, [pictures × views × steps × classes].
    public static func pictures(of pictures: [GrayImage], firstLogits: [Float], views: Int, threads: Int) -> [GrayImage] {
        Parallel.map(Array(pictures.indices), threads: threads) { index in
            picture(of: pictures[index], trace: Decoding.trace(logits: firstLogits, of: index * views))
        }
    }

    /// The picture columns of the steps that wrote characters, widened by `sideMargin`
    /// characters; empty if none wrote.
    static func span(of trace: [Int], width: Int) -> Range<Int> {
        let written = trace.indices.filter { trace[$0] != Alphabet.blank && trace[$0] != Alphabet.unknown }
        guard let first = written.first, let last = written.last else { return 0 ..< 0 }
        // A class held over neighbouring steps writes one character; anything between starts another.
        let characters = 1 + written.dropFirst().filter { trace[$0] != trace[$0 - 1] }.count
        let columnsPerStep = Double(Preprocessing.width) / Double(trace.count)
        let characterWidth = max(2 * columnsPerStep, Double(last - first) * columnsPerStep / Double(max(1, characters - 1)))
        let scale = Double(width) / Double(Preprocessing.width)
        let left = ((Double(first) + 0.5) * columnsPerStep - sideMargin * characterWidth) * scale
        let right = ((Double(last) + 0.5) * columnsPerStep + sideMargin * characterWidth) * scale
        return max(0, Int(left.rounded(.down))) ..< min(width, Int(right.rounded(.up)))
    }

    /// The rows of the band of digits within `columns`, with its margin; empty (the whole
    /// height) if no row holds ink.
    static func band(in image: GrayImage, columns: Range<Int>) -> Range<Int> {
        var grays: [UInt8] = []
        grays.reserveCapacity(columns.count * image.height)
        for y in 0..<image.height { grays += image.pixels[y * image.width + columns.lowerBound ..< y * image.width + columns.upperBound] }
        let ranked = Self.grays(ranked: [grays.count / 2, grays.count * 3 / 100], in: grays)
        let paper = Double(ranked[0]), ink = Double(ranked[1])
        let threshold = paper - max(25, 0.45 * (paper - ink))
        var inkPerRow = [Int](repeating: 0, count: image.height), isRule = [Bool](repeating: false, count: image.height)
        for y in 0..<image.height {
            let count = grays[y * columns.count ..< (y + 1) * columns.count].count { Double($0) < threshold }
            isRule[y] = Double(count) > ruleShare * Double(columns.count)
            inkPerRow[y] = isRule[y] ? 0 : count
        }
        guard let most = inkPerRow.max(), most > 0 else { return 0 ..< 0 }
        let isInBand = (0..<image.height).map { isRule[$0] || Double(inkPerRow[$0]) >= bandShare * Double(most) }
        var best: (ink: Int, rows: ClosedRange<Int>)?
        var y = 0
        while y < image.height {
            guard isInBand[y] else { y += 1; continue }
            var last = y, next = y + 1
            while next < image.height, next - last <= bandGap + 1 {
                if isInBand[next] { last = next }
                next += 1
            }
            let ink = inkPerRow[y...last].reduce(0, +)
            if best.map({ ink > $0.ink }) ?? true { best = (ink, y...last) }
            y = last + 1
        }
        guard let rows = best?.rows else { return 0 ..< 0 }
        let margin = bandMargin * Double(rows.count)
        return max(0, Int((Double(rows.lowerBound) - margin).rounded(.down))) ..< min(image.height, Int((Double(rows.upperBound + 1) + margin).rounded(.up)))
    }

    /// The grays a sort of `grays` would put at each of `ranks`, by counting them once: a
    /// large scan's band is found without a sort.
    static func grays(ranked ranks: [Int], in grays: [UInt8]) -> [UInt8] {
        var counts = [Int](repeating: 0, count: 256)
        for gray in grays { counts[Int(gray)] += 1 }
        return ranks.map { rank in
            var seen = 0
            for (gray, count) in counts.enumerated() {
                seen += count
                if seen > rank { return UInt8(gray) }
            }
            return 255
        }
    }
}
