import Testing
@testable import ArqamImaging

@Test func unitScaleIsTheFloatOfOneOver255() {
    #expect(GrayImage.unitScale.bitPattern == 0x3B80_8081)  // section 3.3
    // Section 3.3: multiplying differs from dividing by 255 in the last bit for 126 values.
    let differing = (0..<256).filter { Float($0) * GrayImage.unitScale != Float($0) / 255 }.count
    #expect(differing == 126)
    let image = GrayImage(width: 3, height: 1, pixels: [0, 128, 255])
    #expect(image.unitFloatPixels() == [0, 128 * GrayImage.unitScale, 255 * GrayImage.unitScale])
}

@Test func axisFollowsHalfPixelCentres() {
    // n = 2 → m = 4: scale 0.5, source = (i + 0.5)·0.5 − 0.5 = −0.25, 0.25, 0.75, 1.25.
    let axis = BilinearAxis(inputSize: 2, outputSize: 4)
    #expect(axis.lower == [0, 0, 0, 1])
    #expect(axis.upper == [0, 1, 1, 1])
    #expect(axis.weight == [0.75, 0.25, 0.75, 0.25])
    // n = 5 → m = 2: scale 2.5, source = 0.75, 3.25.
    let down = BilinearAxis(inputSize: 5, outputSize: 2)
    #expect(down.lower == [0, 3] && down.upper == [1, 4] && down.weight == [0.75, 0.25])
}

@Test func upsamplingInterpolatesBetweenNeighbours() {
    // 2 × 1 → 4 × 1 with the weights above: 0, 0.25, 0.75, 1 (exact in binary).
    #expect(resizedBilinear([0, 1], width: 2, height: 1, toWidth: 4, toHeight: 1) == [0, 0.25, 0.75, 1])
    // 2 × 2 → 4 × 4 of [[0, 1], [1, 0]]: output row 1 lies 0.25 of the way from source row 0
    // to row 1, e.g. column 1: top 0.25, bottom 0.75 → 0.25 + 0.5 · 0.25 = 0.375.
    let grid = resizedBilinear([0, 1, 1, 0], width: 2, height: 2, toWidth: 4, toHeight: 4)
    #expect(grid == [
        0, 0.25, 0.75, 1,
        0.25, 0.375, 0.625, 0.75,
        0.75, 0.625, 0.375, 0.25,
        1, 0.75, 0.25, 0,
    ])
}

@Test func sameSizeIsTheIdentityAndOnePixelIsAConstant() {
    let pixels = (0..<(7 * 3)).map { Float($0) * 0.37 }
    #expect(resizedBilinear(pixels, width: 7, height: 3, toWidth: 7, toHeight: 3) == pixels)
    #expect(resizedBilinear([0.5], width: 1, height: 1, toWidth: 200, toHeight: 50) == Array(repeating: 0.5, count: 10_000))
}

@Test func resizingGrayDirectlyEqualsResizingItsFloats() throws {
    for stem in ["rgb8_w640_h120", "gray16_w50_h200", "gray8_w1_h1"] {
        let image = try PNGDecoder().decode(contentsOf: Fixtures.image(stem))
        let viaFloats = resizedBilinear(image.unitFloatPixels(), width: image.width, height: image.height, toWidth: 200, toHeight: 50)
        #expect(image.unitFloatResizedBilinear(toWidth: 200, toHeight: 50) == viaFloats)
    }
}

@Test func downsamplingAgreesWithADoublePrecisionEvaluation() {
    // The interpolation redone in Double on the same (hand-checked) axis tables: float32
    // rounding of three lerps on values in [0, 1) stays within a few ulps (2^-24 ≈ 6e-8).
    let (width, height, toWidth, toHeight) = (37, 23, 11, 5)
    let pixels = (0..<(width * height)).map { Float(($0 * 7919) % 256) / 256 }
    let resized = resizedBilinear(pixels, width: width, height: height, toWidth: toWidth, toHeight: toHeight)
    let columns = BilinearAxis(inputSize: width, outputSize: toWidth)
    let rows = BilinearAxis(inputSize: height, outputSize: toHeight)
    func at(_ x: Int, _ y: Int) -> Double { Double(pixels[y * width + x]) }
    for row in 0..<toHeight {
        for column in 0..<toWidth {
            let (x0, x1, wx) = (columns.lower[column], columns.upper[column], Double(columns.weight[column]))
            let (y0, y1, wy) = (rows.lower[row], rows.upper[row], Double(rows.weight[row]))
            let top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * wx
            let bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * wx
            let expected = top + (bottom - top) * wy
            #expect(abs(Double(resized[row * toWidth + column]) - expected) < 3e-7)
        }
    }
}
