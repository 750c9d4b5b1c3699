import Foundation

/// Why the synthetic data generator could not start.
public enum SyntheticDataError: Error, Equatable, CustomStringConvertible {
    case fontsFolderMissing(URL)
    case noFontFiles(URL)
    case unreadableFont(URL, reason: String)
    case noDigitFont(URL)
    case noSlashFont(URL)
    case freeTypeFailed(code: Int32)
    case fontsNotFound(searched: [URL])

    public var description: String {
        switch self {
        case .fontsFolderMissing(let folder):
            return "fonts folder \(folder.path) does not exist; point --fonts or ARQAM_FONTS at the repository's Assets/fonts"
        case .noFontFiles(let folder):
            return "no .ttf or .otf fonts in \(folder.path); copy the fonts of Assets/fonts there"
        case .unreadableFont(let file, let reason):
            return "cannot read font \(file.path): \(reason); replace or remove the file"
        case .noDigitFont(let folder):
            return "no font in \(folder.path) has all ten Arabic-Indic (U+0660–0669) or Persian (U+06F0–06F9) digits; "
                + "add one, e.g. Noto Naskh Arabic"
        case .noSlashFont(let folder):
            return "no font in \(folder.path) has '/'; add one that does, e.g. DejaVu Sans or Amiri"
        case .freeTypeFailed(let code):
            return "FreeType could not start (error \(code)); check the libfreetype installation"
        case .fontsNotFound(let searched):
            return "cannot find the fonts folder; looked in " + searched.map(\.path).joined(separator: ", ")
                + "; set ARQAM_FONTS to the repository's Assets/fonts"
        }
    }
}

/// A font file's bytes, read once and shared read-only by every thread's FreeType faces
/// (FreeType reads memory faces in place and never writes to them).
final class FontBytes: @unchecked Sendable {
    let url: URL
    let base: UnsafeMutableRawBufferPointer
    let count: Int

    init(url: URL) throws(SyntheticDataError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadableFont(url, reason: error.localizedDescription)
        }
        self.url = url
        base = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, data.count), alignment: 16)
        _ = data.copyBytes(to: base)
        count = data.count
    }

    deinit { base.deallocate() }
}

/// What the layout needs to know about one font, measured once.
struct FontInfo: Sendable {
    var name: String
    var unitsPerEm: Double
    /// Tallest of the digits 1–9 (font units): fonts are sized so that their digits, not
    /// their em squares, come out the size a layout asks for.
    var digitHeight: Double
    var isBold: Bool
    var isItalic: Bool
    /// The code points of interest (digits of both scripts, `/`, `:`, caption letters) it maps.
    var covered: Set<UInt32>

    func covers(_ scalar: UInt32) -> Bool { covered.contains(scalar) }
}

/// The fonts of a fonts folder and which font serves which role.
struct FontCatalog: Sendable {
    var folder: URL
    var files: [FontBytes]
    var fonts: [FontInfo]
    /// Fonts with all ten digits of each script.
    var arabicIndicFonts: [Int]
    var persianFonts: [Int]
    /// Fonts with every glyph the captions use.
    var captionFonts: [Int]
    /// Drawn digit designs (after the files in `fonts`): digits only, no captions or `/`.
    var drawnFonts: [Int] = []
    /// Share of strings written in a drawn design rather than a font.
    var drawnShare = 0.0
    /// Share of strings in Persian digits (where the font has them).
    var persianShare = SyntheticGenerator.defaultPersianShare

    /// The code points a catalog asks each font about.
    static let scalarsOfInterest: [UInt32] =
        Array(0x660...0x669) + Array(0x6F0...0x6F9) + [0x2F, 0x3A, 0x20] + Array(0xFE70...0xFEFC)

    static func fontFiles(in folder: URL) throws(SyntheticDataError) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .fontsFolderMissing(folder)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let fonts = names.filter { ["ttf", "otf"].contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
        guard !fonts.isEmpty else { throw .noFontFiles(folder) }
        return fonts.map { folder.appendingPathComponent($0) }
    }

    /// Fonts with all ten digits of every script given.
    func fonts(drawing scripts: [DigitScript]) -> [Int] {
        fonts.indices.filter { font in
            scripts.allSatisfy { ($0 == .persian ? persianFonts : arabicIndicFonts).contains(font) }
        }
    }

    /// The font that draws `scalar` when `font` lacks it, as a text system's fallback would:
    /// the first font (by file name) of the same weight that has it, else any that has it.
    func fallback(for scalar: UInt32, from font: Int) -> Int? {
        if fonts[font].covers(scalar) { return font }
        let candidates = fonts.indices.filter { fonts[$0].covers(scalar) }
        return candidates.first { fonts[$0].isBold == fonts[font].isBold } ?? candidates.first
    }
}

