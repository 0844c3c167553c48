import Foundation
import LocalNetwork
import MedLedgerTesting
import Testing

extension MultiNodeNetwork {
    /// proto/etcd is our own transcription of etcd's v3 API. A Python client generated from it by
    /// grpcio-tools (the reference protobuf implementation) must work against the real etcd 3.4 over
    /// mTLS: every field number and type it uses is then etcd's.
    @Suite("proto/etcd against a real etcd", .timeLimit(.minutes(5)))
    struct EtcdSubsetOracleTests {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Python/etcd_subset_check.py")

        @Test func aPythonClientGeneratedFromOurSubsetTalksToEtcd() async throws {
            let output = try await withEtcdCluster { cluster, _ in
                let files = try cluster.tls.clientFiles("python-oracle")
                return try await runProcess(
                    [
                        "python3", Self.script.path, "--endpoint", cluster.clientEndpoints[0], "--ca", cluster.tls.caCertificate.path,
                        "--cert", files.certificate.path, "--key", files.key.path,
                    ], timeout: .seconds(90))
            }
            let text = try output.requireSuccess()
            #expect(text.contains(" 0 failed"), "\(text.suffix(2_000))")
            #expect(!text.contains("FAIL"))
        }
    }
}
