import Foundation
import Identity
import Logging
import MedLedgerTesting
import Server
import Testing

/// A node renews its own TLS certificate when it falls due, without a restart: connections made
/// after the renewal are served the new certificate, issued by the same org CA.
@Suite("Node TLS renewal")
struct TLSRenewalTests {
    /// The certificate the server presents to a new TLS 1.3 connection, as PEM.
    ///
    /// s_client reads end-of-file on stdin at once and may close before it prints the certificate
    /// when the machine is busy (the handshake completed; only the printing was cut short), so the
    /// probe is repeated a few times before the test gives up.
    static func presentedCertificate(_ address: ListeningAddress) async throws -> String {
        var lastError = ""
        for _ in 0..<3 {
            let output = try await runProcess(
                ["openssl", "s_client", "-connect", "\(address.host):\(address.port)", "-tls1_3", "-servername", "localhost"],
                timeout: .seconds(20)
            )
            let text = output.standardOutput
            if let start = text.range(of: "-----BEGIN CERTIFICATE-----"),
               let end = text.range(of: "-----END CERTIFICATE-----", range: start.upperBound..<text.endIndex)
            {
                return String(text[start.lowerBound..<end.upperBound])
            }
            lastError = String(output.standardError.suffix(500))
        }
        Issue.record("openssl s_client showed no certificate in 3 attempts: \(lastError)")
        return ""
    }

    @Test("The certificate is renewed while the server runs and new connections get it")
    func renewsWhileRunning() async throws {
        try await requireTool(["openssl", "version"], install: "apt-get install openssl")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let logger = Logger(label: "medledger.tests")
        let configuration = ServerConfiguration(dataDirectory: directory.url, port: 0)
        let (ca, _) = try OrganizationBootstrap(dataDirectory: directory.url).openOrCreate(logger: logger)
        func identity(renewingAt fraction: Double) -> NodeTLSIdentity {
            NodeTLSIdentity(directory: configuration.tlsDirectory, ca: ca, validity: 600, renewalFraction: fraction, logger: logger)
        }
        let material = try identity(renewingAt: 2.0 / 3.0).loadServerTLSMaterial()
        // Certificates are backdated, so find the fraction of this one's lifetime that lies 4 s ahead.
        let notBefore = try #require(identity(renewingAt: 0).renewalDate())
        let notAfter = try #require(identity(renewingAt: 1).renewalDate())
        let renewalDate = Date().addingTimeInterval(8)
        let fraction = renewalDate.timeIntervalSince(notBefore) / notAfter.timeIntervalSince(notBefore)
        let renewing = identity(renewingAt: fraction)
        let server = try MedLedgerServer(configuration: configuration, tls: material, renewingTLS: renewing, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let address = try await server.listeningAddress
            let original = material.certificateChainPEM[0].trimmingCharacters(in: .whitespacesAndNewlines)
            let before = try await Self.presentedCertificate(address)
            // On a busy machine the probe may come after the renewal date; only an early probe
            // must see the original.
            if Date() < renewalDate.addingTimeInterval(-1) { #expect(before == original) }

            // Poll past the renewal date until new connections get the renewed certificate.
            var after = before
            for _ in 0..<40 where after == original || after.isEmpty {
                try await Task.sleep(for: .seconds(1))
                if Date() > renewalDate { after = try await Self.presentedCertificate(address) }
            }
            #expect(!after.isEmpty)
            #expect(after != original)
            // The new certificate chains to the same organisation CA.
            let file = directory.url.appendingPathComponent("presented.pem")
            try (after + "\n").write(to: file, atomically: true, encoding: .utf8)
            let verify = try await runProcess(["openssl", "verify", "-CAfile", renewing.caCertificatePath, file.path])
            #expect(verify.status == 0, "\(verify.standardOutput) \(verify.standardError)")
            server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
