internal import ArgumentParser
internal import Foundation
internal import Ordering
internal import Server

/// `medledger serve`: runs a node's gRPC endpoint until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the node's gRPC API over TLS 1.3.",
        discussion: """
            --role both (the default) runs a complete node that orders its own channels. In a \
            multi-node network (see `medledger network`) each organisation runs --role peer: it joins \
            channels from their genesis block (Admin.JoinChannel), forwards transactions to the \
            network's orderers and validates every block it pulls from them. --role orderer runs an \
            orderer of that network, ordering through the etcd cluster named by --etcd.

            On first start a peer or complete node creates the organisation CA (DIR/ca/), a bootstrap \
            admin identity (DIR/admin/) and the node's TLS certificate (DIR/tls/); clients trust \
            DIR/tls/ca.pem. An orderer's DIR is provisioned by its organisation's CA beforehand \
            (`medledger network up` does it). SIGTERM or SIGINT shuts down gracefully.
            """
    )

    enum Role: String, ExpressibleByArgument, CaseIterable {
        case both, peer, orderer
    }

    @OptionGroup var launch: NodeLaunchOptions

    @Option(name: .customLong("msp-id"), help: "The organisation's MSP ID, used when the CA is first created.")
    var mspID = "MedLedgerOrg1MSP"

    @Option(help: "What this node does: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: Role = .both

    @Option(name: .customLong("etcd"), help: ArgumentHelp("An etcd member's client endpoint (orderer; repeatable).", valueName: "HOST:PORT"))
    var etcdEndpoints: [String] = []

    @Option(name: .customLong("etcd-ca"), help: ArgumentHelp("The CA that signs the etcd members' certificates (orderer).", valueName: "PEM"))
    var etcdCA: String?

    @Option(name: .customLong("etcd-cert"), help: ArgumentHelp("This orderer's etcd client certificate.", valueName: "PEM"))
    var etcdCertificate: String?

    @Option(name: .customLong("etcd-key"), help: ArgumentHelp("This orderer's etcd client key.", valueName: "PEM"))
    var etcdKey: String?

    @Option(help: ArgumentHelp("The address peers reach this orderer at (default: --host:--port).", valueName: "HOST:PORT"))
    var advertise: String?

    @Option(name: .customLong("etcd-window"), help: "Blocks of each channel kept in etcd (orderer); older ones are in the orderers' block stores.")
    var etcdWindow: UInt64 = 1_000

    func validate() throws {
        if role == .orderer {
            guard !etcdEndpoints.isEmpty, etcdCA != nil, etcdCertificate != nil, etcdKey != nil else {
                throw ValidationError("--role orderer needs --etcd (at least one), --etcd-ca, --etcd-cert and --etcd-key")
            }
            guard etcdWindow >= 2 else { throw ValidationError("--etcd-window must be at least 2") }
            guard launch.port != 0 || advertise != nil else {
                throw ValidationError("--role orderer with --port 0 needs --advertise: peers must learn a fixed address")
            }
        }
    }

    func run() async throws {
        let logger = launch.bootstrapLogging()
        let configuration = launch.configuration
        if FileManager.default.fileExists(atPath: configuration.dataDirectory.appendingPathComponent("orgs").path) {
            throw ValidationError("\(configuration.dataDirectory.path) holds a development network (medledger dev); give serve another --data DIR")
        }
        if role == .orderer {
            let etcd = EtcdConfiguration(
                endpoints: etcdEndpoints, trustRootPath: etcdCA ?? "", certificatePath: etcdCertificate ?? "", keyPath: etcdKey ?? "")
            let node = try OrdererNode(
                configuration: configuration, etcd: etcd, advertisedAddress: advertise ?? "\(launch.host):\(launch.port)",
                settings: .init(window: etcdWindow), logger: logger)
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask { try await node.runUntilTerminated() }
                if let address = try? await node.server.announcedAddress {
                    FileHandle.standardOutput.write(Data("""
                        MedLedger orderer of \(node.mspID) listening on \(address) (gRPC over TLS 1.3)
                        Ordering through etcd at \(etcdEndpoints.joined(separator: ", "))
                        Channels: \(node.channels.channelIDs.joined(separator: ", "))
                        \(node.metricsEndpoint.map { "Prometheus metrics: http://127.0.0.1:\($0.port)/metrics\n" } ?? "")
                        """.utf8))
                }
            }
            return
        }
        let node = try MedLedgerNode(configuration: configuration, mspID: mspID, peerOfNetwork: role == .peer, logger: logger)
        try await serveUntilTerminated(node) { address in
            """
            MedLedger \(role == .peer ? "peer" : "node") listening on \(address) (gRPC over TLS 1.3)
            Organisation CA certificate: \(node.caCertificatePath)
            Admin identity: \(node.adminDirectory.path)\(node.createdAdmin ? " (created now)" : "")

            """
        }
    }
}
