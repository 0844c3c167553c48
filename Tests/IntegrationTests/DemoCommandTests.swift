import Foundation
import MedLedgerTesting
import Testing

@Suite("medledger demo plays the story against a running development network")
struct DemoCommandTests {
    @Test func theDemoRunsTwiceAgainstTheSameNetwork() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            for run in 1...2 {
                let output = try await runProcess(
                    [NodeProcess.medledger, "demo", "--data", directory.url.path, "--address", "\(dev.address)"], timeout: .seconds(180))
                try #require(output.status == 0, "demo run \(run) failed\n\(output.summary)")
                #expect(output.standardOutput.contains("DENIED — no active consent grants HospitalBMSP/dr-bob"))
                #expect(output.standardOutput.contains("PERMITTED — break-glass"))
                #expect(output.standardOutput.contains("The story is complete."))
                // Two runs later the demo still starts from a clean slate of its own records and studies.
                #expect(!output.standardOutput.contains("P-001\""), "patient IDs must not appear in the export")
                if run == 2 { #expect(output.standardOutput.contains("was registered by an earlier run")) }
            }
        }
    }
}
