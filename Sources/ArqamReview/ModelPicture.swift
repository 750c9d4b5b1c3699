/// The model's view of an image: 200 × 50 values in 0…1, time-major (`values[t * 50 + y]`,
/// t the column, y the row), as `Preprocessing.modelInput` makes them. The station draws this,
/// not the original file, so the operator sees exactly what the model saw.
public struct ModelPicture: Sendable, Equatable {
    public static let width = 200
    public static let height = 50
    /// Pixel columns per time step of the model's output.
    public static let columnsPerStep = 4
    public static let steps = width / columnsPerStep

    public let values: [Float]

    /// nil when `values` does not hold 200 × 50 numbers.
    public init?(values: [Float]) {
        guard values.count == Self.width * Self.height else { return nil }
        self.values = values
    }

    public subscript(x: Int, y: Int) -> Float { values[x * Self.height + y] }
}
