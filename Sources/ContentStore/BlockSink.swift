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
