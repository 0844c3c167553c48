public import Foundation
internal import Synchronization

/// An in-memory `ContentBlockStore` for tests and `--only-hash`-like uses.
public final class MemoryBlockStore: ContentBlockStore {
    private let blocks = Mutex<[Multihash: Data]>([:])

    public init() {}

    public func put(_ block: Data, as cid: CID) throws(ContentError) {
        blocks.withLock { $0[cid.multihash] = block }
    }

    public func get(_ cid: CID) throws(ContentError) -> Data {
        guard let block = blocks.withLock({ $0[cid.multihash] }) else { throw .blockNotFound(cid: cid.description) }
        guard try cid.multihash.matches(block) else { throw .corruptBlock(cid: cid.description) }
        return block
    }

    public func has(_ cid: CID) -> Bool { blocks.withLock { $0[cid.multihash] != nil } }

    public func size(of cid: CID) -> UInt64? { blocks.withLock { $0[cid.multihash].map { UInt64($0.count) } } }

    public func delete(_ multihash: Multihash) throws(ContentError) {
        _ = blocks.withLock { $0.removeValue(forKey: multihash) }
    }

    public func allMultihashes() throws(ContentError) -> [Multihash] { blocks.withLock { Array($0.keys) } }

    /// Replaces a stored block's bytes without checking them, to simulate corruption in tests.
    public func overwrite(_ multihash: Multihash, with bytes: Data) {
        blocks.withLock { $0[multihash] = bytes }
    }
}
