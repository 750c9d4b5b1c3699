@testable import ArqamReview
import ArqamData
import Testing

@Suite("Station rendering (golden screens)")
struct StationRenderTests {
    static let small = ScreenSize(width: 80, height: 24)
    static let large = ScreenSize(width: 132, height: 40)

    @Test(arguments: [(small, "80x24"), (large, "132x40")], [(Charset.unicode, "utf8"), (Charset.ascii, "ascii")])
    func reviewing(size: (ScreenSize, String), charset: (Charset, String)) throws {
        try Golden.check(render(sampleState(), size: size.0, charset: charset.0), "reviewing-\(size.1)-\(charset.1)")
    }

    /// The zoom's crop goes under the label where the screen has room for a second picture,
    /// and nowhere on a screen without it.
    @Test func theZoomedCropWhereThereIsRoom() throws {
        var state = sampleState()
        send(&state, .zoomedPictureLoaded(path: "0031.png", .loaded(samplePicture())))
        try Golden.check(render(state, size: Self.large, charset: .unicode), "reviewing-zoomed-132x40-utf8")
        #expect(render(state, size: Self.small, charset: .unicode) == render(sampleState(), size: Self.small, charset: .unicode))
    }

    @Test(arguments: [(Charset.unicode, "utf8"), (Charset.ascii, "ascii")])
    func correcting(charset: (Charset, String)) throws {
        var state = sampleState()
        send(&state, .key(.character("e")), .key(.backspace), .key(.backspace), .key(.character("٠")), .key(.character("٦")),
             .key(.left))
        try Golden.check(render(state, size: Self.small, charset: charset.0), "correcting-80x24-\(charset.1)")
    }

    @Test(arguments: [(small, "80x24"), (large, "132x40")], [(Charset.unicode, "utf8"), (Charset.ascii, "ascii")])
    func finished(size: (ScreenSize, String), charset: (Charset, String)) throws {
        var state = sampleState()
        var id: Int64 = 10
        while let current = state.current {
            id += 1
            send(&state, .recorded(decision(id, current, id % 3 == 0 ? .unreadable : .accepted, label: "1", at: Double(id) * 30)))
        }
        try Golden.check(render(state, size: size.0, charset: charset.0), "finished-\(size.1)-\(charset.1)")
    }

    @Test func help() throws {
        var state = sampleState()
        send(&state, .key(.character("?")))
        try Golden.check(render(state, size: Self.small, charset: .unicode), "help-80x24-utf8")
    }

    @Test func findingAFile() throws {
        var state = sampleState()
        send(&state, [.key(.character("/"))] + keys("004"))
        try Golden.check(render(state, size: Self.small, charset: .unicode), "find-80x24-utf8")
    }

    @Test func narrowTerminalDropsTheQueueList() throws {
        try Golden.check(render(sampleState(), size: ScreenSize(width: 60, height: 16), charset: .unicode), "reviewing-60x16-utf8")
    }

    @Test(arguments: [ScreenSize(width: 53, height: 24), ScreenSize(width: 80, height: 14), ScreenSize(width: 20, height: 5)])
    func tooSmallSaysSo(size: ScreenSize) {
        let text = render(sampleState(), size: size, charset: .unicode).lines.joined(separator: "\n")
        #expect(text.contains("too small"))
        #expect(!text.contains("arqam review"))
    }

    @Test func tooSmallGolden() throws {
        try Golden.check(render(sampleState(), size: ScreenSize(width: 40, height: 10), charset: .ascii), "too-small-40x10-ascii")
    }

    @Test func emptyQueue() throws {
        let state = StationState(queueName: "inbox", modelName: "m", files: [], history: [], startedAt: sessionStart)
        try Golden.check(render(state, size: Self.small, charset: .unicode), "empty-80x24-utf8")
    }
}
