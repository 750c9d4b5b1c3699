import Foundation
import Testing

/// `arqam bench --json` as a process: the figures a note quotes are all there, named as the
/// README names them. Their values depend on the machine and are not checked.
@Suite struct BenchCommandTests {
    @Test func jsonNamesEveryFigure() throws {
        let outcome = try CommandRunner.run(["bench", "--json", "--runs", "10", "--process-runs", "1",
                                             "--weights", CommandRunner.randomWeights.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        for key in ["latency_ms_p50_1thread", "latency_ms_p99_1thread", "latency_ms_p50_all", "latency_ms_p99_all",
                    "reading_ms_p50_all", "reading_ms_p50_all_zoom", "reading_ms_p50_all_views3_zoom", "throughput_ips_batch64_all",
                    "process_ms_read_one", "peak_rss_mib_read_one"] {
            let value = try #require(object[key] as? Double, "\(key)")
            #expect(value > 0, "\(key)")
        }
        #expect(object["train_step_ms_batch16_p50_all"] == nil, "a training step only with --train")
    }
}
