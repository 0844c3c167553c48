import Foundation
import MedLedgerTesting
import Server
import Testing

/// A Python grpcio client, with stubs that grpc_tools.protoc generates from `proto/`, calls the
/// Swift server over TLS: the cross-language check that the wire format and TLS setup are standard.
@Suite("Python grpcio interoperability", .timeLimit(.minutes(5)))
struct PythonInteropTests {
    @Test("A Python client generated from proto/ gets SERVING over TLS")
    func pythonHealthCheck() async throws {
        let generated = try await generatePythonStubs(["grpc/health/v1/health.proto"])
        defer { generated.remove() }

        let script = repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python/health_client.py").path
        let output = try await withRunningServer { running in
            try await runProcess([
                "python3", script,
                "--generated", generated.url.path,
                "--target", "\(running.address)",
                "--ca", running.caCertificatePath,
                "--service", "",
                "--service", MedLedgerServer.healthServiceName,
                "--service", "no.such.Service",
                "--long-service", "1048576",
                "--long-service", "5000000",
            ])
        }
        try #require(output.status == 0, "health_client.py failed\n\(output.summary)")

        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any],
            "health_client.py printed no JSON object\n\(output.summary)"
        )
        let check = try #require(report["check"] as? [String: [String: Any]], "no 'check' in \(report)")
        #expect(check[""]?["status"] as? String == "SERVING")
        #expect(check[MedLedgerServer.healthServiceName]?["status"] as? String == "SERVING")
        let unknown = check["no.such.Service"]?["error"] as? [String: Any]
        #expect(unknown?["code"] as? String == "NOT_FOUND")
        #expect((unknown?["details"] as? String)?.contains("no.such.Service") == true)
        // A megabyte of input is quoted short: grpcio reads the status (it refuses trailers over 8 KiB).
        let long = check["x*1048576"]?["error"] as? [String: Any]
        #expect(long?["code"] as? String == "NOT_FOUND" && ((long?["details"] as? String)?.utf8.count ?? .max) < 600, "\(long ?? [:])")
        // A request over 4 MiB gets the server's RESOURCE_EXHAUSTED, not a reset stream (CANCELLED).
        let oversized = check["x*5000000"]?["error"] as? [String: Any]
        #expect(oversized?["code"] as? String == "RESOURCE_EXHAUSTED", "\(oversized ?? [:])")
        #expect((oversized?["details"] as? String)?.contains("4194304") == true, "\(oversized ?? [:])")
        #expect(report["watch_first"] as? String == "SERVING")
        #expect(
            report["list"] as? [String: String] == [
                "": "SERVING", MedLedgerServer.healthServiceName: "SERVING", "medledger.v1.CertificateAuthority": "SERVING",
            ]
        )
    }
}
