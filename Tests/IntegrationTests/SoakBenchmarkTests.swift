import Foundation
import MedLedgerTesting
import Testing

/// The one-minute soak CI runs: `medledger bench soak` against its own `medledger dev` process,
/// every operation of the EHR mix running, no error but the expected denials, the node's open
/// files not growing. Paced and niced, so that it does not starve the suites running beside it
/// (an unpaced soak saturates both cores of a CI machine). The ten-minute run with 64 clients,
/// and its memory figures, are in docs/benchmarks.md.
@Suite("medledger bench soak, one minute", .timeLimit(.minutes(5)))
struct SoakBenchmarkTests {
    @Test func theMixRunsAMinuteWithoutErrorsAndTheNodesFilesStayFlat() async throws {
        let run = try await runProcess(
            ["nice", "-n", "15", NodeProcess.medledger, "bench", "soak", "--minutes", "1", "--clients", "7", "--pace", "400", "--max-growth", "50", "--json"],
            timeout: .seconds(240))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any], "\(run.summary)")
        #expect(run.status == 0, "\(run.summary)")
        let operations = report["operations"] as? [[String: Any]] ?? []
        #expect(operations.count == 7)
        for operation in operations {
            let name = operation["name"] as? String ?? "?"
            #expect(operation["errors"] as? Int == 0, "\(name): \(operation["firstError"] ?? "")")
            #expect((operation["count"] as? Int ?? 0) > 0, "\(name) never ran")
            let denials = operation["expectedDenials"] as? Int
            #expect(name == "readWithoutConsent" ? denials == operation["count"] as? Int : denials == 0, "\(name)")
        }
        let before = report["openFilesAfterWarmUp"] as? Int ?? 0
        let after = report["openFilesAtEnd"] as? Int ?? .max
        #expect(before > 0 && after <= before + 7, "open files grew from \(before) to \(after)")
        #expect((report["samples"] as? [Any])?.count ?? 0 >= 10)
    }
}
