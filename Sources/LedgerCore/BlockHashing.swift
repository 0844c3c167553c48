internal import Crypto
public import Foundation
public import Schema
internal import Wire

/// The hashes that chain blocks: a block's hash is SHA-256 of its header's deterministic encoding;
/// the header's `data_hash` is SHA-256 over the concatenated transaction bytes, in order.
public enum BlockHashing {
    public static func hash(of header: Medledger_V1_BlockHeader) -> Data {
        Data(SHA256.hash(data: header.serializedData()))
    }

    public static func dataHash(of data: Medledger_V1_BlockData) -> Data {
        var hasher = SHA256()
        for transaction in data.data { hasher.update(data: transaction) }
        return Data(hasher.finalize())
    }

    /// A header for `transactions` following the block whose header is `previous` (nil for genesis).
    public static func header(after previous: Medledger_V1_BlockHeader?, data: Medledger_V1_BlockData) -> Medledger_V1_BlockHeader {
        var header = Medledger_V1_BlockHeader()
        header.number = previous.map { $0.number + 1 } ?? 0
        header.previousHash = previous.map(hash(of:)) ?? Data()
        header.dataHash = dataHash(of: data)
        return header
    }
}

/// The hash an endorsement commits to: SHA-256 of the proposal's encoding with `transient` cleared.
/// The endorser and the validator both call this, so they cannot disagree about what was endorsed.
public enum ProposalHash {
    public static func of(_ proposal: Medledger_V1_Proposal) -> Data {
        var recorded = proposal
        recorded.transient = [:]
        return Data(SHA256.hash(data: recorded.serializedData()))
    }
}
