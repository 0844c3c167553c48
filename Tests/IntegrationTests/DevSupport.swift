import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LedgerStore
import Logging
import MedLedgerKit
import Server

/// A running development network (`medledger dev`'s node, in process) and its demo identities.
struct RunningDevNetwork: Sendable {
    let network: DevNetwork
    let node: MedLedgerNode
    let address: ListeningAddress
    let created: Bool

    /// The demo identity `name` (e.g. "dr-alice") as a test user.
    func user(_ name: String) throws -> TestUser {
        try TestUser(folder: network.identity(name))
    }

    /// Runs `body` with a client connected as the demo identity `name`, trusting its tls-ca.pem.
    func withClient<Result: Sendable>(
        as name: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        try await IntegrationTests.withClient(
            address: address, trusting: network.identity(name).tlsTrustPath, as: try user(name), body)
    }
}

extension RunningDevNetwork {
    /// Runs `body` with the health-record SDK acting as the demo identity `name` on `channel`.
    @discardableResult
    func records<Result: Sendable>(
        as name: String, channel: String = "ehr", _ body: (HealthRecords<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let user = try user(name)
        return try await withClient(as: name) { client in
            try await body(HealthRecords(client: client, signer: user.signer, channel: channel, options: callOptions(timeout: .seconds(30))))
        }
    }
}

/// Opens the development network under `directory` on a free loopback port, runs `body`, then
/// shuts the node down gracefully.
func withDevNetwork<Result: Sendable>(
    in directory: URL, _ body: (RunningDevNetwork) async throws -> Result
) async throws -> Result {
    let network = DevNetwork(dataDirectory: directory)
    let (node, created) = try network.openNode(
        configuration: ServerConfiguration(dataDirectory: directory, port: 0), durability: .normal,
        logger: Logger(label: "medledger.tests.dev"))
    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
        group.addTask { try await node.run() }
        do {
            let running = RunningDevNetwork(
                network: network, node: node, address: try await node.server.listeningAddress, created: created)
            let result = try await body(running)
            node.server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}