extension SyntheticGenerator {
    /// `ARQAM_FONTS` if set, else the first `Assets/fonts` found beside the executable or one
    /// of its parent folders, else in the working directory or one of its parents.
    public static func defaultFontsDirectory() throws(SyntheticDataError) -> URL {
        var searched: [URL] = []
        if let variable = ProcessInfo.processInfo.environment["ARQAM_FONTS"], !variable.isEmpty {
            return URL(fileURLWithPath: variable, isDirectory: true)
        }
        var starts: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            starts.append(executable.deletingLastPathComponent())
        }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
        for start in starts {
            var folder = start.standardizedFileURL
            for _ in 0..<6 {
                let candidate = folder.appendingPathComponent("Assets/fonts", isDirectory: true)
                searched.append(candidate)
                if (try? FontCatalog.fontFiles(in: candidate)) != nil { return candidate }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        throw .fontsNotFound(searched: searched)
    }
}

extension FontCatalog {
    /// Opens every font once and notes what it can draw. A digit counts only if its outline
    /// loads and renders ink, so a damaged font is left out rather than drawing blanks.
    static func measure(folder: URL, files: [FontBytes], rasterizer: GlyphRasterizer,
                        drawnShare: Double) throws(SyntheticDataError) -> FontCatalog {
        var fonts: [FontInfo] = []
        for (index, file) in files.enumerated() {
            var covered = Set<UInt32>()
            for scalar in scalarsOfInterest where rasterizer.hasGlyph(font: index, scalar: scalar) {
                if scalar == 0x20 || draws(scalar, font: index, rasterizer: rasterizer) { covered.insert(scalar) }
            }
            let digits = covered.isSuperset(of: 0x661...0x669) ? [UInt32](0x661...0x669) : [UInt32](0x6F1...0x6F9)
            let heights = digits.compactMap { rasterizer.metrics(font: index, scalar: $0) }.map { $0.yMax - $0.yMin }
            fonts.append(FontInfo(name: file.url.lastPathComponent,
                                  unitsPerEm: rasterizer.unitsPerEm(font: index),
                                  digitHeight: heights.max() ?? rasterizer.unitsPerEm(font: index) * 0.7,
                                  isBold: rasterizer.isBold(font: index),
                                  isItalic: rasterizer.isItalic(font: index),
                                  covered: covered))
        }
        let arabicIndic = fonts.indices.filter { fonts[$0].covered.isSuperset(of: 0x660...0x669) }
        let persian = fonts.indices.filter { fonts[$0].covered.isSuperset(of: 0x6F0...0x6F9) }
        guard !arabicIndic.isEmpty || !persian.isEmpty else { throw .noDigitFont(folder) }
        guard fonts.contains(where: { $0.covers(0x2F) }) else { throw .noSlashFont(folder) }
        let captionScalars = Set(SynthCaption.phrases.flatMap { SynthCaption.visualGlyphs($0 + ":") })
        let caption = fonts.indices.filter { fonts[$0].covered.isSuperset(of: captionScalars) }
        var catalog = FontCatalog(folder: folder, files: files, fonts: fonts, arabicIndicFonts: arabicIndic,
                                  persianFonts: persian, captionFonts: caption)
        if drawnShare > 0 { catalog.addDrawnDesigns(share: drawnShare, rasterizer: rasterizer) }
        return catalog
    }

    private mutating func addDrawnDesigns(share: Double, rasterizer: GlyphRasterizer) {
        let digits = Set(Self.scalarsOfInterest.filter { (0x660...0x669).contains($0) || (0x6F0...0x6F9).contains($0) })
        for design in 0..<DrawnDigitDesign.count {
            let index = fonts.count
            let heights = (0x661...0x669).compactMap { rasterizer.metrics(font: index, scalar: UInt32($0)) }.map { $0.yMax - $0.yMin }
            fonts.append(FontInfo(name: "drawn design \(design)", unitsPerEm: DrawnDigitDesign.unitsPerHeight,
                                  digitHeight: heights.max() ?? DrawnDigitDesign.unitsPerHeight,
                                  isBold: false, isItalic: false, covered: digits))
            drawnFonts.append(index)
        }
        drawnShare = share
    }

    private static func draws(_ scalar: UInt32, font: Int, rasterizer: GlyphRasterizer) -> Bool {
        guard let bitmap = rasterizer.render(font: font, scalar: scalar, transform: .scale(0.05), origin: (0, 0),
                                             embolden: .none, warp: nil) else { return false }
        return bitmap.coverage.contains { $0 > 0 }
    }
}
