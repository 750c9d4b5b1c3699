import ArgumentParser
import ArqamData
import ArqamImaging
import Dispatch
import Foundation

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Render labeled images of digit fields, as a dataset folder for training.",
        discussion: """
        Draws form-field crops the way they come off scanners and phones: national IDs, \
        mobile numbers, dates and short numbers in Arabic-Indic (and some Persian) digits, in \
        the fonts of Assets/fonts bent into new shapes, and a share in drawn digit designs \
        (pen skeletons: squared, segmented, ring-zero shapes no font here has), with boxes, \
        combs, underlines, captions, paper texture, blur, noise and compression damage.

        Writes DIR/000000.png, DIR/000001.png, … and DIR/labels.tsv (path<TAB>label, labels \
        in Western digits and '/'). The same --seed gives the same files, byte for byte, \
        whatever --threads is; use another seed for another set.

        Examples:
          arqam synth --count 20000 --out data/synth-a
          arqam synth --count 5000 --out data/synth-b --seed 7 --threads 2
          arqam synth --contact-sheet samples.png   (24 samples in one image)
          arqam synth --fonts other-fonts --drawn-share 0 --count 100 --out test-a
                                          (only the fonts of other-fonts: a test set)
        """)

    @Option(help: "How many images to render (default for --contact-sheet: 24).")
    var count: Int?

    @Option(help: ArgumentHelp("The folder to create; it must not exist or be empty.", valueName: "dir"))
    var out: String?

    @Option(help: "Seed of the random stream: the same seed renders the same images.")
    var seed: UInt64 = 1

    @Option(help: "Images rendered at once; the default is the number of cores.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("The fonts folder (default: Assets/fonts beside the executable or the working directory, or ARQAM_FONTS).",
                               valueName: "dir"))
    var fonts: String?

    @Option(help: ArgumentHelp("Share of strings in drawn digit designs instead of the fonts; 0 draws with the fonts only.",
                               valueName: "share"))
    var drawnShare: Double = SyntheticGenerator.defaultDrawnShare

    @Option(help: ArgumentHelp("""
        Share of strings in Persian digits (۰–۹) where the font has them; 1 for a Persian-only set. \
        Fonts with digits of one script only (an Urdu font has ۰–۹ but no ٠–٩) write every string in it.
        """, valueName: "share"))
    var persianShare: Double = SyntheticGenerator.defaultPersianShare

    @Option(help: ArgumentHelp("Instead of a dataset, write one PNG tiling the first samples of the seed.", valueName: "file"))
    var contactSheet: String?

    func validate() throws {
        guard (out == nil) != (contactSheet == nil) else {
            throw ValidationError("give either --out DIR (a dataset) or --contact-sheet FILE (a preview)")
        }
        if out != nil, count == nil { throw ValidationError("--out needs --count: how many images to render") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if !(0...1).contains(drawnShare) { throw ValidationError("--drawn-share must be between 0 and 1") }
        if !(0...1).contains(persianShare) { throw ValidationError("--persian-share must be between 0 and 1") }
    }

    func run() throws {
        // The library's errors already say what failed, where, and what to do.
        do {
            try render()
        } catch let error as SyntheticDataError {
            throw CommandFailure(error.description)
        } catch let error as DatasetError {
            throw CommandFailure(error.description)
        }
    }

    private func render() throws {
        let fontsFolder = try fonts.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? SyntheticGenerator.defaultFontsDirectory()
        let generator = try SyntheticGenerator(fontsDirectory: fontsFolder, drawnShare: drawnShare, persianShare: persianShare)
        if let contactSheet {
            let sheet = generator.contactSheet(seed: seed, count: count ?? 24)
            try DatasetWriter.writeImage(sheet, to: URL(fileURLWithPath: contactSheet))
            return
        }
        guard let out, let count else { return }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try requireEmpty(folder)
        let writer = try DatasetWriter(folder: folder)
        let digits = max(6, String(count - 1).count)
        func name(_ index: Int) -> String {
            let number = String(index)
            return String(repeating: "0", count: digits - number.count) + number + ".png"
        }
        let progress = ProgressBar(total: count, label: "synth")
        let started = Date()
        let chunk = 64 * threads
        for first in stride(from: 0, to: count, by: chunk) {
            let indices = first..<min(count, first + chunk)
            let labels = try renderChunk(indices, generator: generator, folder: folder, name: name)
            for (index, label) in zip(indices, labels) { try writer.addLine(path: name(index), label: label) }
            progress.advance(by: indices.count)
        }
        try writer.close()
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data(String(
            format: "wrote %d images and labels.tsv to %@ in %.1f s (%.0f images/s)\n",
            count, folder.path, seconds, Double(count) / max(seconds, 1e-9)).utf8))
    }

    /// Renders and writes the chunk's images on `threads` threads; returns the labels in order.
    private func renderChunk(_ indices: Range<Int>, generator: SyntheticGenerator, folder: URL,
                             name: (Int) -> String) throws -> [String] {
        let results = ChunkResults(count: indices.count)
        let names = indices.map(name)
        let seed = self.seed, workers = min(threads, indices.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for offset in stride(from: worker, to: names.count, by: workers) where !results.failed {
                let sample = generator.sample(seed: seed, index: indices.lowerBound + offset)
                do {
                    try DatasetWriter.writeImage(sample.image, to: folder.appendingPathComponent(names[offset]))
                    results.set(offset, label: sample.label)
                } catch {
                    results.fail(error)
                }
            }
        }
        return try results.labels()
    }

    private func requireEmpty(_ folder: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw CommandFailure("\(folder.path) is a file; --out needs a folder") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard entries.isEmpty else {
            throw CommandFailure("\(folder.path) is not empty; give a new folder so that no dataset is overwritten")
        }
    }
}

/// Labels of one chunk, filled in by the worker threads; the first error stops the rest.
private final class ChunkResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [String?]
    private var error: (any Error)?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var failed: Bool { lock.withLock { error != nil } }

    func set(_ offset: Int, label: String) { lock.withLock { slots[offset] = label } }

    func fail(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }

    func labels() throws -> [String] {
        try lock.withLock {
            if let error { throw error }
            return slots.map { $0 ?? "" }
        }
    }
}
