public import Foundation

/// The multi-node network on one machine, as `medledger network up` lays it out and as clients
/// read it (`DIR/network.json`): every organisation's peer and (for some) orderer, with their
/// addresses and data directories, the identity folders, the channels and the etcd cluster.
/// Paths are relative to the network directory, so the directory can move.
public struct NetworkPlan: Codable, Sendable {
    /// One node process.
    public struct Node: Codable, Sendable, Hashable {
        /// `hospitala-peer`, `hospitala-orderer`: also the name of its data directory, log and pid file.
        public var name: String
        public var port: Int
        /// Where it serves Prometheus metrics on 127.0.0.1 (plans made before metrics have none).
        public var metricsPort: Int?
        /// Where a peer serves FHIR Bulk Data over HTTPS (orderers and older plans: none).
        public var httpsPort: Int?
        /// The address clients and other nodes dial.
        public var address: String { "127.0.0.1:\(port)" }
    }

    /// One organisation: its peer and, if it runs one, its orderer.
    public struct Organization: Codable, Sendable {
        public var name: String
        public var mspID: String
        public var peer: Node
        public var orderer: Node?
        /// The identity folder of its bootstrap administrator (relative path).
        public var admin: String
    }

    /// One channel and the names of its member organisations.
    public struct Channel: Codable, Sendable {
        public var id: String
        public var members: [String]

        public init(id: String, members: [String]) {
            self.id = id
            self.members = members
        }
    }

    public var organizations: [Organization]
    public var channels: [Channel]
    /// Blocks of each channel the orderers keep in etcd (nil: their default).
    public var etcdWindow: UInt64?

    public init(organizations: [Organization], channels: [Channel], etcdWindow: UInt64? = nil) {
        self.organizations = organizations
        self.channels = channels
        self.etcdWindow = etcdWindow
    }

    /// Every node, orderers first (peers pull from them).
    public var nodes: [Node] { organizations.compactMap(\.orderer) + organizations.map(\.peer) }

    public static func file(in directory: URL) -> URL { directory.appendingPathComponent("network.json") }

    /// The plan saved in `directory`, or nil if there is none.
    public static func load(from directory: URL) throws -> NetworkPlan? {
        guard let data = try? Data(contentsOf: file(in: directory)) else { return nil }
        return try JSONDecoder().decode(NetworkPlan.self, from: data)
    }

    public func save(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: Self.file(in: directory), options: .atomic)
    }

    /// A plan for `organizations` (name, MSP ID, runs an orderer) on free loopback ports.
    public static func make(organizations: [(name: String, mspID: String, runsOrderer: Bool)], channels: [Channel]) throws -> NetworkPlan {
        // Per organisation: peer, orderer, the metrics port of each, and the peer's HTTPS port.
        let ports = try FreePorts.reserve(organizations.count * 5)
        var planned: [Organization] = []
        for (index, organization) in organizations.enumerated() {
            let slug = organization.name.lowercased()
            let base = 5 * index
            planned.append(
                Organization(
                    name: organization.name, mspID: organization.mspID,
                    peer: Node(name: "\(slug)-peer", port: ports[base], metricsPort: ports[base + 2], httpsPort: ports[base + 4]),
                    orderer: organization.runsOrderer ? Node(name: "\(slug)-orderer", port: ports[base + 1], metricsPort: ports[base + 3]) : nil,
                    admin: "identities/\(slug)-admin"))
        }
        return NetworkPlan(organizations: planned, channels: channels)
    }
}

/// Whether something accepts TCP connections on 127.0.0.1.
public enum TCPProbe {
    public static func isListening(port: Int) -> Bool {
        (try? FreePorts.connects(port: port)) ?? false
    }

}
