import ArqamImaging
import Testing

@Suite struct GrayImageFramingTests {
    // 3 × 2:  1 2 3
    //         4 5 6
    let picture = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])

    @Test func aMarginSurroundsThePictureWithTheFill() {
        let padded = picture.padded(by: 1, fill: 9)
        #expect(padded == GrayImage(width: 5, height: 4, pixels: [
            9, 9, 9, 9, 9,
            9, 1, 2, 3, 9,
            9, 4, 5, 6, 9,
            9, 9, 9, 9, 9,
        ]))
        #expect(picture.padded(by: 0, fill: 9) == picture)
    }

    @Test func aCropDropsStripsAtEveryEdgeUnlessNothingWouldBeLeft() {
        // 5 × 4, pixel value = 10 × row + column.
        let grid = GrayImage(width: 5, height: 4, pixels: (0..<4).flatMap { y in (0..<5).map { UInt8(10 * y + $0) } })
        #expect(grid.cropped(insetX: 1, insetY: 1) == GrayImage(width: 3, height: 2, pixels: [11, 12, 13, 21, 22, 23]))
        #expect(grid.cropped(insetX: 2, insetY: 0) == GrayImage(width: 1, height: 4, pixels: [2, 12, 22, 32]))
        // Removing 3 columns from each side of 5, or 2 rows from each side of 4, would leave nothing.
        #expect(grid.cropped(insetX: 3, insetY: 2) == grid)
    }

    @Test func aRegionKeepsItsColumnsAndRowsClampedToThePicture() {
        // 5 × 4, pixel value = 10 × row + column.
        let grid = GrayImage(width: 5, height: 4, pixels: (0..<4).flatMap { y in (0..<5).map { UInt8(10 * y + $0) } })
        #expect(grid.region(columns: 1 ..< 3, rows: 2 ..< 4) == GrayImage(width: 2, height: 2, pixels: [21, 22, 31, 32]))
        #expect(grid.region(columns: 3 ..< 9, rows: -2 ..< 1) == GrayImage(width: 2, height: 1, pixels: [3, 4]))
        // An empty range keeps the whole axis.
        #expect(grid.region(columns: 0 ..< 0, rows: 1 ..< 2) == GrayImage(width: 5, height: 1, pixels: [10, 11, 12, 13, 14]))
        #expect(grid.region(columns: 7 ..< 9, rows: 0 ..< 0) == grid)
    }

    @Test func theBorderMedianIsThePaperNotTheInk() {
        // 4 × 3 with a dark digit touching the top edge once: the border's 14 samples (corners
        // counted in a row and a column) are 13 × 200 and one 0, so the median is 200.
        var paper = GrayImage(width: 4, height: 3, pixels: [UInt8](repeating: 200, count: 12))
        paper[1, 0] = 0
        paper[1, 1] = 0
        #expect(paper.borderMedian == 200)
        // Half the samples dark, half light: the lower middle value.
        let split = GrayImage(width: 2, height: 1, pixels: [10, 250])
        #expect(split.borderMedian == 10)
    }
}
