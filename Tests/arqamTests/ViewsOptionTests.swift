@testable import arqam
import ArqamOCR
import Testing

@Suite struct ViewsOptionTests {
    @Test func eachCommandReadsByItsDefaultUnlessAskedOtherwise() throws {
        let neither = try ViewsOption.parse([])
        let asGiven = neither.options(by: .asGiven), accurate = neither.options(by: .mostAccurate)
        #expect(asGiven.views == 1 && !asGiven.zoom)
        #expect(accurate.views == 3 && accurate.zoom)
        let zoomed = try ViewsOption.parse(["--zoom"]).options(by: .asGiven)
        #expect(zoomed.views == 1 && zoomed.zoom)
        let plain = try ViewsOption.parse(["--views", "1", "--no-zoom"]).options(by: .mostAccurate)
        #expect(plain.views == 1 && !plain.zoom)
        let three = try ViewsOption.parse(["--views", "3", "--no-zoom"]).options(by: .mostAccurate, alternatives: 0)
        #expect(three.views == 3 && !three.zoom && three.alternatives == 0)
        #expect(throws: (any Error).self) { try ViewsOption.parse(["--views", "4"]) }
    }

    @Test func aCacheOfReadingsIsNamedByHowTheyWereRead() {
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options()) == "abc")
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options(views: 3)) == "abc views 3")
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options(zoom: true)) == "abc zoom")
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options(views: 2, zoom: true)) == "abc views 2 zoom")
    }
}
