/// A float32 array with a row-major shape (last index fastest), the unit the model's
/// weights, gradients and activations are exchanged in.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    public var count: Int { scalars.count }
}

/// The element types a safetensors file may hold here: F32 for weights and
/// activations, U8 for gray pixels, I32 for class indices in fixtures.
public enum TensorData: Sendable, Equatable {
    case f32([Float])
    case u8([UInt8])
    case i32([Int32])

    /// The safetensors `dtype` string.
    public var dtype: String {
        switch self {
        case .f32: "F32"
        case .u8: "U8"
        case .i32: "I32"
        }
    }

    public var count: Int {
        switch self {
        case .f32(let values): values.count
        case .u8(let values): values.count
        case .i32(let values): values.count
        }
    }

    static func elementSize(of dtype: String) -> Int? {
        switch dtype {
        case "F32", "I32": 4
        case "U8": 1
        default: nil
        }
    }
}

/// One tensor as stored in a safetensors file: a shape and typed elements.
public struct StoredTensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: TensorData

    public init(shape: [Int], data: TensorData) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
        self.shape = shape
        self.data = data
    }

    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, data: .f32(tensor.scalars))
    }
}
