import ArqamData
import ArqamImaging
import ArqamOCR
import Foundation

/// What the station's speed is on a large queue, measured without a terminal: the state,
/// the store and the rendering, as the issue's targets name them.
public struct StationBenchmarkFigures: Sendable {
    public var queueSize: Int
    /// From opening the queue (nothing cached) to the first screen with its image drawn.
    public var firstImageColdSeconds: Double
    /// The same once every prediction is cached: the restart case.
    public var firstImageWarmSeconds: Double
    /// Accept key → decision on disk → next screen rendered, the next image's prediction
    /// and picture being ready: median and worst over the accepts.
    public var acceptToNextImageMedianMilliseconds: Double
    public var acceptToNextImageWorstMilliseconds: Double
    public var accepts: Int
    public var residentMegabytes: Double

    public var report: String {
        """
        station benchmark, \(queueSize)-image queue
          first image, nothing cached     \(String(format: "%7.3f", firstImageColdSeconds)) s   (target ≤ 0.3 s)
          first image, all cached         \(String(format: "%7.3f", firstImageWarmSeconds)) s   (target ≤ 0.3 s)
          accept → next image drawn, p50  \(String(format: "%7.2f", acceptToNextImageMedianMilliseconds)) ms  (target ≤ 16 ms)
          accept → next image drawn, max  \(String(format: "%7.2f", acceptToNextImageWorstMilliseconds)) ms  over \(accepts) accepts
          resident memory                 \(String(format: "%7.1f", residentMegabytes)) MB  (target ≤ 150 MB)
        """
    }
}

public enum StationBenchmark {
    /// Builds a queue of `queueSize` distinct PNGs in a temporary folder, then measures.
    /// `engine` reads in the background as in the station; nil uses a stand-in that answers
    /// at once, so the figures are the station's own.
    public static func run(queueSize: Int, accepts: Int = 200, engine: StationEngine? = nil,
                           size: ScreenSize = ScreenSize(width: 132, height: 40)) throws -> StationBenchmarkFigures {
        let queue = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-station-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: queue, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: queue) }
        try writeImages(queueSize, to: queue)
        let engine = engine ?? StationEngine(modelID: "bench", read: { url in standInReading(for: url.lastPathComponent) })

        let cold = try timeToFirstImage(queue: queue, engine: engine, size: size)
        try cacheEverything(queue: queue, modelID: engine.modelID)
        let warm = try timeToFirstImage(queue: queue, engine: engine, size: size)

        let runtime = try StationRuntime(queue: queue, engine: engine)
        defer { runtime.close() }
        var latencies: [Double] = []
        for _ in 0..<min(accepts, queueSize - 1) {
            waitUntilNextImageIsReady(runtime)
            let start = DispatchTime.now().uptimeNanoseconds
            runtime.dispatch(.key(.enter))
            _ = render(runtime.state, size: size, charset: .unicode)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        latencies.sort()
        return StationBenchmarkFigures(
            queueSize: queueSize, firstImageColdSeconds: cold, firstImageWarmSeconds: warm,
            acceptToNextImageMedianMilliseconds: latencies.isEmpty ? 0 : latencies[latencies.count / 2],
            acceptToNextImageWorstMilliseconds: latencies.last ?? 0, accepts: latencies.count,
            residentMegabytes: residentMegabytes())
    }

    private static func timeToFirstImage(queue: URL, engine: StationEngine, size: ScreenSize) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let runtime = try StationRuntime(queue: queue, engine: engine)
        _ = render(runtime.state, size: size, charset: .unicode)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        runtime.close()
        return seconds
    }

    /// The next image's reading and picture in memory, as when the operator has looked at
    /// the current one for a moment.
    private static func waitUntilNextImageIsReady(_ runtime: StationRuntime) {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            runtime.takeBackgroundResults()
            let next = runtime.state.wantedPaths().dropFirst().first
            guard let next else { return }
            if runtime.state.pictures[next] != nil && runtime.state.item(next)?.reading != nil { return }
            usleep(1000)
        }
    }

    /// 300 × 80 light fields, each with its index written as dark bars so no two are alike.
    private static func writeImages(_ count: Int, to queue: URL) throws {
        for index in 0..<count {
            var image = GrayImage(width: 300, height: 80, pixels: [UInt8](repeating: 235, count: 300 * 80))
            for bit in 0..<16 where index >> bit & 1 == 1 {
                for x in (20 + bit * 16)..<(28 + bit * 16) {
                    for y in 20..<60 { image[x, y] = 30 }
                }
            }
            try PNGWriter.write(image, to: queue.appendingPathComponent(String(format: "scan-%05d.png", index)))
        }
    }

    private static func cacheEverything(queue: URL, modelID: String) throws {
        let store = try ReviewStore(queue: queue)
        var readings: [String: Reading] = [:]
        var fingerprints: [String: QueueFileFingerprint] = [:]
        for file in try QueueFolder.list(queue) {
            let fingerprint = try ReviewStore.contentHash(of: file, in: queue, known: nil)
            fingerprints[file.path] = fingerprint
            readings[fingerprint.contentHash] = standInReading(for: file.path)
        }
        try store.rememberFingerprints(fingerprints)
        try store.cacheReadings(readings, model: modelID)
    }

    /// A reading shaped like the model's, its confidence spread by the file name.
    static func standInReading(for name: String) -> Reading {
        let seed = name.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
        let text = String(seed % 100_000_000)
        let confidence = Double(seed % 1000) / 1000
        let trace = (0..<ModelPicture.steps).map { step in
            step % 5 == 2 ? (Alphabet.classIndex(of: Array(text)[step / 5 % text.count]) ?? Alphabet.blank) : Alphabet.blank
        }
        return Reading(text: text, confidence: confidence, trace: trace,
                       alternatives: [Alternative(text: text, confidence: confidence),
                                      Alternative(text: String(text.dropLast()), confidence: (1 - confidence) / 2)])
    }

    private static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }
}
