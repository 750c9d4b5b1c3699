@testable import ArqamReview
import Foundation
import Testing

/// Rendered screens compared with text files in `Golden/`: the characters, then a map of
/// the styles. `ARQAM_RECORD_GOLDEN=1 swift test --filter StationRenderTests` rewrites them.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// One letter per role (`ColourRole` order), upper case when bold; reverse cells use
    /// digits (plain) or symbols (bold) in the same role order. Plain normal cells are blank.
    static let legend = """
        # styles: role letters n f t d a g w b c = normal frame title dim accent good warning bad changed;
        # UPPER = bold; reverse: 0-8 (plain) or !"#$%&'() (bold) in the same order; blank = plain normal
        """

    static func code(_ style: CellStyle) -> Character {
        let role = style.role.rawValue
        if style.reverse {
            return Array(style.bold ? "!\"#$%&'()" : "012345678")[role]
        }
        if style == .plain { return " " }
        let letter = Array("nftdagwbc")[role]
        return style.bold ? Character(letter.uppercased()) : letter
    }

    static func text(_ screen: ScreenBuffer) -> String {
        var lines = screen.lines
        lines.append("-- styles")
        lines.append(legend)
        for row in 0..<screen.size.height {
            lines.append(String((0..<screen.size.width).map { code(screen[$0, row].style) }))
        }
        return lines.map { $0.replacingOccurrences(of: " +$", with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
    }

    static func check(_ screen: ScreenBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = folder.appendingPathComponent(name + ".txt")
        let actual = text(screen)
        if ProcessInfo.processInfo.environment["ARQAM_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, Comment(rawValue: "screen \(name) differs from Golden/\(name).txt; if the change is intended, "
                + "re-record with ARQAM_RECORD_GOLDEN=1"), sourceLocation: sourceLocation)
    }
}
