public import Foundation
public import Identity
public import Schema
internal import Wire

/// Builds signed blocks in two steps, as Fabric does. The orderer `order`s: the header chained to
/// the previous one and its signature over the header hash. Each peer then `complete`s the block
/// with what it computed itself: the validation codes and the commit hash over the valid writes.
/// Only the header is hashed and signed, so the chain is byte-identical on every node whatever each
/// peer records. The committer, the orderers and the genesis block all use it: there is one way a
/// block is put together.
public enum BlockAssembly {
    /// The block after `previous` (nil: the genesis block) holding `envelopes`, signed by `orderer`,
    /// without peer metadata.
    public static func order(
        after previous: Medledger_V1_BlockHeader?, envelopes: [Data], lastConfigBlock: UInt64, orderer: RequestSigner
    ) throws -> Medledger_V1_Block {
        var data = Medledger_V1_BlockData()
        data.data = envelopes
        let header = BlockHashing.header(after: previous, data: data)
        var metadata = Medledger_V1_BlockMetadata()
        metadata.signer = orderer.certificateDER
        metadata.signature = try orderer.sign(BlockHashing.hash(of: header))
        metadata.lastConfigBlockNumber = lastConfigBlock
        var block = Medledger_V1_Block()
        block.header = header
        block.data = data
        block.metadata = metadata
        return block
    }

    /// `ordered` with this peer's validation `codes` and the commit hash chained to
    /// `previousCommitHash`, and the state update it makes. Peer metadata already present is replaced.
    public static func complete(
        _ ordered: Medledger_V1_Block, codes: [Medledger_V1_TxValidationCode], previousCommitHash: Data
    ) throws -> (block: Medledger_V1_Block, update: StateUpdate) {
        var block = ordered
        var metadata = block.metadata ?? .init()
        metadata.validationCodes = codes
        metadata.commitHash = Data()
        block.metadata = metadata
        let update = try StateUpdate.derive(from: block)
        block.metadata?.commitHash = update.commitHash(previous: previousCommitHash)
        return (block, update)
    }

    /// `order` then `complete`, for a node that orders and validates in one place.
    public static func assemble(
        after previous: Medledger_V1_BlockHeader?, previousCommitHash: Data, envelopes: [Data],
        codes: [Medledger_V1_TxValidationCode], lastConfigBlock: UInt64, orderer: RequestSigner
    ) throws -> (block: Medledger_V1_Block, update: StateUpdate) {
        let ordered = try order(after: previous, envelopes: envelopes, lastConfigBlock: lastConfigBlock, orderer: orderer)
        return try complete(ordered, codes: codes, previousCommitHash: previousCommitHash)
    }

    /// The orderer's part of `block`: the header, the transactions and the orderer's signature,
    /// with the peer metadata (validation codes, commit hash) removed — what orderers store and
    /// deliver, byte-identical on every node.
    public static func ordered(_ block: Medledger_V1_Block) -> Medledger_V1_Block {
        var ordered = block
        ordered.metadata?.validationCodes = []
        ordered.metadata?.commitHash = Data()
        return ordered
    }

    /// The first block of a channel: one configuration transaction, created and signed by the
    /// orderer that creates the channel, carrying the member admins' `approvals` of the
    /// configuration (nodes that join from the block require those of its admin policy).
    public static func genesis(
        config: Medledger_V1_ChannelConfig, orderer: RequestSigner, approvals: [Medledger_V1_ConfigSignature] = [], now: Date
    ) throws -> Medledger_V1_Block {
        let envelope = try ConfigUpdate.envelope(config: config, approvals: approvals, creator: orderer, now: now)
        return try assemble(
            after: nil, previousCommitHash: Data(), envelopes: [envelope.serializedData()], codes: [.valid],
            lastConfigBlock: 0, orderer: orderer
        ).block
    }

    /// The configuration a genesis block carries, if it is one.
    public static func genesisConfig(in block: Medledger_V1_Block) -> Medledger_V1_ChannelConfig? {
        config(carriedBy: block)
    }

    /// The configuration a configuration block (genesis or update) carries: its one transaction's.
    public static func config(carriedBy block: Medledger_V1_Block) -> Medledger_V1_ChannelConfig? {
        configTransaction(in: block)?.config
    }

    /// The configuration transaction of a configuration block (its one transaction).
    public static func configTransaction(in block: Medledger_V1_Block) -> Medledger_V1_ConfigTransaction? {
        guard let envelopes = block.data?.data, envelopes.count == 1,
            let envelope = try? Medledger_V1_Envelope(serializedData: envelopes[0]),
            let transaction = try? Medledger_V1_Transaction(serializedData: envelope.payload),
            case .configTransaction(let change)? = transaction.body
        else { return nil }
        return change
    }
}
