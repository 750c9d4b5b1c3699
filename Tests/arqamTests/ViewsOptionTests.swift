@testable import arqam
import ArqamOCR
import Testing

@Suite struct ViewsOptionTests {
    @Test func theZoomIsEachCommandsDefaultUnlessAskedOrRefused() throws {
        let neither = try ViewsOption.parse([])
        #expect(neither.options(zoomingByDefault: true).zoom && !neither.options(zoomingByDefault: false).zoom)
        #expect(try ViewsOption.parse(["--zoom"]).options(zoomingByDefault: false).zoom)
        #expect(try !ViewsOption.parse(["--no-zoom"]).options(zoomingByDefault: true).zoom)
        let three = try ViewsOption.parse(["--views", "3", "--no-zoom"]).options(zoomingByDefault: true, alternatives: 0)
        #expect(three.views == 3 && three.alternatives == 0)
    }

    @Test func aCacheOfReadingsIsNamedByHowTheyWereRead() {
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options()) == "abc")
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options(views: 3)) == "abc views 3")
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options(zoom: true)) == "abc zoom")
        #expect(ViewsOption.readerID(model: "abc", options: Recognizer.Options(views: 2, zoom: true)) == "abc views 2 zoom")
    }
}
