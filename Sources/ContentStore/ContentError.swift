internal import Wire

/// Everything that can go wrong in the content store, each case carrying what a person needs to
/// find the cause (which CID, which offset, which option).
public enum ContentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A CID string or byte form that does not parse.
    case invalidCID(String, reason: String)
    /// A multihash that is malformed or uses a function the store does not implement.
    case invalidMultihash(String)
    /// A varint that runs past its input or past 63 bits.
    case invalidVarint(String)
    /// A block that is not valid dag-pb, or UnixFS data that does not describe a file or directory.
    case invalidNode(cid: String, reason: String)
    /// A chunker spec other than `size-N` with 1 ≤ N ≤ 1 MiB.
    case invalidChunker(String)
    /// Import options that contradict each other or the format.
    case invalidOptions(String)
    /// A block is not in the store.
    case blockNotFound(cid: String)
    /// A stored block whose bytes no longer hash to its CID.
    case corruptBlock(cid: String)
    /// A byte range outside the file.
    case rangeOutOfBounds(offset: UInt64, length: UInt64?, size: UInt64)
    /// A CAR stream that is truncated or malformed.
    case invalidCAR(String)
    /// A block whose bytes do not hash to the CID it arrived with.
    case hashMismatch(cid: String)
    /// A pin operation on something that is not pinned that way.
    case notPinned(cid: String)
    /// A wrapped key that cannot be opened with the given private key.
    case keyUnwrapFailed(String)
    /// A file-system operation failed.
    case io(path: String, reason: String)
    /// The file system holding `path` has no space left: nothing of the write was kept.
    case diskFull(path: String)

    public var description: String {
        switch self {
        case .invalidCID(let text, let reason): "invalid CID \(QuotedInput.quote(text)): \(reason)"
        case .invalidMultihash(let reason): "invalid multihash: \(reason)"
        case .invalidVarint(let reason): "invalid varint: \(reason)"
        case .invalidNode(let cid, let reason): "invalid node \(cid): \(reason)"
        case .invalidChunker(let spec): "invalid chunker \(QuotedInput.quote(spec)): expected size-N with 1 ≤ N ≤ \(Chunker.maximumChunkSize)"
        case .invalidOptions(let reason): "invalid options: \(reason)"
        case .blockNotFound(let cid): "block \(cid) not found"
        case .corruptBlock(let cid): "block \(cid) is corrupt: its bytes do not hash to its CID"
        case .rangeOutOfBounds(let offset, let length, let size):
            "range offset \(offset)\(length.map { " length \($0)" } ?? "") is outside the file of \(size) bytes"
        case .invalidCAR(let reason): "invalid CAR: \(reason)"
        case .hashMismatch(let cid): "block data does not hash to its CID \(cid)"
        case .notPinned(let cid): "\(cid) is not pinned"
        case .keyUnwrapFailed(let reason): "cannot unwrap data key: \(reason)"
        case .io(let path, let reason): "\(path): \(reason)"
        case .diskFull(let path): "\(path): no space left on the device"
        }
    }
}
