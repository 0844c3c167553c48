public import Foundation

/// A block interpreted for reading: a raw leaf or a dag-pb node with its UnixFS header (if any).
public enum DagNode: Sendable {
    case raw(Data)
    case dagPB(DagPBNode, unixFS: UnixFSNode?)

    /// Decodes `block` by the codec its CID names.
    public init(block: Data, cid: CID) throws(ContentError) {
        switch cid.knownCodec {
        case .raw:
            self = .raw(block)
        case .dagPB:
            let node = try DagPBNode(decoding: block, cid: cid)
            let unixFS = try node.data.map { (data) throws(ContentError) in try UnixFSNode(decoding: data, cid: cid) }
            self = .dagPB(node, unixFS: unixFS)
        case nil:
            throw .invalidNode(cid: cid.description, reason: "codec 0x\(String(cid.codec, radix: 16)) is not raw or dag-pb")
        }
    }

    /// The CIDs this block links to, in order.
    public var links: [CID] {
        switch self {
        case .raw: []
        case .dagPB(let node, _): node.links.map(\.cid)
        }
    }

    /// File bytes below this node: the raw length, or the UnixFS file size.
    public var fileSize: UInt64 {
        switch self {
        case .raw(let data): UInt64(data.count)
        case .dagPB(_, let unixFS):
            unixFS?.filesize ?? UInt64(unixFS?.data?.count ?? 0)
        }
    }
}
