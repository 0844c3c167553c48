internal import Foundation
internal import Identity
internal import LocalNetwork
internal import Server

/// Where each identity of the story connects: the one node of `medledger dev`, or, on a network
/// of nodes, its own organisation's peer — as a hospital system, a patient app or a pharma team
/// would — trusting its organisation's root, which issued that peer's TLS certificate.
struct DemoNodes: Sendable {
    /// One identity's connection.
    struct Endpoint: Sendable {
        /// HOST:PORT of the node.
        let address: String
        /// The PEM root to trust for the node's TLS certificate.
        let trust: String
        /// The node's name, for what the story prints.
        let node: String
    }

    let identities: IdentityDirectory
    /// Stops and restarts one organisation's peer; nil on a one-node network.
    let outage: DemoOutage?
    private let endpoints: @Sendable (String) throws -> Endpoint

    /// Whether every identity calls the same node (nothing to wait for between steps).
    var isSingleNode: Bool { outage == nil }

    func endpoint(of identity: String) throws -> Endpoint {
        try endpoints(identity)
    }

    /// `medledger dev` at `address`: every identity calls it.
    static func development(identities: IdentityDirectory, address: String) -> DemoNodes {
        DemoNodes(identities: identities, outage: nil) { name in
            Endpoint(address: address, trust: identities.identity(name).tlsTrustPath, node: address)
        }
    }

    /// The network `medledger network up` laid out in `directory`; its `outage` stops HospitalA's peer.
    static func network(directory: URL) throws -> DemoNodes {
        guard let plan = try NetworkPlan.load(from: directory) else {
            throw DemoFailure("\(directory.path) holds no network.json: run `medledger network up --data \(directory.path)` first")
        }
        let layout = NetworkLayout(directory: directory)
        let identities = IdentityDirectory(url: layout.identities)
        let peers = Dictionary(plan.organizations.map { ($0.name, $0.peer) }) { first, _ in first }
        guard let hospitalA = peers["HospitalA"] else { throw DemoFailure("the network has no organisation HospitalA") }
        let processes = LocalNetworkProcesses(directory: directory, logLevel: "info")
        let outage = DemoOutage(
            organization: "HospitalA", node: hospitalA.name,
            stop: { await processes.layout.process(hospitalA).stop() },
            start: {
                let process = try processes.process(hospitalA, plan: plan)
                try process.start()
                try await process.waitUntilListening(name: hospitalA.name, port: hospitalA.port, timeout: .seconds(60))
            })
        return DemoNodes(identities: identities, outage: outage) { name in
            guard let organization = DevNetwork.demoIdentities.first(where: { $0.name == name })?.organization, let peer = peers[organization] else {
                throw DemoFailure("no organisation of the network issues the demo identity \(name)")
            }
            return Endpoint(address: peer.address, trust: identities.identity(name).caPath, node: peer.name)
        }
    }
}

/// One organisation's peer going down and coming back, for the story's outage step.
struct DemoOutage: Sendable {
    let organization: String
    /// The peer's name (`hospitala-peer`).
    let node: String
    let stop: @Sendable () async -> Void
    let start: @Sendable () async throws -> Void
}
