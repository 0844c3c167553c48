import Foundation
import MedLedgerTesting
import Testing

/// `medledger bench content` at a tiny size: the report's shape, and that the CID it measured is
/// the one `dag add --only-hash` prints for the same file.
@Suite("medledger bench content", .timeLimit(.minutes(5)))
struct ContentBenchCommandTests {
    @Test func reportsRatesRatiosAndTheOnlyHashCID() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: NodeProcess.medledger), "swift build --build-tests first")
        try await requireTool(["python3", "-c", "import hashlib"], install: "python3")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.url.appending(path: "input.bin")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: file)

        let bench = try await runProcess(
            [NodeProcess.medledger, "bench", "content", "--file", file.path, "--runs", "1", "--json"], timeout: .seconds(90))
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(bench.standardOutput.utf8)) as? [String: Any], "\(bench.summary)")
        #expect(report["bytes"] as? Int == 4 << 20)
        for key in [
            "sha256sum_mb_s", "hashlib_mb_s", "only_hash_mb_s", "only_hash_process_mb_s", "sealed_add_mb_s", "sealed_no_store_mb_s", "sealed_cat_mb_s", "dd_fsync_mb_s",
            "ratio_only_hash_vs_hashlib", "ratio_only_hash_vs_sha256sum", "ratio_only_hash_process_vs_hashlib", "ratio_sealed_add_vs_dd_fsync",
        ] {
            let value = report[key] as? Double
            #expect(value.map { $0 > 0 && $0.isFinite } == true, "\(key): \(String(describing: report[key]))")
        }
        let rss = try #require(report["only_hash_process_max_rss_bytes"] as? Int)
        #expect(rss > 1 << 20 && rss < 1 << 30)
        // The exit status says whether the report's targets were met (a debug build may miss
        // them): 0 exactly when met, 1 exactly when not.
        let met = try #require((report["targets"] as? [String: Any])?["met"] as? Bool, "\(bench.summary)")
        #expect(bench.status == (met ? 0 : 1), "\(bench.summary)")

        let onlyHash = try await runProcess([NodeProcess.medledger, "dag", "add", "--only-hash", file.path])
        #expect(report["cid"] as? String == onlyHash.standardOutput.trimmingCharacters(in: .newlines), "\(onlyHash.summary)")
        #expect((report["sealed_cid"] as? String)?.hasPrefix("bafybei") == true)
    }
}
