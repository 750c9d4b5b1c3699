@testable import ArqamReview
import ArqamImaging
import ArqamOCR
import Foundation
import Testing

/// The pictures the station draws, from a real PNG: the whole field, and the crop the zoom
/// reads a second time.
@Suite struct StationEngineTests {
    /// A 400 × 100 field with a dark bar at columns 150–249, rows 40–59, and a trace that wrote
    /// three characters at steps 20, 25 and 30. Worked out by hand: the model's 200 × 50 sees
    /// the bar 50 columns wide and 10 rows high. The zoom's span is steps 20–30 widened by 1.5
    /// characters of 20 columns (image columns 104–303), its band rows 40–59 with 6 rows of
    /// margin (34–65), so the 200 × 32 crop stretched to 200 × 50 shows the bar 100 columns
    /// wide and 31 rows high.
    @Test func theZoomedPictureShowsTheTracedDigitsLarger() throws {
        var image = GrayImage(width: 400, height: 100, pixels: [UInt8](repeating: 235, count: 400 * 100))
        for y in 40..<60 { for x in 150..<250 { image.pixels[y * 400 + x] = 30 } }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-zoom-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        try PNGWriter.write(image, to: url)
        var trace = [Int](repeating: Alphabet.blank, count: ModelPicture.steps)
        for step in [20, 25, 30] { trace[step] = Alphabet.classIndex(of: "1")! }

        func darkExtent(_ picture: ModelPicture) -> (columns: Int, rows: Int) {
            let columns = (0..<ModelPicture.width).filter { x in (0..<ModelPicture.height).contains { picture[x, $0] < 0.5 } }
            let rows = (0..<ModelPicture.height).filter { y in (0..<ModelPicture.width).contains { picture[$0, y] < 0.5 } }
            return (columns.count, rows.count)
        }
        let whole = darkExtent(try StationEngine.modelPicture(of: url))
        let zoomed = darkExtent(try StationEngine.zoomedModelPicture(of: url, trace: trace))
        #expect((49...51).contains(whole.columns) && (9...11).contains(whole.rows), "\(whole)")
        #expect((98...102).contains(zoomed.columns) && (29...33).contains(zoomed.rows), "\(zoomed)")
    }
}
