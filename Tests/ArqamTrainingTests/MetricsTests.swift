@testable import ArqamTraining
import Testing

@Suite struct MetricsTests {
    // Eight hand-built readings (label, reading, confidence → bin of 10, correct?, edit distance):
    //   1 "2024/05/13" "2024/05/13" 0.95 → bin 9  ✓ 0
    //   2 "0123"       "0123"       0.95 → bin 9  ✓ 0
    //   3 "0115"       "015"        0.85 → bin 8  ✗ 1 (a "1" deleted)
    //   4 "7"          "1"          0.75 → bin 7  ✗ 1 ("7" read as "1")
    //   5 "15/11/1987" "15/11/1987" 0.55 → bin 5  ✓ 0
    //   6 "3141592"    "31415927"   0.35 → bin 3  ✗ 1 (a "7" inserted)
    //   7 "29"         ""           0.05 → bin 0  ✗ 2 ("2" and "9" deleted)
    //   8 "٠١٢"        "012"        0.65 → bin 6  ✓ 0 (Arabic-Indic digits are their Western digits)
    // Sequence accuracy 4/8 = 0.5. Label characters 10+4+4+1+10+7+2+3 = 41, errors 5: CER 5/41.
    // ECE = Σ |correct − Σ confidence| / n over the bins:
    //   bin 9 |2 − 1.9| = 0.1, bin 8 0.85, bin 7 0.75, bin 6 |1 − 0.65| = 0.35, bin 5 0.45,
    //   bin 3 0.35, bin 0 0.05; sum 2.9, / 8 = 0.3625.
    // Coverage at 99.5 %: the 0.95 pair is 2/2 correct; adding 0.85 gives 2/3 and nothing later
    //   recovers → 2 of 8 = 0.25, threshold 0.95.
    // Coverage at 60 %: 2/2, 2/3 = .667, 2/4, 3/5 = .6, 4/6 = .667, 4/7, 4/8 → the largest is 6 of 8,
    //   threshold 0.55 (passing over the failing cut at 0.75).
    static let readings = [
        EvaluatedReading(label: "2024/05/13", predicted: "2024/05/13", confidence: 0.95),
        EvaluatedReading(label: "0123", predicted: "0123", confidence: 0.95),
        EvaluatedReading(label: "0115", predicted: "015", confidence: 0.85),
        EvaluatedReading(label: "7", predicted: "1", confidence: 0.75),
        EvaluatedReading(label: "15/11/1987", predicted: "15/11/1987", confidence: 0.55),
        EvaluatedReading(label: "3141592", predicted: "31415927", confidence: 0.35),
        EvaluatedReading(label: "29", predicted: "", confidence: 0.05),
        EvaluatedReading(label: "\u{660}\u{661}\u{662}", predicted: "012", confidence: 0.65),
    ]

    @Test func handBuiltCaseFigures() throws {
        let metrics = EvaluationMetrics(Self.readings)
        #expect(metrics.imageCount == 8 && metrics.correctCount == 4)
        #expect(metrics.sequenceAccuracy == 0.5)
        #expect(metrics.characterErrors == 5 && metrics.labelCharacterCount == 41)
        #expect(abs(try #require(metrics.characterErrorRate) - 5.0 / 41.0) < 1e-15)
        #expect(abs(try #require(metrics.expectedCalibrationError) - 0.3625) < 1e-12)
        #expect(metrics.calibrationBins.map(\.count) == [1, 0, 0, 1, 0, 1, 1, 1, 1, 2])
        #expect(metrics.calibrationBins[9].accuracy == 1 && metrics.calibrationBins[1].accuracy == nil)
        #expect(metrics.coverage.acceptedCount == 2 && metrics.coverage.threshold == 0.95 && metrics.coverage.fraction == 0.25)

        let loose = EvaluationMetrics(Self.readings, targetPrecision: 0.6).coverage
        #expect(loose.acceptedCount == 6 && loose.acceptedCorrectCount == 4 && loose.threshold == 0.55)
    }

    @Test func confusionTableFromAlignments() {
        // Classes: "/" 1, digit d → d + 2. Off the diagonal only "7"→"1" (9 → 3); deletions of
        // "1" (3, reading 3), "2" (4) and "9" (11, reading 7); the insertion of "7" (9, reading 6).
        let table = EvaluationMetrics(Self.readings).confusion
        #expect(table.substitutionCount == 1 && table.aligned[9][3] == 1)
        #expect(table.deletions[3] == 1 && table.deletions[4] == 1 && table.deletions[11] == 1)
        #expect(table.deletions.reduce(0, +) == 3)
        #expect(table.insertions[9] == 1 && table.insertions.reduce(0, +) == 1)
        // Correct pairs: 41 label characters − 3 deleted − 1 substituted = 37; the four "/" of
        // readings 1 and 5 are among them.
        #expect((0..<12).map { table.aligned[$0][$0] }.reduce(0, +) == 37)
        #expect(table.aligned[1][1] == 4)
    }

    @Test func alignmentPrefersPairsAndFindsTheMinimum() {
        // "0115" → "015" costs one deletion. The backtrace runs from the end and pairs when it
        // can, so the second "1" is paired and the first one is the deletion.
        let alignment = EditAlignment(Array("0115"), Array("015"))
        #expect(alignment.distance == 1)
        #expect(alignment.steps == [.pair("0", "0"), .deletion("1"), .pair("1", "1"), .pair("5", "5")])
        // kitten → sitting, the textbook distance 3 (two substitutions, one insertion).
        #expect(EditAlignment(Array("kitten"), Array("sitting")).distance == 3)
        #expect(EditAlignment([], Array("12")).steps == [.insertion("1"), .insertion("2")])
    }

    @Test func equalConfidencesAreAcceptedTogether() {
        // Two readings at 0.9, one wrong: no threshold accepts only the right one, so nothing is
        // covered at 99.5 % even though the first of them alone would be 1/1.
        let tied = EvaluationMetrics([
            EvaluatedReading(label: "1", predicted: "1", confidence: 0.9),
            EvaluatedReading(label: "2", predicted: "3", confidence: 0.9),
            EvaluatedReading(label: "4", predicted: "4", confidence: 0.2),
        ]).coverage
        #expect(tied.acceptedCount == 0 && tied.threshold == nil && tied.fraction == 0)
    }

    @Test func exactTargetPrecisionCounts() {
        // 199 right and 1 wrong, all more confident than a last wrong one: 199/200 is exactly 99.5 %.
        var readings = (0..<199).map { EvaluatedReading(label: "5", predicted: "5", confidence: 0.99 - Double($0) * 1e-4) }
        readings.append(EvaluatedReading(label: "5", predicted: "6", confidence: 0.5))
        readings.append(EvaluatedReading(label: "5", predicted: "6", confidence: 0.4))
        let coverage = EvaluationMetrics(readings).coverage
        #expect(coverage.acceptedCount == 200 && coverage.threshold == 0.5)
    }

    @Test func emptyInputsHaveNoRates() {
        let metrics = EvaluationMetrics([])
        #expect(metrics.sequenceAccuracy == nil && metrics.characterErrorRate == nil)
        #expect(metrics.expectedCalibrationError == nil && metrics.coverage.fraction == nil)
        // An empty label read as empty is right; the CER has no characters to divide by.
        let blank = EvaluationMetrics([EvaluatedReading(label: "", predicted: "", confidence: 1)])
        #expect(blank.sequenceAccuracy == 1 && blank.characterErrorRate == nil)
        #expect(blank.calibrationBins[9].count == 1)
    }
}
