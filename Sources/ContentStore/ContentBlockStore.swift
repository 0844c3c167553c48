public import Foundation

/// Content-addressed block storage keyed by multihash (as Kubo keys its datastore), so a raw and a
/// dag-pb CID with the same hash share one block.
///
/// `get` always re-hashes: a block whose bytes no longer match its CID is never returned.
public protocol ContentBlockStore: BlockSink {
    func get(_ cid: CID) throws(ContentError) -> Data
    func has(_ cid: CID) -> Bool
    /// Size in bytes of a stored block, without reading it.
    func size(of cid: CID) -> UInt64?
    func delete(_ multihash: Multihash) throws(ContentError)
    /// Every stored block's multihash.
    func allMultihashes() throws(ContentError) -> [Multihash]
}

extension BlockSink {
    /// Checks `block` against `cid` and stores it; the entry point for untrusted blocks (CAR, peers).
    public func putVerified(_ block: Data, as cid: CID) throws(ContentError) {
        guard try cid.multihash.matches(block) else { throw .hashMismatch(cid: cid.description) }
        try put(block, as: cid)
    }
}
