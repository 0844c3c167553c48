import MedLedgerTesting
import Testing

/// The server speaks TLS 1.3 only: OpenSSL's client, forced to a version, is the independent judge.
@Suite("TLS version", .timeLimit(.minutes(3)))
struct TLSVersionTests {
    @Test("A TLS 1.3 client connects; a TLS 1.2 client is disconnected")
    func onlyTLS13() async throws {
        try await requireTool(["openssl", "version"], install: "apt-get install openssl")
        try await withRunningServer { running in
            func connect(_ version: String) async throws -> ProcessOutput {
                // stdin stays open, so s_client ends early only if the server hangs up.
                try await runProcess(
                    [
                        "openssl", "s_client", version, "-brief",
                        "-connect", "\(running.address)", "-CAfile", running.caCertificatePath,
                        "-verify_return_error", "-alpn", "h2",
                    ],
                    keepStandardInputOpen: true,
                    timeout: .seconds(3)
                )
            }
            let modern = try await connect("-tls1_3")
            #expect(modern.timedOut, "a TLS 1.3 connection was closed by the server\n\(modern.summary)")
            #expect(modern.standardError.contains("TLSv1.3"), "\(modern.summary)")

            let legacy = try await connect("-tls1_2")
            #expect(!legacy.timedOut, "a TLS 1.2 connection stayed open\n\(legacy.summary)")
        }
    }
}
