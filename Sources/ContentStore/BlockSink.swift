public import Foundation

/// Where an importer puts the blocks it makes: a store, or nowhere (`--only-hash`).
public protocol BlockSink: Sendable {
    /// Stores `block` under `cid`; the caller guarantees that the bytes hash to the CID.
    func put(_ block: Data, as cid: CID) throws(ContentError)
}

/// A sink that keeps nothing, for computing CIDs only.
public struct DiscardingSink: BlockSink {
    public init() {}
    public func put(_ block: Data, as cid: CID) throws(ContentError) {}
}

extension BlockSink {
    /// Stores `block`, a dag-pb directory node (flat or a HAMT shard) whose links are `links`, under
    /// `options`' CID; its DAG size is the block's bytes plus every link's Tsize, as Kubo counts it.
    func putDirectoryNode(_ block: Data, links: [DagPBLink], options: ImportOptions) throws(ContentError) -> ImportResult {
        let cid = options.dagPBCID(block)
        try put(block, as: cid)
        let dagSize = UInt64(block.count) + links.reduce(0) { $0 + ($1.tsize ?? 0) }
        return ImportResult(cid: cid, size: 0, dagSize: dagSize)
    }
}
