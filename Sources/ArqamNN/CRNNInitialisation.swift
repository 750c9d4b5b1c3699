import Foundation

extension CRNNWeights {
    /// A fresh model initialised as Keras 3 initialises the original one: he_normal
    /// convolutions, glorot_uniform dense and LSTM input kernels, orthogonal recurrent
    /// kernels, zero biases except the LSTM forget blocks (1, `unit_forget_bias`).
    /// The numbers come from `SeededRandom(seed:)`, so they differ from Keras' own draw.
    public static func kerasInitialised(seed: UInt64) -> CRNNWeights {
        var weights = CRNNWeights.zeros
        let random = SeededRandom(seed: seed)
        for name in Name.allCases {
            var stream = random.derived(UInt64(name.rawValue))
            let shape = name.shape
            switch name {
            case .conv1Kernel, .conv2Kernel:
                weights[name].scalars = heNormal(count: shape.reduce(1, *), fanIn: shape[0] * shape[1] * shape[2], random: &stream)
            case .dense1Kernel, .dense2Kernel, .lstm1ForwardKernel, .lstm1BackwardKernel, .lstm2ForwardKernel, .lstm2BackwardKernel:
                weights[name].scalars = glorotUniform(fanIn: shape[0], fanOut: shape[1], random: &stream)
            case .lstm1ForwardRecurrentKernel, .lstm1BackwardRecurrentKernel, .lstm2ForwardRecurrentKernel, .lstm2BackwardRecurrentKernel:
                weights[name].scalars = orthogonal(rows: shape[0], columns: shape[1], random: &stream)
            case .lstm1ForwardBias, .lstm1BackwardBias, .lstm2ForwardBias, .lstm2BackwardBias:
                let units = shape[0] / 4
                for index in units ..< 2 * units { weights[name].scalars[index] = 1 }
            case .conv1Bias, .conv2Bias, .dense1Bias, .dense2Bias:
                break
            }
        }
        return weights
    }

    /// Keras VarianceScaling(2, fan_in, truncated_normal): a normal cut at ±2σ′ whose σ′
    /// is widened by 1/0.8796… so that the truncated distribution has σ = √(2/fan_in).
    static func heNormal(count: Int, fanIn: Int, random: inout SeededRandom) -> [Float] {
        let sigma = (2.0 / Double(fanIn)).squareRoot() / 0.879_625_661_034_239_78
        return (0 ..< count).map { _ in
            while true {
                let sample = random.normal()
                if abs(sample) <= 2 { return Float(sample * sigma) }
            }
        }
    }

    static func glorotUniform(fanIn: Int, fanOut: Int, random: inout SeededRandom) -> [Float] {
        let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
        return (0 ..< fanIn * fanOut).map { _ in Float(random.uniform(-limit ... limit)) }
    }

    /// Keras Orthogonal for a [rows, columns] kernel with rows < columns: the Q of a QR
    /// decomposition of a normal [columns, rows] matrix (signs fixed so R's diagonal is
    /// positive, which Gram–Schmidt gives by construction), transposed, so the rows are
    /// orthonormal.
    static func orthogonal(rows: Int, columns: Int, random: inout SeededRandom) -> [Float] {
        precondition(rows <= columns, "orthogonal init expects a wide kernel")
        // Row r of `matrix` is column r of the tall [columns, rows] matrix, i.e. row r of the result.
        var matrix = (0 ..< rows * columns).map { _ in random.normal() }
        matrix.withUnsafeMutableBufferPointer { m in
            for r in 0 ..< rows {
                for previous in 0 ..< r {
                    var dot = 0.0
                    for k in 0 ..< columns { dot += m[r * columns + k] * m[previous * columns + k] }
                    for k in 0 ..< columns { m[r * columns + k] -= dot * m[previous * columns + k] }
                }
                var norm = 0.0
                for k in 0 ..< columns { norm += m[r * columns + k] * m[r * columns + k] }
                norm = norm.squareRoot()
                for k in 0 ..< columns { m[r * columns + k] /= norm }
            }
        }
        return matrix.map(Float.init)
    }
}
