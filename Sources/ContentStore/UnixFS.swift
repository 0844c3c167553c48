public import Foundation
internal import Schema
internal import Wire

/// The UnixFS header carried in a dag-pb node's Data (https://specs.ipfs.tech/unixfs/), limited to
/// what the store writes and reads: files, their chunks, raw data, directories and HAMT shards.
public struct UnixFSNode: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case raw, directory, file, metadata, symlink, hamtShard
    }

    public var kind: Kind
    /// Inline bytes of a leaf; a HAMT shard's bitfield of occupied slots.
    public var data: Data?
    /// Total size of the file below this node.
    public var filesize: UInt64?
    /// File size of each child, in link order.
    public var blocksizes: [UInt64]
    /// Multihash code of the function that places names in a HAMT shard.
    public var hashType: UInt64?
    /// Slots per HAMT shard node.
    public var fanout: UInt64?

    public init(
        kind: Kind,
        data: Data? = nil,
        filesize: UInt64? = nil,
        blocksizes: [UInt64] = [],
        hashType: UInt64? = nil,
        fanout: UInt64? = nil
    ) {
        self.kind = kind
        self.data = data
        self.filesize = filesize
        self.blocksizes = blocksizes
        self.hashType = hashType
        self.fanout = fanout
    }

    /// A file leaf holding `chunk`, as Kubo writes it: Data omitted when empty (the empty file).
    public static func fileLeaf(_ chunk: Data) -> UnixFSNode {
        UnixFSNode(kind: .file, data: chunk.isEmpty ? nil : chunk, filesize: UInt64(chunk.count))
    }

    /// The UnixFS bytes (field-number order; Type always written).
    public func encoded() -> Data {
        var message = Medledger_V1_Data()
        message.type = kind.wireValue
        message.data = data
        message.filesize = filesize
        message.blocksizes = blocksizes
        message.hashType = hashType
        message.fanout = fanout
        return message.serializedData()
    }

    /// Decodes UnixFS data; `cid` names the block in errors.
    public init(decoding bytes: Data, cid: CID) throws(ContentError) {
        let message: Medledger_V1_Data
        do {
            message = try Medledger_V1_Data(serializedData: bytes)
        } catch {
            throw .invalidNode(cid: cid.description, reason: "not UnixFS: \(error)")
        }
        guard let type = message.type, let kind = Kind(type) else {
            throw .invalidNode(cid: cid.description, reason: "UnixFS data without a known Type")
        }
        self.init(
            kind: kind,
            data: message.data,
            filesize: message.filesize,
            blocksizes: message.blocksizes,
            hashType: message.hashType,
            fanout: message.fanout
        )
    }
}

extension UnixFSNode.Kind {
    var wireValue: Medledger_V1_Data.DataType {
        switch self {
        case .raw: .raw
        case .directory: .directory
        case .file: .file
        case .metadata: .metadata
        case .symlink: .symlink
        case .hamtShard: .hamtshard
        }
    }

    init?(_ value: Medledger_V1_Data.DataType) {
        switch value {
        case .raw: self = .raw
        case .directory: self = .directory
        case .file: self = .file
        case .metadata: self = .metadata
        case .symlink: self = .symlink
        case .hamtshard: self = .hamtShard
        default: return nil
        }
    }
}
