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
    /// With `relu`, the output is max(·, 0): ReLU commutes with max, so a convolution's
    /// ReLU can be applied here, after pooling, on a quarter of the values. Ties among
    /// clipped values then route differently from TensorFlow, but their gradient is 0.
    /// `input` and `output` point at image row 0 unless `rowsFromPointers`, in which case
    /// they point at the block's first input row (2·rows.lowerBound) and output row.
    func forward(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
        choices: UnsafeMutablePointer<UInt8>?, rows: Range<Int>, relu: Bool = false, rowsFromPointers: Bool = false
    ) {
        let inRow = inputWidth * channels
        let (input, output, choices) = rowsFromPointers
            ? (input - 2 * rows.lowerBound * inRow, output - rows.lowerBound * outputWidth * channels,
               choices.map { $0 - rows.lowerBound * outputWidth * channels })
            : (input, output, choices)
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
                    output[outIndex + c] = relu ? max(best, 0) : best
                    choices?[outIndex + c] = choice
                }
            }
        }
    }

    /// The same from windows already gathered, [count, 4, channels] in the order (0,0),
    /// (0,1), (1,0), (1,1) — as a Winograd tile delivers them — adding `bias` and clipping
    /// at 0 (the convolution's bias and ReLU, commuted past the max).
    static func forward(
        windows: UnsafePointer<Float>, count: Int, channels: Int, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, choices: UnsafeMutablePointer<UInt8>?
    ) {
        for window in 0 ..< count {
            let w = windows + window * 4 * channels
            let (topRight, bottomLeft, bottomRight) = (w + channels, w + 2 * channels, w + 3 * channels)
            let out = output + window * channels
            for c in 0 ..< channels {
                var best = w[c]
                var choice: UInt8 = 0
                if topRight[c] > best { best = topRight[c]; choice = 1 }
                if bottomLeft[c] > best { best = bottomLeft[c]; choice = 2 }
                if bottomRight[c] > best { best = bottomRight[c]; choice = 3 }
                out[c] = max(best + bias[c], 0)
                choices?[window * channels + c] = choice
            }
        }
    }

    /// Writes the input gradient of output rows `rows` (default all), i.e. input rows
    /// 2·rows.lowerBound ..< 2·rows.upperBound, starting at `dInput`: zero except at each
    /// window's recorded maximum, which receives the output gradient.
    func backward(
        dOutput: UnsafePointer<Float>, choices: UnsafePointer<UInt8>, dInput: UnsafeMutablePointer<Float>, rows: Range<Int>? = nil
    ) {
        let rows = rows ?? 0 ..< outputHeight
        let inRow = inputWidth * channels
        dInput.update(repeating: 0, count: 2 * rows.count * inRow)
        let dInput = dInput - 2 * rows.lowerBound * inRow
        for t in rows {
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
