/// Why record content could not be sealed or opened, or a data key wrapped or unwrapped. None of
/// the messages holds key material or plaintext.
public enum RecordCryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A segment size outside 16 B … 16 MiB.
    case invalidSegmentSize(Int)
    /// Not a sealed stream, truncated, reordered, or sealed under another key.
    case sealedStreamInvalid(String)
    /// The wrapped key is not for this reader or this record, or is malformed.
    case keyUnwrapFailed(String)
    /// A plaintext range that starts beyond the end.
    case rangeOutOfBounds(offset: UInt64, length: UInt64?, size: UInt64)

    public var description: String {
        switch self {
        case .invalidSegmentSize(let size): "segment size \(size) outside 16 B … 16 MiB"
        case .sealedStreamInvalid(let reason): "sealed stream rejected: \(reason)"
        case .keyUnwrapFailed(let reason): "cannot unwrap data key: \(reason)"
        case .rangeOutOfBounds(let offset, let length, let size):
            "range at \(offset)\(length.map { " of \($0) bytes" } ?? "") is outside the \(size) bytes of the record"
        }
    }
}
