import Foundation

/// The 20 tensors of the CRNN, named and laid out exactly as Keras names and lays them
/// out (reference README section 2). The same struct carries gradients and Adam moments.
public struct CRNNWeights: Sendable, Equatable {
    /// Every tensor, in canonical order: the order of `Name.allCases`.
    public enum Name: Int, CaseIterable, Sendable {
        case conv1Kernel, conv1Bias, conv2Kernel, conv2Bias, dense1Kernel, dense1Bias
        case lstm1ForwardKernel, lstm1ForwardRecurrentKernel, lstm1ForwardBias
        case lstm1BackwardKernel, lstm1BackwardRecurrentKernel, lstm1BackwardBias
        case lstm2ForwardKernel, lstm2ForwardRecurrentKernel, lstm2ForwardBias
        case lstm2BackwardKernel, lstm2BackwardRecurrentKernel, lstm2BackwardBias
        case dense2Kernel, dense2Bias

        /// The Keras name, as stored in safetensors files.
        public var key: String {
            switch self {
            case .conv1Kernel: "Conv1/kernel"
            case .conv1Bias: "Conv1/bias"
            case .conv2Kernel: "Conv2/kernel"
            case .conv2Bias: "Conv2/bias"
            case .dense1Kernel: "dense1/kernel"
            case .dense1Bias: "dense1/bias"
            case .lstm1ForwardKernel: "bidirectional/forward_lstm/kernel"
            case .lstm1ForwardRecurrentKernel: "bidirectional/forward_lstm/recurrent_kernel"
            case .lstm1ForwardBias: "bidirectional/forward_lstm/bias"
            case .lstm1BackwardKernel: "bidirectional/backward_lstm/kernel"
            case .lstm1BackwardRecurrentKernel: "bidirectional/backward_lstm/recurrent_kernel"
            case .lstm1BackwardBias: "bidirectional/backward_lstm/bias"
            case .lstm2ForwardKernel: "bidirectional_1/forward_lstm/kernel"
            case .lstm2ForwardRecurrentKernel: "bidirectional_1/forward_lstm/recurrent_kernel"
            case .lstm2ForwardBias: "bidirectional_1/forward_lstm/bias"
            case .lstm2BackwardKernel: "bidirectional_1/backward_lstm/kernel"
            case .lstm2BackwardRecurrentKernel: "bidirectional_1/backward_lstm/recurrent_kernel"
            case .lstm2BackwardBias: "bidirectional_1/backward_lstm/bias"
            case .dense2Kernel: "dense2/kernel"
            case .dense2Bias: "dense2/bias"
            }
        }

        public var shape: [Int] {
            let (units1, units2) = (CRNNShape.lstm1Units, CRNNShape.lstm2Units)
            return switch self {
            case .conv1Kernel: [3, 3, 1, CRNNShape.conv1Channels]
            case .conv1Bias: [CRNNShape.conv1Channels]
            case .conv2Kernel: [3, 3, CRNNShape.conv1Channels, CRNNShape.conv2Channels]
            case .conv2Bias: [CRNNShape.conv2Channels]
            case .dense1Kernel: [CRNNShape.features, CRNNShape.dense1Units]
            case .dense1Bias: [CRNNShape.dense1Units]
            case .lstm1ForwardKernel, .lstm1BackwardKernel: [CRNNShape.dense1Units, 4 * units1]
            case .lstm1ForwardRecurrentKernel, .lstm1BackwardRecurrentKernel: [units1, 4 * units1]
            case .lstm1ForwardBias, .lstm1BackwardBias: [4 * units1]
            case .lstm2ForwardKernel, .lstm2BackwardKernel: [2 * units1, 4 * units2]
            case .lstm2ForwardRecurrentKernel, .lstm2BackwardRecurrentKernel: [units2, 4 * units2]
            case .lstm2ForwardBias, .lstm2BackwardBias: [4 * units2]
            case .dense2Kernel: [2 * units2, CRNNShape.classes]
            case .dense2Bias: [CRNNShape.classes]
            }
        }
    }

    /// README section 2: the sum of all tensor sizes.
    public static let parameterCount = 431_693

