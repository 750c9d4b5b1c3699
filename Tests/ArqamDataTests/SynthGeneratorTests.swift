import ArqamImaging
import ArqamNN
import Dispatch
import Foundation
import Testing
@testable import ArqamData

/// The repository, found from this file, and its Assets/fonts.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let repositoryFonts = repositoryRoot.appendingPathComponent("Assets/fonts", isDirectory: true)

/// One generator for all tests (it opens eleven fonts); `sample` is thread-safe.
let sharedGenerator = Result { try SyntheticGenerator(fontsDirectory: repositoryFonts) }

/// A fresh folder under the system's temporary folder.
func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-\(name)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct SynthGeneratorTests {
    @Test func sameSeedAndIndexGiveTheSameBytes() throws {
        let generator = try sharedGenerator.get()
        let another = try SyntheticGenerator(fontsDirectory: repositoryFonts)
        for index in 0..<12 {
            let first = generator.sample(seed: 42, index: index)
            let second = another.sample(seed: 42, index: index)
            #expect(first.image == second.image)
            #expect(first.label == second.label)
        }
    }

    @Test func otherSeedsAndIndicesGiveOtherImages() throws {
        let generator = try sharedGenerator.get()
        let reference = (0..<8).map { generator.sample(seed: 1, index: $0).image }
        let otherSeed = (0..<8).map { generator.sample(seed: 2, index: $0).image }
        #expect(zip(reference, otherSeed).allSatisfy { $0 != $1 })
        #expect(Set(reference.map(\.pixels)).count == reference.count)
    }

    @Test func threadsDoNotChangeTheImages() throws {
        let generator = try sharedGenerator.get()
        let count = 16
        let serial = (0..<count).map { generator.sample(seed: 9, index: $0) }
        let parallel = ParallelSamples(count: count)
        // Reversed and interleaved over 4 workers: each draws from its own borrowed FreeType.
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for index in stride(from: count - 1 - worker, through: 0, by: -4) {
                parallel.store(index, generator.sample(seed: 9, index: index))
            }
        }
        for index in 0..<count {
            #expect(parallel.get(index)?.image == serial[index].image)
            #expect(parallel.get(index)?.label == serial[index].label)
        }
    }

    @Test func labelsUseTheAlphabetAndFitTheModel() throws {
        let generator = try sharedGenerator.get()
        // The label of a sample is the first draw of its stream; the texts alone are cheap to check in bulk.
        for index in 0..<20 {
            var stream = SeededRandom(seed: 3).derived(UInt64(index))
            #expect(generator.sample(seed: 3, index: index).label == SynthText.random(&stream).label)
        }
        var rng = SeededRandom(seed: 3)
        for _ in 0..<3000 {
            let label = SynthText.random(&rng).label
            #expect(!label.isEmpty && label.count <= 20, "label \(label)")
            #expect(label.allSatisfy { $0 == "/" || ("0"..."9").contains($0) }, "label \(label)")
            #expect(LabelRules.stepsNeeded(label) <= LabelRules.timeSteps)
        }
    }

    @Test func imagesHaveInkOnPaperAndFieldShapes() throws {
        let generator = try sharedGenerator.get()
        for index in 0..<60 {
            let (image, label) = generator.sample(seed: 5, index: index)
            // Heights 32…120 (or 50 for the 200 × 50 renders); width 1.5 to 9 heights
            // (FieldLayout aims at 2.6–9, less only when the digits would get too narrow), 14
            // for a squeezed crop, except a short number cropped to its box.
            #expect((32...120).contains(image.height), "sample \(index): \(image.width)×\(image.height)")
            let aspect = Double(image.width) / Double(image.height)
            #expect(aspect >= (label.count <= 4 ? 0.2 : 1.5) && aspect <= 14.1, "sample \(index): \(image.width)×\(image.height)")
            // Ink: the darkest pixels well below the paper (the median). Look.random keeps ink at
            // least 55 levels under the paper; blur and noise eat part of that. A lone small digit
            // in a tall crop inks a few tenths of a percent of it, so short labels look at fewer.
            let sorted = image.pixels.sorted()
            let inkShare = min(0.01, 0.002 * Double(label.count))
            let paper = Int(sorted[sorted.count / 2]), ink = Int(sorted[Int(Double(sorted.count) * inkShare)])
            #expect(paper - ink >= 25, "sample \(index): paper \(paper), ink \(ink)")
            // Never light on dark.
            #expect(paper >= 100, "sample \(index): paper \(paper)")
        }
    }

    @Test func shortNumbersAreSometimesCroppedToTheirBox() throws {
        let generator = try sharedGenerator.get()
        var short = 0, narrow = 0
        for index in 0..<400 {
            let (image, label) = generator.sample(seed: 6, index: index)
            guard label.count <= 4 else { continue }
            short += 1
            if image.width < image.height * 3 / 2 { narrow += 1 }
        }
        // About one string in ten is that short, and a third of those are cropped to the
        // content; only the one- and two-digit ones come out narrower than 1.5 : 1.
        #expect(short >= 20)
        #expect(narrow >= 2 && narrow < short / 2, "\(narrow) of \(short) short numbers narrower than 1.5 : 1")
    }

    @Test func someImagesAreRenderedAtTheModelsOwnSize() throws {
        let generator = try sharedGenerator.get()
        let sizes = (0..<60).map { generator.sample(seed: 8, index: $0).image }.map { [$0.width, $0.height] }
        // FieldLayout renders 20 % at 200 × 50: 12 of 60 expected, 3 or fewer has odds of about 1 in 1000 (binomial).
        #expect(sizes.filter { $0 == [200, 50] }.count > 3)
        // The other heights are drawn from 32…120: 48 draws give many distinct ones.
        #expect(Set(sizes.map { $0[1] }).count > 15)
    }

    @Test func contactSheetTilesTheSamples() throws {
        let generator = try sharedGenerator.get()
        let sheet = generator.contactSheet(seed: 1, count: 5, columns: 2, cellWidth: 100, cellHeight: 20)
        // 2 columns × 3 rows of 100 × 20 cells with 6-pixel gaps around them.
        #expect(sheet.width == 2 * 106 + 6 && sheet.height == 3 * 26 + 6)
        // The sixth cell stays empty (mid-grey 128).
        let left = 6 + 106, top = 6 + 2 * 26
        var emptyCell: [UInt8] = []
        for y in top..<(top + 20) {
            for x in left..<(left + 100) { emptyCell.append(sheet[x, y]) }
        }
        #expect(emptyCell.allSatisfy { $0 == 128 })
    }
}

