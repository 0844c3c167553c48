import GRPCCore
import MedLedgerTesting
import Schema

extension RunningDevNetwork {
    /// The status the node's health service reports for `service`, asked over gRPC as dr-alice.
    func health(_ service: String) async throws -> Grpc_Health_V1_HealthCheckResponse.ServingStatus {
        try await withClient(as: "dr-alice") { client in
            var request = Grpc_Health_V1_HealthCheckRequest()
            request.service = service
            return try await Grpc_Health_V1_Health.Client(wrapping: client).check(request, options: callOptions()).status
        }
    }
}

/// Whether `condition` holds within 5 s (asked every 100 ms).
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<50 {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
