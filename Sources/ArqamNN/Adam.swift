import Foundation

/// Adam exactly as Keras 3 computes it (float32), for the CRNN's 20 tensors:
///
///     t += 1 ;  α = lr · √(1 − β₂ᵗ) / (1 − β₁ᵗ)
///     m += (g − m)(1 − β₁) ;  v += (g² − v)(1 − β₂) ;  w −= (m · α) / (√v + ε)
///
/// Optionally the gradients are first scaled so their global L2 norm is at most
/// `clipGlobalNorm` (Keras `global_clipnorm`).
public struct Adam: Sendable, Equatable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var clipGlobalNorm: Float?
    /// Updates done so far (Keras `iterations`).
    public private(set) var step: Int
    public private(set) var m: CRNNWeights
    public private(set) var v: CRNNWeights

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7, clipGlobalNorm: Float? = nil) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.clipGlobalNorm = clipGlobalNorm
        step = 0
        m = .zeros
        v = .zeros
    }

    public mutating func update(_ weights: inout CRNNWeights, gradients: CRNNWeights) {
        step += 1
        let t = Float(step)
        let alpha = learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        let scale = clipScale(gradients)
        let (keepM, keepV) = (1 - beta1, 1 - beta2)
        let epsilon = epsilon
        for index in weights.tensors.indices {
            weights.tensors[index].scalars.withUnsafeMutableBufferPointer { w in
                m.tensors[index].scalars.withUnsafeMutableBufferPointer { m in
                    v.tensors[index].scalars.withUnsafeMutableBufferPointer { v in
                        gradients.tensors[index].scalars.withUnsafeBufferPointer { g in
                            for k in w.indices {
                                let gradient = g[k] * scale
                                m[k] += (gradient - m[k]) * keepM
                                v[k] += (gradient * gradient - v[k]) * keepV
                                w[k] -= (m[k] * alpha) / (v[k].squareRoot() + epsilon)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The global L2 norm of all gradients (accumulated in Double).
    public static func globalNorm(_ gradients: CRNNWeights) -> Double {
        var sum = 0.0
        for tensor in gradients.tensors {
            for value in tensor.scalars { sum += Double(value) * Double(value) }
        }
        return sum.squareRoot()
    }

    private func clipScale(_ gradients: CRNNWeights) -> Float {
        guard let limit = clipGlobalNorm else { return 1 }
        let norm = Self.globalNorm(gradients)
        return norm > Double(limit) ? Float(Double(limit) / norm) : 1
    }

    /// The state as tensors for a checkpoint: `adam/m/<weight>`, `adam/v/<weight>` (F32)
    /// and `adam/step` (I32 [1]); hyperparameters are the caller's to record.
    public var stateTensors: [String: StoredTensor] {
        var tensors: [String: StoredTensor] = ["adam/step": StoredTensor(shape: [1], data: .i32([Int32(clamping: step)]))]
        for name in CRNNWeights.Name.allCases {
            tensors["adam/m/\(name.key)"] = StoredTensor(m[name])
            tensors["adam/v/\(name.key)"] = StoredTensor(v[name])
        }
        return tensors
    }

    /// Restores the state written by `stateTensors` exactly (other tensors are ignored).
    public init(
        restoring tensors: [String: StoredTensor], file: String = "checkpoint",
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7, clipGlobalNorm: Float? = nil
    ) throws(CRNNWeightsError) {
        self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, clipGlobalNorm: clipGlobalNorm)
        guard let stored = tensors["adam/step"] else { throw .missingTensor("adam/step", file: file) }
        guard case .i32(let steps) = stored.data, steps.count == 1, steps[0] >= 0 else {
            throw .wrongShape("adam/step", expected: [1], found: stored.shape, file: file)
        }
        step = Int(steps[0])
        m = try Self.moments(tensors, prefix: "adam/m/", file: file)
        v = try Self.moments(tensors, prefix: "adam/v/", file: file)
    }

    private static func moments(_ tensors: [String: StoredTensor], prefix: String, file: String) throws(CRNNWeightsError) -> CRNNWeights {
        var named: [String: Tensor] = [:]
        for name in CRNNWeights.Name.allCases {
            guard let stored = tensors[prefix + name.key] else { throw .missingTensor(prefix + name.key, file: file) }
            guard case .f32(let values) = stored.data else { throw .wrongDType(prefix + name.key, found: stored.data.dtype, file: file) }
            named[name.key] = Tensor(shape: stored.shape, scalars: values)
        }
        do {
            return try CRNNWeights(tensors: named, file: file)
        } catch .wrongShape(let key, let expected, let found, _) {
            throw .wrongShape(prefix + key, expected: expected, found: found, file: file)
        } catch {
            throw error
        }
    }
}
