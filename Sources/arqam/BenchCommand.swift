import ArgumentParser
import ArqamImaging
import ArqamNN
import ArqamOCR
import ArqamTraining
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure reading speed on this machine.",
        discussion: """
            Batch-1 latency of the network (p50/p99, one thread and all cores), a whole reading \
            of one picture as given, with the zoom, and in three views with the zoom (the review \
            station's), throughput at batch 64 on all cores, and the whole `arqam read one.png` \
            process: wall time and peak memory. Close other work first: the figures are only as \
            quiet as the machine.
            """
    )

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Timed batch-1 runs per thread setting.", valueName: "n"))
    var runs = 300

    @Option(help: ArgumentHelp("Runs of the whole read process.", valueName: "n"))
    var processRuns = 10

    @Flag(help: "Also time a training step at batch 16 on all cores (forward, CTC, backward, Adam).")
    var train = false

    @OptionGroup var model: ModelOptions

    func run() throws {
        // The read process first, while this process is still small: posix_spawn starts the
        // child in the parent's address space, and Linux counts the parent's peak resident
        // size so far into the child's ru_maxrss.
        let loaded = try model.loadModel()
        let process = try Self.measureReadProcess(weights: loaded.url, runs: processRuns)
        let threads = model.threadCount
        let input = Self.sampleInput()
        var figures = BenchFigures(cpu: Self.cpuName(), threads: threads)

        let single = CRNN(weights: loaded.weights, threads: 1)
        let all = CRNN(weights: loaded.weights, threads: threads)
        let latency1 = Self.latencies(runs: runs) { _ = single.logits(inputs: input, batch: 1) }
        let latencyAll = Self.latencies(runs: runs) { _ = all.logits(inputs: input, batch: 1) }
        figures.add("latency_ms_p50_1thread", Self.percentile(latency1, 0.5))
        figures.add("latency_ms_p99_1thread", Self.percentile(latency1, 0.99))
        figures.add("latency_ms_p50_all", Self.percentile(latencyAll, 0.5))
        figures.add("latency_ms_p99_all", Self.percentile(latencyAll, 0.99))

        // A whole reading as the station asks for one (network, decoding, confidence, the
        // alternatives' beam search): as given, with the zoom, and in three views with the zoom,
        // the station's default.
        let recognizer = Recognizer(model: loaded, threads: threads)
        let picture = Self.samplePicture()
        for (key, views, zoom) in [("reading_ms_p50_all", 1, false), ("reading_ms_p50_all_zoom", 1, true),
                                   ("reading_ms_p50_all_views3_zoom", 3, true)] {
            let options = Recognizer.Options(views: views, zoom: zoom)
            let times = Self.latencies(runs: max(1, runs / 10), warmup: 5) { _ = recognizer.read(image: picture, options: options) }
            figures.add(key, Self.percentile(times, 0.5))
        }

        let batch = 64
        let batchInput = Array([[Float]](repeating: input, count: batch).joined())
        let batchTimes = Self.latencies(runs: 10, warmup: 2) { _ = all.logits(inputs: batchInput, batch: batch) }
        figures.add("throughput_ips_batch64_all", Double(batch) / (batchTimes.min()! / 1000))

        figures.add("process_ms_read_one", process.milliseconds)
        figures.add("peak_rss_mib_read_one", process.peakMiB)

        if train {
            let steps = Self.trainingStepTimes(weights: loaded.weights, threads: threads)
            figures.add("train_step_ms_batch16_p50_all", Self.percentile(steps, 0.5))
            figures.add("train_step_ms_batch16_min_all", steps.min()!)
        }

        print(json ? figures.json : figures.table)
    }

    /// Milliseconds per training step on 16 fixed images with labels of 10–14 characters
    /// (as the Keras peer measures it).
    static func trainingStepTimes(weights: CRNNWeights, threads: Int) -> [Double] {
        var random = SeededRandom(seed: 16)
        let examples = (0..<16).map { index in
            LabeledInput(input: (0..<CRNNShape.inputSize).map { _ in random.nextFloat() },
                         label: (0..<(10 + index % 5)).map { _ in 1 + Int(random.next() % 11) }, source: "bench")
        }
        var network = CRNN(weights: weights, threads: threads)
        var optimizer = Adam()
        var step: UInt64 = 0
        return latencies(runs: 30, warmup: 3) {
            step += 1
            _ = TrainingStep.run(network: &network, examples: examples, optimizer: &optimizer, dropoutSeed: step, threads: threads)
        }
    }

    /// Milliseconds per call, after warm-up calls that fill caches and thread pools.
    static func latencies(runs: Int, warmup: Int = 20, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        return (0..<max(runs, 1)).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
    }

    /// A fixed 200 × 50 input: the speed of the network does not depend on what it sees.
    static func sampleInput() -> [Float] {
        var random = SeededRandom(seed: 7)
        return (0..<(Preprocessing.width * Preprocessing.height)).map { _ in random.nextFloat() }
    }

    /// A fixed 200 × 50 picture of noise.
    static func samplePicture() -> GrayImage {
        var random = SeededRandom(seed: 7)
        return GrayImage(width: 200, height: 50, pixels: (0..<(200 * 50)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
    }

    static func sampleImageFile() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("arqam-bench-\(getpid()).png")
        try PNGWriter.write(samplePicture(), to: url)
        return url
    }

    /// Spawns `arqam read` on one image, as a user would, and takes the fastest run and the
    /// largest peak resident size (ru_maxrss of the child).
    static func measureReadProcess(weights: URL, runs: Int) throws -> (milliseconds: Double, peakMiB: Double) {
        let image = try sampleImageFile()
        defer { try? FileManager.default.removeItem(at: image) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var best = Double.infinity
        var peak = 0.0
        let arguments = [executable.path, "read", image.path, "--weights", weights.path]
        for _ in 0..<max(runs, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            let usage = try spawnAndWait(arguments)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            peak = max(peak, Double(usage.ru_maxrss) / 1024)
        }
        return (best, peak)
    }

    /// posix_spawn + wait4 rather than Foundation's Process, whose own reaper would race
    /// for the child's resource usage.
    static func spawnAndWait(_ arguments: [String]) throws -> rusage {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw CommandFailure("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        guard status == 0 else { throw CommandFailure("`\(arguments.joined(separator: " "))` failed with status \(status)") }
        return usage
    }

    static func cpuName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let name = line.split(separator: ":", maxSplits: 1).last else { return "unknown" }
        return name.trimmingCharacters(in: .whitespaces)
    }
}

/// The figures in the order they were measured, printable as a table or as JSON.
struct BenchFigures {
    let cpu: String
    let threads: Int
    private(set) var values: [(String, Double)] = []

    init(cpu: String, threads: Int) {
        self.cpu = cpu
        self.threads = threads
    }

    mutating func add(_ key: String, _ value: Double) { values.append((key, value)) }

    var json: String {
        var line = JSONLine()
        line.add("cpu", cpu)
        line.add("threads", threads)
        for (key, value) in values { line.add(key, (value * 1000).rounded() / 1000) }
        return line.line
    }

    var table: String {
        let width = values.map(\.0.count).max() ?? 0
        let rows = values.map { key, value in
            key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%10.3f", value)
        }
        return (["cpu      \(cpu)", "threads  \(threads)"] + rows).joined(separator: "\n")
    }
}
