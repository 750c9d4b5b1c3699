import ArqamImaging

/// Gray picture → model input, exactly as the Keras pipeline: uint8 → float in [0, 1],
/// bilinear resize to 50 rows × 200 columns, transpose so that time runs along the columns.
public enum Preprocessing {
    public static let height = 50
    public static let width = 200

    /// The [200, 50] model input, `input[t * 50 + y]`: t = column (time step), y = row.
    public static func modelInput(from image: GrayImage) -> [Float] {
        let resized = image.unitFloatResizedBilinear(toWidth: width, toHeight: height)
        var input = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for t in 0..<width {
                input[t * height + y] = resized[y * width + t]
            }
        }
        return input
    }
}
