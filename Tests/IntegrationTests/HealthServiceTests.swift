import GRPCCore
import MedLedgerTesting
import Schema
import Server
import Testing

/// The health service, called by a grpc-swift-2 client over real loopback TLS.
@Suite("Health service over TLS", .timeLimit(.minutes(3)))
struct HealthServiceTests {
    @Test("Check reports SERVING for the server and for registered services")
    func checkServing() async throws {
        try await withRunningServer { running in
            try await withHealthClient(running) { health in
                let overall = try await health.check(healthRequest(""), options: callOptions())
                #expect(overall.status == .serving)
                let own = try await health.check(
                    healthRequest(MedLedgerServer.healthServiceName),
                    options: callOptions()
                )
                #expect(own.status == .serving)
            }
        }
    }

    @Test("Check on an unknown service fails with NOT_FOUND, naming the service")
    func checkUnknownService() async throws {
        try await withRunningServer { running in
            try await withHealthClient(running) { health in
                let error = await #expect(throws: RPCError.self) {
                    try await health.check(healthRequest("no.such.Service"), options: callOptions())
                }
                #expect(error?.code == .notFound)
                #expect(error?.message.contains("no.such.Service") == true)
            }
        }
    }

    @Test("Watch sends the current status at once, then each change")
    func watchFollowsChanges() async throws {
        try await withRunningServer { running in
            let board = running.server.health
            await board.setStatus(.serving, for: "medledger.test.Flappy")
            let seen = try await withHealthClient(running) { health in
                try await health.watch(healthRequest("medledger.test.Flappy"), options: callOptions()) { response in
                    var seen: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                    for try await message in response.messages {
                        seen.append(message.status)
                        if seen.count == 1 { await board.setStatus(.notServing, for: "medledger.test.Flappy") }
                        if seen.count == 2 { break }
                    }
                    return seen
                }
            }
            #expect(seen == [.serving, .notServing])
        }
    }

    @Test("Watch on an unknown service sends SERVICE_UNKNOWN and stays open until it is known")
    func watchUnknownService() async throws {
        try await withRunningServer { running in
            let board = running.server.health
            let seen = try await withHealthClient(running) { health in
                try await health.watch(healthRequest("medledger.test.Later"), options: callOptions()) { response in
                    var seen: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                    for try await message in response.messages {
                        seen.append(message.status)
                        if seen.count == 1 { await board.setStatus(.serving, for: "medledger.test.Later") }
                        if seen.count == 2 { break }
                    }
                    return seen
                }
            }
            #expect(seen == [.serviceUnknown, .serving])
        }
    }

    @Test("List reports every known service")
    func listServices() async throws {
        try await withRunningServer { running in
            await running.server.health.setStatus(.notServing, for: "medledger.test.Down")
            let statuses = try await withHealthClient(running) { health in
                try await health.list(Grpc_Health_V1_HealthListRequest(), options: callOptions()).statuses
            }
            #expect(statuses.mapValues(\.status) == [
                "": .serving,
                MedLedgerServer.healthServiceName: .serving,
                "medledger.v1.CertificateAuthority": .serving,
                "medledger.test.Down": .notServing,
            ])
        }
    }

    @Test("Graceful shutdown tells watchers NOT_SERVING, ends their calls and stops the server")
    func shutdownNotifiesWatchers() async throws {
        try await withRunningServer { running in
            let seen = try await withHealthClient(running) { health in
                try await health.watch(healthRequest(""), options: callOptions()) { response in
                    var seen: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                    for try await message in response.messages {
                        seen.append(message.status)
                        if seen.count == 1 { running.server.beginGracefulShutdown() }
                    }
                    return seen
                }
            }
            #expect(seen == [.serving, .notServing])
            #expect(await running.server.health.status(of: "") == .notServing)
        }
    }
}
