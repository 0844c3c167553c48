import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LedgerStore
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Ordering
import Schema
import Server
import Testing

/// A network started by `medledger network up` in a temporary directory: real etcd, orderer and
/// peer processes over loopback mTLS.
struct RunningNetwork: Sendable {
    let directory: URL
    let plan: NetworkPlan

    static let executable = BuiltProduct.path("medledger")

    var layout: NetworkLayout { NetworkLayout(directory: directory) }

    /// Runs `medledger network <arguments>` on this network.
    @discardableResult
    func command(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> String {
        try await runProcess([Self.executable, "network"] + arguments + ["--data", directory.path], timeout: timeout).requireSuccess()
    }

    func organization(_ name: String) -> NetworkPlan.Organization {
        plan.organizations.first { $0.name == name }!
    }

    func identity(_ name: String) -> IdentityFolder {
        IdentityFolder(directory: layout.identityDirectory(name))
    }

    func nodeDirectory(_ node: NetworkPlan.Node) -> URL {
        layout.nodeDirectory(node)
    }

    /// The process of `node` (to signal it).
    func process(_ node: NetworkPlan.Node) -> DaemonProcess {
        layout.process(node)
    }

    var etcd: LocalEtcdCluster {
        get throws { try LocalEtcdCluster.openOrPlan(directory: layout.etcd) }
    }

    /// Runs `body` with a gateway of `user` at its own organisation's peer, `organization`.
    func withGateway<Result: Sendable>(
        _ user: String, at organization: String, channel: String = "ehr",
        _ body: (LedgerGateway<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let folder = identity(user)
        let peer = self.organization(organization).peer
        return try await withClient(
            address: ListeningAddress(host: "127.0.0.1", port: peer.port), trusting: folder.caPath, as: try TestUser(folder: folder)
        ) { client in
            try await body(LedgerGateway(client: client, signer: try TestUser(folder: folder).signer, channel: channel, options: callOptions()))
        }
    }

    /// The address of the orderer leading `channel`, from etcd's election.
    func leaderAddress(channel: String = "ehr") async throws -> String? {
        let cluster = try etcd
        let files = try cluster.tls.clientFiles("test-observer")
        let configuration = EtcdConfiguration(
            endpoints: cluster.clientEndpoints, trustRootPath: cluster.tls.caCertificate.path, certificatePath: files.certificate.path,
            keyPath: files.key.path, callTimeout: .seconds(2))
        return try await EtcdConnection.with(configuration) { connection in
            try await connection.leader(of: EtcdChannelOrderer.Keys(channelID: channel).election).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// `medledger ledger verify` on every node's data directory (the network must be down):
    /// each node's output by node name.
    func verifyEveryNode(except: Set<String> = []) async throws -> [String: String] {
        var outputs: [String: String] = [:]
        for node in plan.nodes where !except.contains(node.name) {
            outputs[node.name] = try await runProcess([Self.executable, "ledger", "verify", "--data", nodeDirectory(node).path]).requireSuccess()
        }
        return outputs
    }

    /// The tip hash `ledger verify` printed for `channel`.
    static func tip(of channel: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("channel \(channel):") }?.split(separator: " ").last.map(String.init)
    }

    /// The last lines of every node's log, for a failure message.
    func logTails() -> String {
        plan.nodes.map { node in
            let text = (try? String(contentsOf: process(node).logFile, encoding: .utf8)) ?? ""
            return "== \(node.name)\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
        }.joined(separator: "\n")
    }
}

/// Runs `body` with a network brought up in a new directory, bringing it down afterwards.
func withNetwork(options: [String] = [], _ body: (RunningNetwork) async throws -> Void) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let up = try await runProcess([RunningNetwork.executable, "network", "up", "--data", directory.url.path] + options, timeout: .seconds(180))
    guard up.status == 0, let plan = try NetworkPlan.load(from: directory.url) else {
        Issue.record("network up failed: \(up.summary)")
        _ = try? await runProcess([RunningNetwork.executable, "network", "down", "--data", directory.url.path])
        return
    }
    let network = RunningNetwork(directory: directory.url, plan: plan)
    do {
        try await body(network)
    } catch {
        Issue.record("\(error)\n\(network.logTails())")
    }
    _ = try? await network.command(["down"])
}
