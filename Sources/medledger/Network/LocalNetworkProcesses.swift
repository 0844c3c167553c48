internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import LedgerCore
internal import LocalNetwork
internal import Logging
internal import Schema
internal import Server
internal import Wire

/// Starts, joins, inspects and stops the processes of the network in `directory`.
struct LocalNetworkProcesses {
    let directory: URL
    let logLevel: String

    var layout: NetworkLayout { NetworkLayout(directory: directory) }
    var etcdDirectory: URL { layout.etcd }

    /// The saved plan, or a new one provisioned now.
    func planOrCreate(etcdWindow: UInt64? = nil) throws -> NetworkPlan {
        if let plan = try NetworkPlan.load(from: directory) { return plan }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ordering: Set<String> = ["HospitalA", "HospitalB", "Regulator"]
        var plan = try NetworkPlan.make(
            organizations: DevNetwork.organizations.map { ($0.name, $0.mspID, ordering.contains($0.name)) },
            channels: DevNetwork.channels.map { NetworkPlan.Channel(id: $0.id, members: $0.members) })
        plan.etcdWindow = etcdWindow
        try NetworkProvisioning(layout: layout, plan: plan, logger: Logger(label: "medledger.network")).provision()
        try plan.save(to: directory)
        return plan
    }

    /// The child process of `node`.
    func process(_ node: NetworkPlan.Node, plan: NetworkPlan) throws -> DaemonProcess {
        let organization = plan.organizations.first { $0.peer == node || $0.orderer == node }!
        let data = layout.nodeDirectory(node).path
        var arguments = [Self.executable, "serve", "--data", data, "--port", "\(node.port)", "--log-level", logLevel]
        if let metricsPort = node.metricsPort { arguments += ["--metrics-port", "\(metricsPort)"] }
        arguments += node.httpsPort.map { ["--https-port", "\($0)"] } ?? ["--no-https"]
        if organization.orderer == node {
            let cluster = try LocalEtcdCluster.openOrPlan(directory: etcdDirectory)
            let files = try cluster.tls.clientFiles(node.name)
            arguments += ["--role", "orderer", "--etcd-ca", cluster.tls.caCertificate.path, "--etcd-cert", files.certificate.path, "--etcd-key", files.key.path]
            for endpoint in cluster.clientEndpoints { arguments += ["--etcd", endpoint] }
            if let window = plan.etcdWindow { arguments += ["--etcd-window", "\(window)"] }
        } else {
            arguments += ["--role", "peer", "--msp-id", organization.mspID]
        }
        try FileManager.default.createDirectory(at: layout.logs, withIntermediateDirectories: true)
        return layout.process(node, arguments: arguments)
    }

    /// This executable, for the node processes.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Starts etcd, then the orderers, then the peers; waits until each listens.
    func start(_ plan: NetworkPlan) async throws {
        let cluster = try LocalEtcdCluster.openOrPlan(directory: etcdDirectory)
        try cluster.start()
        try await cluster.waitUntilReady(timeout: .seconds(60))
        let processes = try plan.nodes.map { node in (node, try process(node, plan: plan)) }
        for (_, process) in processes { try process.start() }
        for (node, process) in processes {
            try await process.waitUntilListening(name: node.name, port: node.port, timeout: .seconds(60))
        }
    }

    /// Joins every orderer and peer to its organisation's channels (as its organisation's admin).
    func joinChannels(_ plan: NetworkPlan) async throws {
        for channel in plan.channels {
            let genesis = try Medledger_V1_Block(serializedData: Data(contentsOf: layout.genesisFile(channel.id)))
            for organization in plan.organizations where channel.members.contains(organization.name) {
                for node in [organization.orderer, organization.peer].compactMap({ $0 }) {
                    try await join(node, channel: channel.id, genesis: genesis, admin: organization.admin)
                }
            }
        }
    }

    private func join(_ node: NetworkPlan.Node, channel: String, genesis: Medledger_V1_Block, admin: String) async throws {
        var request = Medledger_V1_JoinChannelRequest()
        request.genesisBlock = genesis
        do {
            try await withAdmin(node, admin: admin) { client in
                _ = try await Medledger_V1_Admin.Client(wrapping: client).joinChannel(request)
            }
        } catch let error as RPCError where error.code == .alreadyExists {
            return
        }
    }

    func withAdmin<Result: Sendable>(
        _ node: NetworkPlan.Node, admin: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let identity = IdentityFolder(directory: directory.appendingPathComponent(admin, isDirectory: true))
        let trust = layout.nodeDirectory(node).appendingPathComponent("tls/ca.pem").path
        return try await NodeConnectionOptions.withNodeClient(address: node.address, trusting: trust, identity: identity, body)
    }

    /// What the user needs to use the network.
    func summary(_ plan: NetworkPlan) -> String {
        var lines = ["MedLedger network in \(directory.path) is up:"]
        let cluster = try? LocalEtcdCluster.openOrPlan(directory: etcdDirectory)
        lines.append("  etcd cluster: \(cluster?.clientEndpoints.joined(separator: ", ") ?? "?") (mTLS)")
        for organization in plan.organizations {
            var line = "  \(organization.name): peer \(organization.peer.address)"
            if let orderer = organization.orderer { line += ", orderer \(orderer.address)" }
            let metrics = [organization.peer, organization.orderer].compactMap { $0?.metricsPort }.map { ":\($0)" }
            if !metrics.isEmpty { line += " (metrics on 127.0.0.1\(metrics.joined(separator: ", ")))" }
            lines.append(line)
        }
        lines.append("  channels: " + plan.channels.map { "\($0.id) (\($0.members.joined(separator: ", ")))" }.joined(separator: "; "))
        lines.append("Identities are in \(directory.path)/identities/; each calls its own organisation's peer, e.g.")
        if let first = plan.organizations.first {
            lines.append(
                "  medledger chaincode invoke --address \(first.peer.address) --identity \(directory.path)/identities/dr-alice --channel ehr --contract asset Put k1 v1")
        }
        lines.append("Logs: \(directory.path)/logs/. Stop with: medledger network down --data \(directory.path)")
        return lines.joined(separator: "\n")
    }

    /// Each node's role, process and channel heights; each etcd member's health.
    func status(_ plan: NetworkPlan) async throws -> String {
        var lines: [String] = []
        let cluster = try LocalEtcdCluster.openOrPlan(directory: etcdDirectory)
        for member in cluster.members {
            let running = cluster.process(member).runningPID().map { "running (pid \($0))" } ?? "stopped"
            lines.append("etcd \(member.name) \(member.clientEndpoint): \(running)")
        }
        for organization in plan.organizations {
            for (role, node) in [("orderer", organization.orderer), ("peer", organization.peer)] {
                guard let node else { continue }
                let pid = try process(node, plan: plan).runningPID()
                var line = "\(role) \(node.name) \(node.address): " + (pid.map { "running (pid \($0))" } ?? "stopped")
                if pid != nil {
                    do {
                        let channels = try await withAdmin(node, admin: organization.admin) { client in
                            try await Medledger_V1_Admin.Client(wrapping: client).listChannels(.init()).channels
                        }
                        line += "; " + channels.map { "\($0.channelID) height \($0.height)" }.joined(separator: ", ")
                    } catch {
                        line += "; not answering: \(error)"
                    }
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Stops peers, orderers, then etcd.
    func stop(_ plan: NetworkPlan) async {
        for node in plan.nodes.reversed() {
            if let process = try? process(node, plan: plan) { await process.stop() }
        }
        if let cluster = try? LocalEtcdCluster.openOrPlan(directory: etcdDirectory) { await cluster.stop() }
    }
}
