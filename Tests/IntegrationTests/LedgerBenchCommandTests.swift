import Foundation
import MedLedgerTesting
import Testing

/// `medledger bench ledger` at a small size: the load generator CI keeps working. Its figures are
/// reported by a release run (see the issue note), never asserted as timings here.
@Suite("medledger bench ledger", .timeLimit(.minutes(3)))
struct LedgerBenchCommandTests {
    static let medledger = BuiltProduct.path("medledger")

    func bench(_ arguments: [String]) async throws -> [String: Any] {
        try #require(FileManager.default.isExecutableFile(atPath: Self.medledger), "build first: swift build --build-tests")
        let output = try await runProcess([Self.medledger, "bench", "ledger", "--json"] + arguments, timeout: .seconds(150))
        try #require(output.status == 0, "\(output.summary)")
        let json = try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any]
        return try #require(json, "not JSON: \(output.standardOutput)")
    }

    @Test func streamingClientsCommitEveryTransaction() async throws {
        let report = try await bench(["--transactions", "300", "--clients", "3", "--window", "32"])
        #expect(report["valid"] as? Int == 300)
        #expect(report["invalid"] as? Int == 0)
        #expect(report["rejected"] as? Int == 0)
        #expect((report["blocks"] as? Int ?? 0) >= 1)
        #expect((report["crypto_bound_tx_per_s"] as? Double ?? 0) > 0)
        #expect((report["committed_tx_per_s"] as? Double ?? 0) > 0)
        #expect((report["latency_p99_ms"] as? Double ?? -1) >= (report["latency_p50_ms"] as? Double ?? 0))
    }

    @Test func unaryClientsCommitEveryTransaction() async throws {
        let report = try await bench(["--transactions", "40", "--clients", "2", "--window", "4", "--mode", "unary"])
        #expect(report["valid"] as? Int == 40)
        #expect((report["settings"] as? String)?.contains("mode unary") == true)
    }
}
