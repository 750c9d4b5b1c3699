import ArgumentParser
import ArqamOCR
import ArqamTraining
import Foundation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the model on labeled images.",
        discussion: """
            Reads every labeled image of the dataset folders and reviewed queues and reports \
            sequence accuracy (whole string right), character error rate, expected calibration \
            error (10 bins: how far "0.97" is from being right 97 % of the time), the share of \
            images that can be accepted automatically at 99.5 % precision, a digit confusion table \
            and images/s. Unlabeled images are counted, not scored.
            """
    )

    @Argument(help: ArgumentHelp("Dataset folders (labels.tsv) or reviewed queues.", valueName: "dir"))
    var folders: [String]

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Also list every image that was read wrong.")
    var errors = false

    @OptionGroup var framing: ViewsOption

    @OptionGroup var model: ModelOptions

    func run() throws {
        let recognizer = try model.loadRecognizer()
        let report = try Evaluator.evaluate(folders.map { URL(fileURLWithPath: $0) }, recognizer: recognizer,
                                            options: framing.options(by: .asGiven, alternatives: 0))
        for problem in report.problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
        print(json ? EvaluationFormat.json(report) : EvaluationFormat.table(report, listErrors: errors))
    }
}

enum EvaluationFormat {
    static func json(_ report: EvaluationReport) -> String {
        let metrics = report.metrics
        var line = JSONLine()
        line.add("images", metrics.imageCount)
        line.add("correct", metrics.correctCount)
        line.add("sequence_accuracy", metrics.sequenceAccuracy ?? .nan)
        line.add("character_error_rate", metrics.characterErrorRate ?? .nan)
        line.add("expected_calibration_error", metrics.expectedCalibrationError ?? .nan)
        line.add("coverage_at_99_5", metrics.coverage.fraction ?? .nan)
        line.add("coverage_threshold", metrics.coverage.threshold ?? .nan)
        line.add("images_per_second", report.imagesPerSecond)
        line.add("unlabeled", report.unlabeledCount)
        line.add("skipped", report.problems.count)
        let classes = ConfusionTable.classCount
        let rows = (0..<classes).map { row in "[" + (0..<classes).map { String(metrics.confusion.aligned[row][$0]) }.joined(separator: ",") + "]" }
        line.add("confusion", raw: "[" + rows.joined(separator: ",") + "]")
        line.add("confusion_classes", raw: "[" + Alphabet.vocabulary.map { JSONLine.quoted($0) }.joined(separator: ",") + "]")
        line.add("deletions", raw: "[" + metrics.confusion.deletions.map(String.init).joined(separator: ",") + "]")
        line.add("insertions", raw: "[" + metrics.confusion.insertions.map(String.init).joined(separator: ",") + "]")
        return line.line
    }

    static func table(_ report: EvaluationReport, listErrors: Bool) -> String {
        let metrics = report.metrics
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f %%", $0 * 100) } ?? "—" }
        var lines = [
            "images               \(metrics.imageCount) scored, \(report.unlabeledCount) unlabeled, \(report.problems.count) skipped",
            "sequence accuracy    \(percent(metrics.sequenceAccuracy))  (\(metrics.correctCount) right)",
            "character error rate \(percent(metrics.characterErrorRate))",
            "calibration error    \(percent(metrics.expectedCalibrationError))  (ECE, 10 bins)",
            "coverage at 99.5 %   \(percent(metrics.coverage.fraction))"
                + (metrics.coverage.threshold.map { String(format: "  (confidence ≥ %.4f)", $0) } ?? ""),
            String(format: "speed                %.0f images/s", report.imagesPerSecond),
            "",
            "confusion (rows: label, columns: read; del = missed, ins = extra)",
        ]
        let symbols = Array(1..<ConfusionTable.classCount)  // `/` and the digits; [UNK] is never read
        let header = "      " + symbols.map { pad(Alphabet.vocabulary[$0]) }.joined() + pad("del")
        lines.append(header)
        for row in symbols {
            let cells = symbols.map { pad(String(metrics.confusion.aligned[row][$0])) }.joined()
            lines.append(pad(Alphabet.vocabulary[row]) + "  " + cells + pad(String(metrics.confusion.deletions[row])))
        }
        lines.append("ins   " + symbols.map { pad(String(metrics.confusion.insertions[$0])) }.joined())
        if listErrors {
            lines.append("")
            for result in report.results where result.reading.text != result.label {
                lines.append("\(result.source)\tlabel \(result.label)\tread \(result.reading.text)\t"
                             + String(format: "%.4f", result.reading.confidence))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String) -> String {
        String(repeating: " ", count: max(0, 6 - text.count)) + text
    }
}
