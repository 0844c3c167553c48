internal import Foundation

/// A fixed-size chunker spec, `size-N`, as Kubo's `--chunker` takes it.
public struct Chunker: Hashable, Sendable, CustomStringConvertible {
    /// Kubo's default chunk size.
    public static let defaultChunkSize = 262_144
    /// Kubo refuses chunks above 1 MiB (a block must stay below the 2 MiB exchange limit).
    public static let maximumChunkSize = 1_048_576

    public let size: Int

    public init(size: Int = Chunker.defaultChunkSize) throws(ContentError) {
        guard size >= 1 && size <= Self.maximumChunkSize else { throw .invalidChunker("size-\(size)") }
        self.size = size
    }

    /// Parses `size-N`; the empty string means the default.
    public init(spec: String) throws(ContentError) {
        if spec.isEmpty {
            try self.init()
            return
        }
        guard spec.hasPrefix("size-"), let size = Int(spec.dropFirst(5)), String(size) == spec.dropFirst(5) else {
            throw .invalidChunker(spec)
        }
        try self.init(size: size)
    }

    public var description: String { "size-\(size)" }
}

/// How a directory's size is measured against `ImportOptions.shardingThreshold`; a directory
/// larger than the threshold is written as a HAMT (IPIP-499's `links` and `block` estimates).
public enum DirectorySizeEstimate: Hashable, Sendable {
    /// The sum over entries of name bytes plus CID bytes: Kubo's default, its `unixfs-v0-2015` profile.
    case linkBytes
    /// The bytes of the flat directory block: Kubo's `unixfs-v1-2025` profile.
    case blockBytes

    /// The size of a directory with `links` whose flat block is `flatBlock`.
    func size(of links: [DagPBLink], flatBlock: Data) -> Int {
        switch self {
        case .linkBytes: links.reduce(0) { $0 + ($1.name ?? "").utf8.count + $1.cid.bytes.count }
        case .blockBytes: flatBlock.count
        }
    }
}

/// How a file or directory becomes a DAG, with Kubo's defaults: CIDv0 with dag-pb UnixFS leaves;
/// raw leaves by default when the CID version is 1; balanced layout with at most 174 links per
/// node; directories above 256 KiB of entry names and CIDs sharded into a HAMT.
public struct ImportOptions: Hashable, Sendable {
    /// Kubo's balanced-layout fan-out (`helpers.DefaultLinksPerBlock`).
    public static let maximumLinksPerNode = 174
    /// The largest `maximumLinks` taken: a file node of this many links (each at most about 56
    /// bytes with its block size) stays below 1 MiB, the size every IPFS node accepts.
    public static let largestLinkCount = 16_384
    /// Kubo's `Import.UnixFSHAMTDirectorySizeThreshold`: a directory stays flat up to this size.
    public static let shardingThreshold = 262_144

    public var cidVersion: Int
    public var rawLeaves: Bool
    public var chunker: Chunker
    public var maximumLinks: Int
    public var directorySizeEstimate: DirectorySizeEstimate

    public init(
        cidVersion: Int = 0,
        rawLeaves: Bool? = nil,
        chunker: Chunker? = nil,
        maximumLinks: Int = ImportOptions.maximumLinksPerNode,
        directorySizeEstimate: DirectorySizeEstimate = .linkBytes
    ) throws(ContentError) {
        guard cidVersion == 0 || cidVersion == 1 else {
            throw .invalidOptions("unknown CID version \(cidVersion) (expected 0 or 1)")
        }
        guard maximumLinks >= 2 else { throw .invalidOptions("a node needs room for at least 2 links") }
        guard maximumLinks <= Self.largestLinkCount else {
            throw .invalidOptions("at most \(Self.largestLinkCount) links per node (a node must stay below 1 MiB), not \(maximumLinks)")
        }
        self.cidVersion = cidVersion
        self.rawLeaves = rawLeaves ?? (cidVersion == 1)
        if let chunker {
            self.chunker = chunker
        } else {
            self.chunker = try Chunker()
        }
        self.maximumLinks = maximumLinks
        self.directorySizeEstimate = directorySizeEstimate
    }

    /// The CID of a dag-pb block under these options.
    func dagPBCID(_ block: Data) -> CID {
        CID.of(block, version: cidVersion, codec: .dagPB)
    }
}