/// Results written by several threads, each to its own slot.
private final class ParallelSamples: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [(image: GrayImage, label: String)?]

    init(count: Int) { samples = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ sample: (image: GrayImage, label: String)) { lock.withLock { samples[index] = sample } }

    func get(_ index: Int) -> (image: GrayImage, label: String)? { lock.withLock { samples[index] } }
}

@Suite struct SynthLayoutTests {
    /// A placer with a FreeType instance of its own (one must not be shared between threads).
    static func placer() throws -> GlyphPlacer {
        let generator = try sharedGenerator.get()
        return GlyphPlacer(catalog: generator.catalog, rasterizer: try GlyphRasterizer(files: generator.catalog.files))
    }

    /// Every digit's ink box (which already allows for stroke growth and warps) lies inside
    /// the crop: a cut digit would make the label lie.
    @Test func digitsAlwaysFitTheCrop() throws {
        let placer = try Self.placer()
        var rng = SeededRandom(seed: 17)
        for _ in 0..<400 {
            let text = SynthText.random(&rng)
            let layout = FieldLayout.random(text: text, placer: placer, rng: &rng)
            let box = layout.digitBox
            #expect(layout.digits.count == text.label.count)
            #expect(box.minX >= 0 && box.maxX <= Double(layout.width) && box.minY >= 0 && box.maxY <= Double(layout.height),
                    "\(text.label) in \(layout.width)×\(layout.height): \(box)")
        }
    }

    /// Digits reach the model at least 8 pixels high, and small print in a tall crop (a fifth of
    /// the resized crops draw digits 0.16–0.32 of the height, 8–16 of the model's 50) is common.
    @Test func someDigitsReachTheModelSmallButNoneTooSmall() throws {
        let placer = try Self.placer()
        var rng = SeededRandom(seed: 19)
        let heights = (0..<300).map { _ in
            FieldLayout.random(text: SynthText.random(&rng), placer: placer, rng: &rng).modelDigitHeight
        }
        #expect(heights.allSatisfy { $0 >= FieldLayout.smallestModelDigitHeight })
        // 300 × 0.8 × 0.2 ≈ 48 small-print layouts expected, plus long strings shrunk to fit.
        let small = heights.filter { $0 < 16 }.count
        #expect(small >= 30 && small <= 120, "\(small) of 300 under 16 pixels")
    }

    /// A third of the crops squeeze their characters below the comfortable 8.5 model columns
    /// (a caption or a long ID beside them takes the width), but never below what CTC needs:
    /// a 4-column step per character and one more per repeated pair.
    @Test func charactersAreSqueezedButKeepRoomForCTC() throws {
        let placer = try Self.placer()
        var rng = SeededRandom(seed: 20)
        var squeezed = 0
        for _ in 0..<300 {
            let text = SynthText.random(&rng)
            let layout = FieldLayout.random(text: text, placer: placer, rng: &rng)
            let characters = Double(text.label.count)
            let columns = layout.digitBox.width * 200 / Double(layout.width) / characters
            #expect(columns >= 4 * Double(LabelRules.stepsNeeded(text.label)) / characters,
                    "\(text.label) at \(columns) columns per character")
            if columns < FieldLayout.comfortableModelColumnsPerCharacter { squeezed += 1 }
        }
        #expect(squeezed >= 20 && squeezed <= 90, "\(squeezed) of 300 squeezed")
    }

    /// Some crops hold a whole caption line above their field: every letter inside the crop and
    /// above the digits.
    @Test func someCaptionsStandWholeAboveTheirField() throws {
        let placer = try Self.placer()
        var rng = SeededRandom(seed: 21)
        let whole = (0..<1000).filter { _ in
            let layout = FieldLayout.random(text: SynthText.random(&rng), placer: placer, rng: &rng)
            let digits = layout.digitBox
            return !layout.caption.isEmpty && layout.caption.allSatisfy { letter in
                letter.inkBox.minY >= 0 && letter.inkBox.maxY < digits.minY
                    && letter.inkBox.minX >= 0 && letter.inkBox.maxX <= Double(layout.width)
            }
        }.count
        // 3 % of the crops: 30 of 1,000, give or take three standard deviations (5.4 each).
        #expect(whole >= 14 && whole <= 47, "\(whole) of 1,000 with a whole caption above")
    }

    /// Digits never touch: FieldLayout keeps a gap between neighbouring ink boxes.
    @Test func neighbouringDigitsKeepApart() throws {
        let placer = try Self.placer()
        var rng = SeededRandom(seed: 18)
        for _ in 0..<200 {
            let layout = FieldLayout.random(text: SynthText.random(&rng), placer: placer, rng: &rng)
            for (left, right) in zip(layout.digits, layout.digits.dropFirst()) {
                #expect(right.inkBox.minX >= left.inkBox.maxX - 1e-9)
            }
        }
    }
}
