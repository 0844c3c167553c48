public import ContentStore
public import GRPCCore
internal import Foundation
internal import Schema

/// Pulls a DAG from another node: walks it from the root, asks the peer's `GetBlock` for every
/// block this node lacks, verifies each against its CID before storing it, and pins the root.
public struct BlockFetcher: Sendable {
    let store: ContentStore

    public init(store: ContentStore) {
        self.store = store
    }

    /// Fetches what is missing under `root` through `client` (connected to the peer); returns how
    /// many blocks came over the network. Blocks are leased against collection until pinned.
    public func fetch<Transport: ClientTransport>(
        _ root: CID,
        from client: GRPCClient<Transport>,
        pin: Bool = true,
        options: CallOptions = .defaults
    ) async throws -> Int {
        let peer = Medledger_V1_Content.Client(wrapping: client)
        return try await store.withLease { sink in
            var fetched = 0
            var seen: Set<Multihash> = []
            var stack = [root]
            while let cid = stack.popLast() {
                guard seen.insert(cid.multihash).inserted else { continue }
                let block: Foundation.Data
                if store.blocks.has(cid) {
                    block = try store.blocks.get(cid)
                } else {
                    var request = Medledger_V1_GetBlockRequest()
                    request.cid = cid.description
                    block = try await peer.getBlock(request, options: options).data
                    try sink.putVerified(block, as: cid)
                    fetched += 1
                }
                stack.append(contentsOf: try DagNode(block: block, cid: cid).links.reversed())
            }
            if pin { try store.pin(root, recursive: true) }
            return fetched
        }
    }
}
