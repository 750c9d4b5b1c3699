import ArgumentParser
import ArqamImaging
import ArqamOCR
import Foundation

struct ReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read the digits in PNG images.",
        discussion: """
            Prints one line per image: file, text, confidence (the calibrated probability that the \
            text is right, 0–1). Folders are read recursively in name order; `-` reads file names \
            from standard input, one per line. A file that cannot be read gets an error line and \
            the others are still read; the exit status is then 1.

            Examples:
              arqam read scan.png
              arqam read inbox/ --json
              arqam read inbox/ --views 3
              arqam read inbox/ --zoom
              find inbox -name '*.png' | arqam read - --json --probs
            """
    )

    @Argument(help: ArgumentHelp("PNG files, folders, or - for names on stdin.", valueName: "file|dir|-"))
    var inputs: [String]

    @Flag(help: "One JSON object per line: file, text, confidence, trace, alternatives.")
    var json = false

    @Flag(help: "With --json, add the model's 50 × 13 softmax rows as `probs`.")
    var probs = false

    @Option(help: ArgumentHelp("How many N-best alternatives to list (with --json).", valueName: "n"))
    var alternatives = 3

    @Option(help: ArgumentHelp("Images run through the network together.", valueName: "n"))
    var batch = 64

    @OptionGroup var framing: ViewsOption

    @OptionGroup var model: ModelOptions

    func validate() throws {
        if probs && !json { throw ValidationError("--probs needs --json") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if alternatives < 0 { throw ValidationError("--alternatives cannot be negative") }
    }

    func run() throws {
        let recognizer = try model.loadRecognizer()
        let files = try ImagePaths.expand(inputs)
        let options = framing.options(by: .asGiven, alternatives: alternatives, includeProbabilities: probs)
        let progress = ProgressBar(total: files.count, label: "reading", minimumTotal: 200)
        var failures = 0
        for start in stride(from: 0, to: files.count, by: batch) {
            let chunk = Array(files[start ..< min(start + batch, files.count)])
            let results = recognizer.read(chunk.map { URL(fileURLWithPath: $0) }, options: options)
            var out = ""
            for (file, result) in zip(chunk, results) {
                switch result {
                case .success(let reading):
                    out += (json ? ReadingFormat.json(file: file, reading: reading) : ReadingFormat.tsv(file: file, reading: reading)) + "\n"
                case .failure(let error):
                    failures += 1
                    if json {
                        var line = JSONLine()
                        line.add("file", file)
                        line.add("error", error.description)
                        out += line.line + "\n"
                    } else {
                        FileHandle.standardError.write(Data("arqam: \(error)\n".utf8))
                    }
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
            progress.advance(by: chunk.count)
        }
        progress.finish()
        if failures > 0 {
            FileHandle.standardError.write(Data("arqam: \(failures) of \(files.count) files could not be read\n".utf8))
            throw ExitCode(1)
        }
    }
}

enum ReadingFormat {
    static func tsv(file: String, reading: Reading) -> String {
        "\(file)\t\(reading.text)\t\(String(format: "%.4f", reading.confidence))"
    }

    static func json(file: String, reading: Reading) -> String {
        var line = JSONLine()
        line.add("file", file)
        line.add("text", reading.text)
        line.add("confidence", reading.confidence)
        line.add("trace", reading.traceString)
        let alternatives = reading.alternatives.map { alternative in
            var object = JSONLine()
            object.add("text", alternative.text)
            object.add("confidence", alternative.confidence)
            return object.line
        }
        line.add("alternatives", raw: "[" + alternatives.joined(separator: ",") + "]")
        if let probabilities = reading.probabilities {
            let classes = Alphabet.classCount
            let rows = stride(from: 0, to: probabilities.count, by: classes).map { start in
                "[" + probabilities[start ..< start + classes].map { String($0) }.joined(separator: ",") + "]"
            }
            line.add("probs", raw: "[" + rows.joined(separator: ",") + "]")
        }
        return line.line
    }
}

/// Turns the command line's files, folders and `-` into the list of files to read.
enum ImagePaths {
    static func expand(_ inputs: [String]) throws -> [String] {
        var files: [String] = []
        for input in inputs {
            if input == "-" {
                while let line = readLine() {
                    let name = line.trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty { files.append(name) }
                }
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue {
                files += pngFiles(under: input)
            } else {
                files.append(input)
            }
        }
        return files
    }

    /// Every `.png` below a folder, in name order, skipping hidden folders such as `.arqam`.
    static func pngFiles(under folder: String) -> [String] {
        let root = URL(fileURLWithPath: folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var found: [String] = []
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        let rootPath = root.standardizedFileURL.path
        for case let url as URL in walker where url.pathExtension.lowercased() == "png" {
            let path = url.standardizedFileURL.path
            let relative = path.hasPrefix(rootPath + "/") ? String(path.dropFirst(rootPath.count + 1)) : url.lastPathComponent
            found.append(prefix + relative)
        }
        return found.sorted()
    }
}
