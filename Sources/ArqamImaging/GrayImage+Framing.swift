/// Reframing a picture: a wider margin or a tighter crop, for reading the same digits at
/// another scale in the model's fixed 200 × 50 input.
extension GrayImage {
    /// The picture inside a border `margin` pixels wide on every side, filled with `fill`.
    public func padded(by margin: Int, fill: UInt8) -> GrayImage {
        precondition(margin >= 0, "a margin cannot be negative")
        let paddedWidth = width + 2 * margin
        var result = GrayImage(width: paddedWidth, height: height + 2 * margin,
                               pixels: [UInt8](repeating: fill, count: paddedWidth * (height + 2 * margin)))
        for y in 0..<height {
            let target = (y + margin) * paddedWidth + margin
            result.pixels.replaceSubrange(target ..< target + width, with: pixels[y * width ..< (y + 1) * width])
        }
        return result
    }

    /// The picture without `insetX` columns at the left and right and `insetY` rows at the
    /// top and bottom; an inset that would leave nothing is not applied.
    public func cropped(insetX: Int, insetY: Int) -> GrayImage {
        precondition(insetX >= 0 && insetY >= 0, "an inset cannot be negative")
        let dx = 2 * insetX < width ? insetX : 0
        let dy = 2 * insetY < height ? insetY : 0
        let croppedWidth = width - 2 * dx
        var kept: [UInt8] = []
        kept.reserveCapacity(croppedWidth * (height - 2 * dy))
        for y in dy ..< height - dy {
            kept += pixels[y * width + dx ..< y * width + dx + croppedWidth]
        }
        return GrayImage(width: croppedWidth, height: height - 2 * dy, pixels: kept)
    }

    /// The columns `columns` of the rows `rows` (each clamped to the picture; an empty range
    /// keeps the whole of that axis).
    public func region(columns: Range<Int>, rows: Range<Int>) -> GrayImage {
        let columns = columns.clamped(to: 0 ..< width), rows = rows.clamped(to: 0 ..< height)
        let keptColumns = columns.isEmpty ? 0 ..< width : columns, keptRows = rows.isEmpty ? 0 ..< height : rows
        var kept: [UInt8] = []
        kept.reserveCapacity(keptColumns.count * keptRows.count)
        for y in keptRows { kept += pixels[y * width + keptColumns.lowerBound ..< y * width + keptColumns.upperBound] }
        return GrayImage(width: keptColumns.count, height: keptRows.count, pixels: kept)
    }

    /// The median gray of the outermost rows and columns: the paper around the digits, in
    /// all but the rare picture whose ink touches most of its edge.
    public var borderMedian: UInt8 {
        guard width > 0 && height > 0 else { return 255 }
        var counts = [Int](repeating: 0, count: 256)
        for x in 0..<width {
            counts[Int(pixels[x])] += 1
            counts[Int(pixels[(height - 1) * width + x])] += 1
        }
        for y in 0..<height {
            counts[Int(pixels[y * width])] += 1
            counts[Int(pixels[y * width + width - 1])] += 1
        }
        let total = 2 * (width + height)
        var seen = 0
        for (gray, count) in counts.enumerated() {
            seen += count
            if 2 * seen >= total { return UInt8(gray) }
        }
        return 255
    }
}
