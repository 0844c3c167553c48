/// What the benchmarks measure, per codec.
public enum CodecOperation: String, CaseIterable, Sendable {
    /// Encode one Transaction (~3.2 KB: proposal, certificates, endorsements).
    case transactionEncode = "Transaction encode"
    /// Decode one Transaction.
    case transactionDecode = "Transaction decode"
    /// Encode ProposalResponsePayload, then the Transaction holding it, then the Envelope holding that.
    case envelopeEncodeDeep = "Envelope encode (3 levels)"
    /// Decode Envelope, then its Transaction, then its ProposalResponsePayload, as a validator must.
    case envelopeDecodeDeep = "Envelope decode (3 levels)"
    /// Encode a Block of 500 envelopes.
    case blockEncode = "Block encode"
    /// Decode a Block of 500 envelopes, leaving the envelopes as bytes.
    case blockDecode = "Block decode"
    /// Decode a Block and every envelope in it three levels deep.
    case blockDecodeDeep = "Block decode + 500 envelopes (3 levels)"
}

/// One protobuf implementation, loaded with the sample data and ready to run each operation.
public protocol ComparedCodec: Sendable {
    /// Name for tables and benchmark names.
    var name: String { get }
    /// Runs `operation` once and returns a number derived from its result, so the work cannot be
    /// optimised away. Input was verified when the codec was made, so a failure here is a bug: it traps.
    func run(_ operation: CodecOperation) -> Int
}

/// A mismatch between what two codecs produced from the same input; the comparison is void.
public struct CodecMismatch: Error, CustomStringConvertible {
    public let description: String
}

/// Throws unless `actual` is byte-for-byte `expected`.
func requireSameBytes(
    _ actual: some Collection<UInt8>,
    _ expected: some Collection<UInt8>,
    _ what: String
) throws(CodecMismatch) {
    guard actual.elementsEqual(expected) else {
        let offset = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        throw CodecMismatch(
            description: "\(what): \(actual.count) bytes, expected \(expected.count); first difference at \(offset.map(String.init) ?? "the end")"
        )
    }
}

/// The three codecs, each checked against the sample's bytes.
public func makeComparedCodecs(_ sample: LedgerSample) throws -> [any ComparedCodec] {
    [try WireCodec(sample), try SwiftProtobufCodec(sample), try ProtobufCCodec(sample)]
}
