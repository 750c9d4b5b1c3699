import ArqamImaging

/// The same picture framed several ways, each stretched to the model's 200 × 50 input, so
/// that the digits are read at more than one scale.
///
/// The model reads a picture with a wider margin or a slightly tighter crop worse than the
/// picture as given (the shipped model: 5 and 2.5 points fewer of its held-out fonts), but it errs on
/// different pictures, so the string the views agree on is right more often than any one
/// view's (`Decoding.reading(views:)`).
public enum ReadingViews {
    public static let maximumCount = 3
    /// The margin added all round in the second view, as a share of the picture's height.
    static let marginShare = 0.15
    /// What the third view cuts from each edge, as a share of the width and of the height.
    static let cropShare = 0.02

    /// The first `count` views: the picture as given; with a margin in the gray of its
    /// border; without a thin strip at every edge.
    public static func pictures(of image: GrayImage, count: Int) -> [GrayImage] {
        precondition((1...maximumCount).contains(count), "between 1 and \(maximumCount) views, not \(count)")
        var views = [image]
        if count >= 2 {
            let margin = Int((Double(image.height) * marginShare).rounded())
            views.append(image.padded(by: margin, fill: image.borderMedian))
        }
        if count >= 3 {
            views.append(image.cropped(insetX: Int(Double(image.width) * cropShare),
                                       insetY: Int(Double(image.height) * cropShare)))
        }
        return views
    }

    /// The model inputs of the views one after another, [count × 200 × 50].
    public static func modelInputs(from image: GrayImage, count: Int) -> [Float] {
        if count == 1 { return Preprocessing.modelInput(from: image) }
        return Array(pictures(of: image, count: count).map(Preprocessing.modelInput(from:)).joined())
    }
}
