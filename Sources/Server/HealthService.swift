internal import GRPCCore
internal import Schema
internal import Wire

/// The standard gRPC health service (`grpc.health.v1.Health`), answering from a `HealthStatusBoard`.
///
/// Follows the protocol's semantics: Check fails with NOT_FOUND for a service the board does not
/// know; Watch sends the current status at once (SERVICE_UNKNOWN for an unknown service, without
/// ending the call) and then every change; List returns at most `listLimit` services.
struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    /// The largest List answer the protocol allows; more services give RESOURCE_EXHAUSTED.
    static let listLimit = 100

    let board: HealthStatusBoard

    func check(
        request: Grpc_Health_V1_HealthCheckRequest,
        context: GRPCCore.ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = await board.status(of: request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \(QuotedInput.quote(request.service))")
        }
        return Self.response(status)
    }

    func list(
        request: Grpc_Health_V1_HealthListRequest,
        context: GRPCCore.ServerContext
    ) async throws -> Grpc_Health_V1_HealthListResponse {
        let statuses = await board.allStatuses()
        guard statuses.count <= Self.listLimit else {
            throw RPCError(
                code: .resourceExhausted,
                message: "\(statuses.count) services exceed the List limit of \(Self.listLimit)"
            )
        }
        var response = Grpc_Health_V1_HealthListResponse()
        response.statuses = statuses.mapValues { Self.response($0) }
        return response
    }

    func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: GRPCCore.RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: GRPCCore.ServerContext
    ) async throws {
        for await status in await board.watch(request.service) {
            try await response.write(Self.response(status))
        }
    }

    private static func response(_ status: ServingStatus?) -> Grpc_Health_V1_HealthCheckResponse {
        var response = Grpc_Health_V1_HealthCheckResponse()
        switch status {
        case .serving: response.status = .serving
        case .notServing: response.status = .notServing
        case nil: response.status = .serviceUnknown
        }
        return response
    }
}
