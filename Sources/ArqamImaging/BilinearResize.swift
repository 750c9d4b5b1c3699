#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GrayImage {
    /// `Float(1.0 / 255.0)`, bit pattern 0x3B808081 (section 3.3 of the reference).
    /// Multiplying by it, not dividing by 255, is what TensorFlow's pipeline does: the two
    /// differ in the last bit for 126 of the 256 values.
    public static let unitScale = Float(1.0 / 255.0)

    /// The 256 gray levels as floats: `Float(v) * unitScale`.
    static let unitLevels = (0..<256).map { Float($0) * unitScale }

    /// The pixels as floats in [0, 1], row-major: `Float(v) * Float(1.0 / 255.0)`.
    public func unitFloatPixels() -> [Float] {
        pixels.map { Self.unitLevels[Int($0)] }
    }
}

/// Where one output coordinate of a bilinear resize samples its input along one axis:
/// tf.image.resize, half-pixel centres, no antialiasing (section 3.4 of the reference).
public struct BilinearAxis: Sendable, Equatable {
    public let lower: [Int]
    public let upper: [Int]
    public let weight: [Float]

    public init(inputSize: Int, outputSize: Int) {
        precondition(inputSize > 0 && outputSize > 0, "bilinear resize needs non-empty sizes")
        let scale = Float(inputSize) / Float(outputSize)
        var lower = [Int](), upper = [Int](), weight = [Float]()
        lower.reserveCapacity(outputSize)
        upper.reserveCapacity(outputSize)
        weight.reserveCapacity(outputSize)
        for index in 0..<outputSize {
            // Every step rounds to float32 on its own, as TensorFlow's kernel does.
            let centre = Float(index) + 0.5
            let scaled = centre * scale
            let source = scaled - 0.5
            let below = source.rounded(.down)
            lower.append(max(Int(below), 0))
            upper.append(min(Int(source.rounded(.up)), inputSize - 1))
            weight.append(source - below)
        }
        self.lower = lower
        self.upper = upper
        self.weight = weight
    }
}

/// Bilinear resize of a row-major float picture (`pixels[y * width + x]`) to
/// `toHeight` × `toWidth`, bit for bit as tf.image.resize(method="bilinear") on the CPU.
public func resizedBilinear(_ pixels: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
    precondition(pixels.count == width * height, "pixel count must be width × height")
    return pixels.withUnsafeBufferPointer { input in
        bilinear(input, width: width, height: height, toWidth: toWidth, toHeight: toHeight) { $0 }
    }
}

extension GrayImage {
    /// `resizedBilinear(unitFloatPixels(), …)` without converting the pixels the resize
    /// never reads (most of them, for a large photo).
    public func unitFloatResizedBilinear(toWidth: Int, toHeight: Int) -> [Float] {
        Self.unitLevels.withUnsafeBufferPointer { levels in
            pixels.withUnsafeBufferPointer { input in
                bilinear(input, width: width, height: height, toWidth: toWidth, toHeight: toHeight) { levels[Int($0)] }
            }
        }
    }
}

/// Interpolates along x in the two source rows, then along y, every product and sum
/// rounded to float32 on its own (no fused multiply-add, which would change up to 1,231
/// values of an image by ≤ 1.2e-7).
@inline(__always)
private func bilinear<Sample>(
    _ input: UnsafeBufferPointer<Sample>, width: Int, height: Int, toWidth: Int, toHeight: Int,
    value: (Sample) -> Float
) -> [Float] {
    let columns = BilinearAxis(inputSize: width, outputSize: toWidth)
    let rows = BilinearAxis(inputSize: height, outputSize: toHeight)
    var output = [Float](repeating: 0, count: toWidth * toHeight)
    output.withUnsafeMutableBufferPointer { output in
        columns.lower.withUnsafeBufferPointer { xLower in
            columns.upper.withUnsafeBufferPointer { xUpper in
                columns.weight.withUnsafeBufferPointer { xWeight in
                    for row in 0..<toHeight {
                        let topRow = rows.lower[row] * width
                        let bottomRow = rows.upper[row] * width
                        let yWeight = rows.weight[row]
                        for column in 0..<toWidth {
                            let left = xLower[column], right = xUpper[column], wx = xWeight[column]
                            let topLeft = value(input[topRow + left]), topRight = value(input[topRow + right])
                            let bottomLeft = value(input[bottomRow + left]), bottomRight = value(input[bottomRow + right])
                            let topStep = (topRight - topLeft) * wx
                            let top = topLeft + topStep
                            let bottomStep = (bottomRight - bottomLeft) * wx
                            let bottom = bottomLeft + bottomStep
                            let verticalStep = (bottom - top) * yWeight
                            output[row * toWidth + column] = top + verticalStep
                        }
                    }
                }
            }
        }
    }
    return output
}
