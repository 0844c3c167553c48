import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Server
import Synchronization
import Testing

/// Where the matrix's callers connect: the one node of the development network, or a node of
/// `network up` — each caller's own organisation's peer, or another organisation's.
protocol MatrixTarget: Sendable {
    /// Runs `body` with a client connected over mTLS as the demo identity `name`.
    func withClient<Result: Sendable>(as name: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result) async throws -> Result
    /// The identity folder of the demo identity `name`.
    func identity(_ name: String) -> IdentityFolder
    /// Called once the fixture stands, before the first row.
    func beginRows()
    /// True when the rows' callers call another organisation's node than their own.
    var callersAtOtherNodes: Bool { get }
}

extension MatrixTarget {
    /// Runs `body` with the health-record SDK acting as `name` on `channel`.
    @discardableResult
    func records<Result: Sendable>(
        as name: String, channel: String = "ehr", _ body: (HealthRecords<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let user = try TestUser(folder: identity(name))
        return try await withClient(as: name) { client in
            try await body(HealthRecords(client: client, signer: user.signer, channel: channel, options: callOptions(timeout: .seconds(60))))
        }
    }
}

extension RunningDevNetwork: MatrixTarget {
    func identity(_ name: String) -> IdentityFolder { network.identity(name) }
    func beginRows() {}
    var callersAtOtherNodes: Bool { false }
}

/// The matrix on `network up`: the fixture is built by each identity at its own organisation's
/// node, as its users would, and the rows then run at `placement`. Before each call the node waits until it has committed every
/// block of `ehr` (and, for the hospitals' callers, `hospitals`) an earlier call saw, so a row
/// reads what the rows before it wrote, whichever node they called.
final class NetworkMatrixTarget: MatrixTarget {
    enum Placement: String, Sendable, CaseIterable {
        /// Every caller at its own organisation's peer.
        case ownNode = "own organisation's node"
        /// Every caller at another organisation's peer (HospitalA ↔ HospitalB, PharmaCo → HospitalA, Regulator → HospitalB).
        case otherNode = "another organisation's node"
    }

    let network: RunningNetwork
    /// Where the rows' callers connect.
    let placement: Placement
    private let seen = ChannelHeight.Watermark()
    private let rowsStarted = Mutex(false)

    init(network: RunningNetwork, placement: Placement) {
        self.network = network
        self.placement = placement
    }

    func beginRows() {
        rowsStarted.withLock { $0 = true }
    }

    var callersAtOtherNodes: Bool { placement == .otherNode }

    func identity(_ name: String) -> IdentityFolder { network.identity(name) }

    /// The organisation (plan name) whose CA issued `name`.
    private func organization(of name: String) -> String {
        DevNetwork.demoIdentities.first { $0.name == name }?.organization ?? "HospitalA"
    }

    private func node(for name: String) -> NetworkPlan.Node {
        let own = organization(of: name)
        guard placement == .otherNode, rowsStarted.withLock({ $0 }) else { return network.organization(own).peer }
        let other = ["HospitalA": "HospitalB", "HospitalB": "HospitalA", "PharmaCo": "HospitalA", "Regulator": "HospitalB"][own] ?? "HospitalA"
        return network.organization(other).peer
    }

    func withClient<Result: Sendable>(as name: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result) async throws -> Result {
        let node = node(for: name)
        let channels = ["HospitalA", "HospitalB"].contains(organization(of: name)) ? ["ehr", "hospitals"] : ["ehr"]
        return try await network.withNodeClient(node, as: "identities/\(name)") { client in
            try await seen.catchUp(client, channels: channels, options: callOptions(timeout: .seconds(60)))
            let result: Result
            do {
                result = try await body(client)
            } catch {
                try await seen.note(client, channels: channels, options: callOptions())
                throw error
            }
            try await seen.note(client, channels: channels, options: callOptions())
            return result
        }
    }
}

extension MultiNodeNetwork {
    /// The same matrix on `network up`, every caller at its own organisation's node, then every
    /// caller at another organisation's node: the same decisions hold.
    @Suite("EHR authorization matrix on a network of nodes", .serialized, .timeLimit(.minutes(12)))
    struct NetworkAuthorizationMatrixTests {
        @Test(arguments: NetworkMatrixTarget.Placement.allCases)
        func everyCallerEveryActionEveryState(_ placement: NetworkMatrixTarget.Placement) async throws {
            try await withNetwork { network in
                try await EHRAuthorizationMatrixTests.play(on: NetworkMatrixTarget(network: network, placement: placement), label: "network, \(placement.rawValue)")
            }
        }
    }
}
