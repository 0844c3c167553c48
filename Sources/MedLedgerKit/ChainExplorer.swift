public import Foundation
public import GRPCCore
internal import LedgerCore
internal import Schema

/// One block as an auditor's block explorer shows it: its place in the hash chain and who did
/// what in it, without any transaction's arguments, written values or results.
public struct BlockSummary: Sendable, Equatable, Codable {
    /// Position in the chain; the genesis block is 0.
    public internal(set) var number: UInt64
    /// The newest timestamp its transactions carry (proposal or configuration time, as their
    /// creators stated it); nil if none carries one.
    public internal(set) var time: Date?
    public internal(set) var transactionCount: Int
    /// Transactions validated VALID, whose writes changed world state.
    public internal(set) var validCount: Int
    /// Hex SHA-256 of the header: what the next block's `previousHash` names.
    public internal(set) var hash: String
    /// Hex hash of the previous block's header; empty for the genesis block.
    public internal(set) var previousHash: String
    /// Hex SHA-256 over the block's transaction bytes, in order.
    public internal(set) var dataHash: String
    /// The block's transactions, in order.
    public internal(set) var transactions: [TransactionSummary]
}

/// One transaction of a block as an explorer shows it: its ID, kind, creator, contract and
/// function, validation code, endorsers and the keys it wrote. It never holds the call's
/// arguments, the values written or the chaincode's answer, which may carry health data. Names
/// are read from the certificates as they state them, not validated (`ChainAudit` validates);
/// text from the ledger has control and invisible characters escaped and is cut to a bounded length.
public struct TransactionSummary: Sendable, Equatable, Codable {
    /// What a transaction is.
    public enum Kind: String, Sendable, Codable {
        /// A chaincode invocation with its endorsements.
        case endorser
        /// A channel configuration (the genesis configuration or a change of it).
        case config
        /// Bytes that do not decode as a transaction; only the validation code is known, and
        /// whatever fields decoded before the failure.
        case undecodable
    }

    /// The transaction ID; empty if it did not decode.
    public internal(set) var txID: String
    public internal(set) var kind: Kind
    /// "role enrollmentID@organisation" of the creator's certificate, e.g. "clinician dr-alice@HospitalAMSP".
    public internal(set) var creator: String?
    /// The organisation (MSP ID) that issued the creator's certificate.
    public internal(set) var creatorMSP: String?
    /// The chaincode invoked; nil for configuration transactions.
    public internal(set) var contract: String?
    /// The chaincode function invoked (never its arguments); nil for configuration transactions.
    public internal(set) var function: String?
    /// The validation code's name without its prefix: "VALID", "MVCC_READ_CONFLICT", …
    public internal(set) var validationCode: String
    /// The endorsing peers as "role name@organisation"; for a configuration change, the
    /// administrators who approved it.
    public internal(set) var endorsers: [String]
    /// "namespace 'key'" of every key written, " (deleted)" appended to deletions; never a value.
    public internal(set) var keysWritten: [String]
    /// When the creator says it made the proposal or configuration.
    public internal(set) var time: Date?
}

/// A read-only view of a channel's blocks for an auditor's explorer screen: summaries of a range
/// of blocks read over `Deliver`. It verifies nothing — `ChainAudit` re-verifies the chain — and
/// `ChannelHeight.current` tells how many blocks there are.
public enum ChainExplorer {
    /// Summaries of blocks `from` through `through` (inclusive) of `channel`, in order. Whole blocks
    /// go only to peers, orderers, admins and auditors (PERMISSION_DENIED for other roles); throws
    /// OUT_OF_RANGE if `through` is not committed yet and INVALID_ARGUMENT if it is before `from`.
    /// A transaction that does not decode is summarised as `undecodable`; the page is still returned.
    public static func blocks<Transport: ClientTransport>(
        client: GRPCClient<Transport>, channel: String, from: UInt64, through: UInt64, options: CallOptions = .defaults
    ) async throws -> [BlockSummary] {
        var request = Medledger_V1_DeliverRequest()
        request.channelID = channel
        request.start = .block(from)
        request.stop = .block(through)
        request.behavior = .failIfNotReady
        return try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request: ClientRequest(message: request), options: options) { response in
            var summaries: [BlockSummary] = []
            for try await message in response.messages {
                guard let block = message.block else { continue }
                summaries.append(summary(of: block))
            }
            return summaries
        }
    }
}
