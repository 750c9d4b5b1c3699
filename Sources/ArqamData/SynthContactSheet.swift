import ArqamImaging

extension SyntheticGenerator {
    /// Samples 0..<count of `seed`, each scaled (aspect kept) to fit a `cellWidth` × `cellHeight`
    /// cell, tiled in `columns` on a mid-grey ground: a quick look at what
    /// the generator draws.
    public func contactSheet(seed: UInt64, count: Int, columns: Int = 3,
                             cellWidth: Int = 400, cellHeight: Int = 80) -> GrayImage {
        let gap = 6
        let rows = (count + columns - 1) / columns
        var sheet = GrayImage(width: columns * (cellWidth + gap) + gap, height: rows * (cellHeight + gap) + gap,
                              pixels: [UInt8](repeating: 128, count: (columns * (cellWidth + gap) + gap) * (rows * (cellHeight + gap) + gap)))
        for index in 0..<count {
            let image = sample(seed: seed, index: index).image
            let scale = min(Double(cellWidth) / Double(image.width), Double(cellHeight) / Double(image.height))
            let width = max(1, Int(Double(image.width) * scale)), height = max(1, Int(Double(image.height) * scale))
            let scaled = SynthCanvas.resized(image.pixels.map(Float.init), width: image.width, height: image.height,
                                             to: width, height)
            let left = gap + (index % columns) * (cellWidth + gap), top = gap + (index / columns) * (cellHeight + gap)
            for y in 0..<height {
                for x in 0..<width {
                    sheet[left + x, top + y] = UInt8(max(0, min(255, scaled[y * width + x].rounded())))
                }
            }
        }
        return sheet
    }
}
