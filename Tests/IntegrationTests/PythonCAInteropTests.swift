import CertificateAuthority
import Foundation
import Identity
import MedLedgerTesting
import Schema
import Server
import Testing

/// A Python grpcio client enrolls over plain TLS with a key and CSR it made itself, then calls a
/// protected RPC with its new certificate over mTLS.
@Suite("Python grpcio enrolls and uses mTLS", .timeLimit(.minutes(5)))
struct PythonCAInteropTests {
    @Test("Enroll over TLS, then GetCRL over mTLS; without a certificate GetCRL is UNAUTHENTICATED")
    func pythonEnrollsAndCallsWithMTLS() async throws {
        let generated = try await generatePythonStubs(
            ["medledger/v1/common.proto", "medledger/v1/identity.proto", "medledger/v1/ca.proto"],
            extraModules: ["cryptography"]
        )
        defer { generated.remove() }

        let script = repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python/ca_client.py").path
        let (output, issued) = try await withRunningServer { running in
            let secret = try running.ca.register(enrollmentID: "py.client", role: .client)
            let output = try await runProcess([
                "python3", script, "--generated", generated.url.path, "--target", "\(running.address)",
                "--ca", running.caCertificatePath, "--id", "py.client", "--secret", secret,
            ])
            return (output, try running.ca.store.certificates(of: "py.client"))
        }
        try #require(output.status == 0, "ca_client.py failed\n\(output.summary)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: String],
            "ca_client.py printed no JSON object\n\(output.summary)"
        )
        #expect(report["subject"]?.contains("CN=py.client") == true)
        #expect(report["subject"]?.contains("OU=client") == true)
        #expect(issued.map(\.serial) == [report["serial"]])
        #expect(report["without_certificate"] == "UNAUTHENTICATED")
        #expect(report["crl_issuer"]?.contains("O=MedLedgerOrg1MSP") == true)
    }
}