    /// In canonical order (`Name.allCases`).
    public var tensors: [Tensor]
    /// The safetensors `__metadata__` the weights were read with (empty for gradients).
    public var metadata: [String: String]

    public subscript(name: Name) -> Tensor {
        get { tensors[name.rawValue] }
        set { tensors[name.rawValue] = newValue }
    }

    /// All zeros: the start of a gradient sum or of Adam's moments.
    public static var zeros: CRNNWeights {
        CRNNWeights(checkedTensors: Name.allCases.map { Tensor(zeros: $0.shape) }, metadata: [:])
    }

    init(checkedTensors: [Tensor], metadata: [String: String]) {
        self.tensors = checkedTensors
        self.metadata = metadata
    }

    /// Picks the 20 tensors by Keras name, checking each shape; other tensors are ignored.
    public init(tensors named: [String: Tensor], metadata: [String: String] = [:], file: String = "weights") throws(CRNNWeightsError) {
        var ordered: [Tensor] = []
        for name in Name.allCases {
            guard let tensor = named[name.key] else { throw .missingTensor(name.key, file: file) }
            guard tensor.shape == name.shape else {
                throw .wrongShape(name.key, expected: name.shape, found: tensor.shape, file: file)
            }
            ordered.append(tensor)
        }
        self.init(checkedTensors: ordered, metadata: metadata)
    }

    public init(file: SafeTensorsFile, name: String) throws(CRNNWeightsError) {
        var named: [String: Tensor] = [:]
        for weight in Name.allCases {
            guard let stored = file.tensors[weight.key] else { throw .missingTensor(weight.key, file: name) }
            guard case .f32(let values) = stored.data else { throw .wrongDType(weight.key, found: stored.data.dtype, file: name) }
            named[weight.key] = Tensor(shape: stored.shape, scalars: values)
        }
        try self.init(tensors: named, metadata: file.metadata, file: name)
    }

    public init(contentsOf url: URL) throws(CRNNWeightsError) {
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: url)
        } catch {
            throw .unreadable(error)
        }
        try self.init(file: file, name: url.path)
    }

    /// The tensors as a safetensors file with `metadata`.
    public func safeTensorsFile(metadata: [String: String]) -> SafeTensorsFile {
        var stored: [String: StoredTensor] = [:]
        for name in Name.allCases { stored[name.key] = StoredTensor(self[name]) }
        return SafeTensorsFile(tensors: stored, metadata: metadata)
    }

    /// Writes atomically (see `SafeTensorsFile.write`), by default with the metadata read.
    public func save(to url: URL, metadata: [String: String]? = nil) throws(SafeTensorsError) {
        try safeTensorsFile(metadata: metadata ?? self.metadata).write(to: url)
    }
}

/// Why a weights file does not hold the CRNN.
public enum CRNNWeightsError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(SafeTensorsError)
    case missingTensor(String, file: String)
    case wrongShape(String, expected: [Int], found: [Int], file: String)
    case wrongDType(String, found: String, file: String)

    public var description: String {
        switch self {
        case .unreadable(let error):
            error.description
        case .missingTensor(let name, let file):
            "\(file): tensor \"\(name)\" is missing; the file does not hold Arqam CRNN weights (README section 2 lists the 20 names)"
        case .wrongShape(let name, let expected, let found, let file):
            "\(file): tensor \"\(name)\" has shape \(found), expected \(expected); the file holds a different model"
        case .wrongDType(let name, let found, let file):
            "\(file): tensor \"\(name)\" is \(found), expected F32"
        }
    }
}

/// The fixed sizes of the CRNN (reference README section 4).
public enum CRNNShape {
    public static let timeSteps = 200
    public static let height = 50
    public static let conv1Channels = 32
    public static let conv2Channels = 64
    public static let outputSteps = 50
    public static let pooledHeight = 12
    public static let features = 768
    public static let dense1Units = 64
    public static let lstm1Units = 128
    public static let lstm2Units = 64
    public static let classes = 13
    public static let inputSize = timeSteps * height
    public static let outputSize = outputSteps * classes
}
