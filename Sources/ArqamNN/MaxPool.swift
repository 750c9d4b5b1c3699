/// MaxPool 2×2, stride 2, `valid` (README section 4):
///
///     out[t][y][c] = max_{a,b ∈ {0,1}} in[2t+a][2y+b][c]
///
/// Shapes (one image): input [height, width, channels] → output [height/2, width/2, channels]
/// (floors: Conv2's 25 rows pool to 12, the last row is never read). `inputWidth` is the
/// row count of the input as stored, which may exceed 2·(width/2).
///
/// Backward routes each output gradient to the window's maximum; on a tie to the first
/// maximum in the order (0,0), (0,1), (1,0), (1,1), as TensorFlow's CPU kernel does. The
/// forward pass records that choice (0…3 = 2a + b) so backward needs no input.
struct MaxPool {
    var height: Int
    var inputWidth: Int
    var channels: Int

    var outputHeight: Int { height / 2 }
    var outputWidth: Int { inputWidth / 2 }
    var outputCount: Int { outputHeight * outputWidth * channels }

    /// Output rows `rows`; `choices` (one byte per output element) may be nil for inference.
    func forward(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        choices: UnsafeMutablePointer<UInt8>?, rows: Range<Int>
    ) {
        let inRow = inputWidth * channels
        for t in rows {
            for y in 0 ..< outputWidth {
                let topLeft = input + 2 * t * inRow + 2 * y * channels
                let (topRight, bottomLeft) = (topLeft + channels, topLeft + inRow)
                let bottomRight = bottomLeft + channels
                let outIndex = (t * outputWidth + y) * channels
                for c in 0 ..< channels {
                    var best = topLeft[c]
                    var choice: UInt8 = 0
                    if topRight[c] > best { best = topRight[c]; choice = 1 }
                    if bottomLeft[c] > best { best = bottomLeft[c]; choice = 2 }
                    if bottomRight[c] > best { best = bottomRight[c]; choice = 3 }
                    output[outIndex + c] = best
                    choices?[outIndex + c] = choice
                }
            }
        }
    }

    /// Writes the input gradient [height, inputWidth, channels]: zero except at each
    /// window's recorded maximum, which receives the output gradient.
    func backward(dOutput: UnsafePointer<Float>, choices: UnsafePointer<UInt8>, dInput: UnsafeMutablePointer<Float>) {
        dInput.update(repeating: 0, count: height * inputWidth * channels)
        let inRow = inputWidth * channels
        for t in 0 ..< outputHeight {
            for y in 0 ..< outputWidth {
                let outIndex = (t * outputWidth + y) * channels
                let topLeft = 2 * t * inRow + 2 * y * channels
                for c in 0 ..< channels {
                    let choice = Int(choices[outIndex + c])
                    dInput[topLeft + (choice >> 1) * inRow + (choice & 1) * channels + c] = dOutput[outIndex + c]
                }
            }
        }
    }
}
