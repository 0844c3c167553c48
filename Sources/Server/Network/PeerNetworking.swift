public import Foundation
public import X509

/// What makes a node a peer of a multi-node network rather than its own orderer: its client
/// identity towards other nodes, and the roots of its own organisation(s), which a channel's
/// genesis block must name before the node joins it.
public struct PeerNetworking: Sendable {
    let connections: NodeConnections
    public let ownRoots: [Certificate]

    public init(identity: NodeClientIdentity, ownRoots: [Certificate]) {
        self.connections = NodeConnections(identity: identity)
        self.ownRoots = ownRoots
    }

    /// Closes the connections to other nodes.
    func close() {
        connections.close()
    }
}
